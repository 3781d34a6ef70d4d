"""Writes of the network app's workflows: the annual list of TBT-related documents (Đ6.2.a) and the
annual reports (Đ15.7, Đ16.4, Đ17.6).

Every function here: lock the row, check the transition, change, ``save(update_fields=…)``, write
the event row and open/close the deadline in the same transaction, and queue e-mails through the
outbox. A refusal raises ``PermissionDenied`` (not yours to do) or ``ValidationError`` (not now /
not like this) and leaves nothing changed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .calendar import roll_back, roll_forward
from .deadlines import absolute_link, deadline_close, deadline_open
from .events import event_record
from .models import AnnualList, AnnualListItem, AnnualReport, Point, User
from .outbox import email_enqueue
from .permissions import annual_list_may_edit, annual_report_may_submit

ANNUAL_LIST_DAYS = 15  # Đ6.2.a: within 15 days of the Minister's approval of the programme
ANNUAL_LIST_DEADLINE = "annual_list"
ANNUAL_REPORT_DEADLINE = "annual_report"
REPORTS_OPEN_FROM = (10, 1)  # reports of a year are opened from 1 October of that year
MINISTRY_REPORT_DUE = (12, 5)  # Đ16.4: "chậm nhất vào ngày 05 tháng 12" (5 December at the latest)
PROVINCIAL_REPORT_DUE = (12, 4)  # Đ17.6: "trước ngày 05 tháng 12" (before 5 December: the 4th)
PM_REPORT_DUE = (12, 24)  # Đ15.7: before 25 December


# --- helpers ----------------------------------------------------------------------------------
def _path(name: str, **kwargs: Any) -> str:
    """A language-neutral (Vietnamese, unprefixed) path, as stored in Deadline.url."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, kwargs=kwargs)


def _national_recipients() -> list[tuple[str, str]]:
    """(e-mail, language) of the national point's active officers, else its public address."""
    officers = list(
        User.objects.filter(point__level=Point.Level.NATIONAL, role=User.Role.NATIONAL_OFFICER, is_active=True)
        .order_by("id")
        .values_list("email", "language")
    )
    if officers:
        return officers
    national = Point.objects.filter(level=Point.Level.NATIONAL).first()
    return [(national.email, "vi")] if national is not None and national.email else []


def _check_transition(model: Any, old: str, new: str) -> None:
    if new not in model.TRANSITIONS.get(old, set()):
        raise ValidationError(
            _("This cannot be done now: the object is in the state “%(state)s”."),
            code="invalid_transition",
            params={"state": model.State(old).label},
        )


def annual_list_due_date(approved_on: date) -> date:
    """Approval date + 15 days; a last day that is not a working day moves to the next working day."""
    return roll_forward(approved_on + timedelta(days=ANNUAL_LIST_DAYS))


def point_report_due_date(year: int, level: str = Point.Level.MINISTRY) -> date:
    """A ministry reports by 5 December (Đ16.4): a last day that is not a working day moves to the
    next working day. A province reports *before* 5 December (Đ17.6): 4 December, or the last
    working day before it, so the report never arrives on or after the 5th."""
    if level == Point.Level.PROVINCIAL:
        return roll_back(date(year, *PROVINCIAL_REPORT_DUE))
    return roll_forward(date(year, *MINISTRY_REPORT_DUE))


def pm_report_due_date(year: int) -> date:
    """ "Before 25 December": 24 December, or the last working day before it."""
    return roll_back(date(year, *PM_REPORT_DUE))


# --- Annual list of TBT-related documents (Đ6.2.a) --------------------------------------------
def annual_lists_ensure_year(*, year: int) -> int:
    """Create the AWAITING list of ``year`` for every active ministry point. Returns how many were
    created (0 on a second run)."""
    created = 0
    for point in Point.objects.filter(level=Point.Level.MINISTRY, is_active=True).order_by("sort_order", "code"):
        with transaction.atomic():
            annual_list, was_created = AnnualList.objects.get_or_create(point=point, year=year)
            if was_created:
                event_record(obj=annual_list, actor=None, verb="created", to_state=annual_list.state, point=point)
                created += 1
    return created


def _annual_list_deadline(annual_list: AnnualList, actor: User | None) -> None:
    assert annual_list.due_date is not None
    year = annual_list.year
    deadline_open(
        obj=annual_list,
        kind=ANNUAL_LIST_DEADLINE,
        title_vi=f"Gửi danh mục văn bản liên quan đến TBT năm {year} về Điểm TBT quốc gia",
        title_en=f"Send the {year} list of TBT-related documents to the national TBT point",
        point=annual_list.point,
        due_date=annual_list.due_date,
        url=_path("network:annual_list_detail", public_id=annual_list.public_id),
        actor=actor,
    )


def annual_list_record_approval(*, actor: User, point: Point, year: int, approved_on: date) -> AnnualList:
    """Record the date the Minister approved the year's law-making programme: the list becomes
    DRAFT and is due 15 days later (rolled forward to a working day). Recording again while DRAFT
    corrects the date and moves the deadline."""
    if not annual_list_may_edit(actor, AnnualList(point=point, year=year)):
        raise PermissionDenied
    if point.level != Point.Level.MINISTRY:
        raise ValidationError(_("Only ministry TBT points send an annual list."), code="not_ministry")
    today = timezone.localdate()
    if approved_on > today:
        raise ValidationError(_("The approval date cannot be in the future."), code="future")
    if approved_on.year not in (year - 1, year):
        raise ValidationError(
            _("The programme for %(year)s is approved in %(previous)s or %(year)s."),
            code="wrong_year",
            params={"year": year, "previous": year - 1},
        )
    with transaction.atomic():
        annual_list, _created = AnnualList.objects.select_for_update(of=("self",)).get_or_create(point=point, year=year)
        old = annual_list.state
        if old == AnnualList.State.DRAFT:
            if annual_list.programme_approved_on == approved_on:
                return annual_list  # nothing to change
            verb = "approval_date_corrected"
        else:
            _check_transition(AnnualList, old, AnnualList.State.DRAFT)
            verb = "approval_recorded"
        annual_list.programme_approved_on = approved_on
        annual_list.due_date = annual_list_due_date(approved_on)
        annual_list.state = AnnualList.State.DRAFT
        annual_list.save(update_fields=["programme_approved_on", "due_date", "state"])
        event_record(
            obj=annual_list,
            actor=actor,
            verb=verb,
            from_state=old,
            to_state=annual_list.state,
            note=f"{approved_on:%d/%m/%Y}",
        )
        _annual_list_deadline(annual_list, actor)
    return annual_list


def _lock_for_edit(actor: User, annual_list: AnnualList) -> AnnualList:
    locked = AnnualList.objects.select_for_update(of=("self",)).select_related("point").get(pk=annual_list.pk)
    if not annual_list_may_edit(actor, locked):
        raise PermissionDenied
    if locked.state != AnnualList.State.DRAFT:
        if locked.state == AnnualList.State.AWAITING_APPROVAL:
            raise ValidationError(
                _("Record the date the Minister approved the law-making programme first."), code="awaiting"
            )
        raise ValidationError(_("The list has been submitted and can no longer be changed."), code="submitted")
    return locked


def annual_list_item_add(
    *,
    actor: User,
    annual_list: AnnualList,
    title: str,
    doc_type: str,
    planned_issue_date: date,
    responsible_unit: str,
) -> AnnualListItem:
    """Add a document to a DRAFT list of the actor's own ministry."""
    with transaction.atomic():
        locked = _lock_for_edit(actor, annual_list)
        item = AnnualListItem(
            annual_list=locked,
            title=title.strip(),
            doc_type=doc_type,
            planned_issue_date=planned_issue_date,
            responsible_unit=responsible_unit.strip(),
        )
        item.full_clean()
        item.save()
        event_record(obj=locked, actor=actor, verb="item_added", note=item.title[:500])
    return item


def annual_list_item_remove(*, actor: User, item: AnnualListItem) -> None:
    """Remove a document from a DRAFT list of the actor's own ministry."""
    with transaction.atomic():
        locked = _lock_for_edit(actor, item.annual_list)
        title = item.title
        deleted, _rows = AnnualListItem.objects.filter(pk=item.pk, annual_list=locked).delete()
        if deleted:
            event_record(obj=locked, actor=actor, verb="item_removed", note=title[:500])


def annual_list_submit(*, actor: User, annual_list: AnnualList, no_documents: bool = False) -> AnnualList:
    """Send the list to the national point: at least one document, or the explicit confirmation
    that the programme has no TBT-related documents this year. Closes the deadline and tells the
    national point's officers by e-mail."""
    with transaction.atomic():
        locked = _lock_for_edit(actor, annual_list)
        count = locked.items.count()
        if count == 0 and not no_documents:
            raise ValidationError(
                _("Add at least one document, or confirm that this year's programme has no TBT-related documents."),
                code="empty",
            )
        if count and no_documents:
            raise ValidationError(
                _("The list has documents: it cannot also be confirmed as having none."), code="not_empty"
            )
        _check_transition(AnnualList, locked.state, AnnualList.State.SUBMITTED)
        old = locked.state
        locked.state = AnnualList.State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.save(update_fields=["state", "submitted_at", "submitted_by"])
        event_record(
            obj=locked,
            actor=actor,
            verb="submitted_no_documents" if no_documents else "submitted",
            from_state=old,
            to_state=locked.state,
        )
        deadline_close(obj=locked, kind=ANNUAL_LIST_DEADLINE, actor=actor)
        path = _path("network:annual_list_detail", public_id=locked.public_id)
        for to, language in _national_recipients():
            email_enqueue(
                to=to,
                template="annual_list_submitted",
                language=language,
                context={
                    "annual_list": locked,
                    "point": locked.point,
                    "year": locked.year,
                    "count": count,
                    "no_documents": no_documents,
                    "actor": actor,
                    "url": absolute_link(path, language),
                },
            )
    return locked


# --- Annual reports (Đ15.7, Đ16.4, Đ17.6) -----------------------------------------------------
def _report_titles(kind: str, year: int) -> tuple[str, str]:
    if kind == AnnualReport.Kind.PRIME_MINISTER:
        return (
            f"Báo cáo Thủ tướng Chính phủ về hoạt động của Mạng lưới TBT và Ban liên ngành TBT năm {year}",
            f"Report to the Prime Minister on the TBT network and the TBT Board, {year}",
        )
    return (
        f"Báo cáo tình hình hoạt động TBT năm {year} gửi Bộ Khoa học và Công nghệ",
        f"Annual TBT report {year} to the Ministry of Science and Technology",
    )


def _report_open(point: Point, year: int, kind: str, due_date: date) -> int:
    with transaction.atomic():
        report, created = AnnualReport.objects.get_or_create(
            point=point, year=year, kind=kind, defaults={"due_date": due_date}
        )
        if not created:
            return 0
        event_record(obj=report, actor=None, verb="report_opened", to_state=report.state, point=point)
        title_vi, title_en = _report_titles(kind, year)
        deadline_open(
            obj=report,
            kind=ANNUAL_REPORT_DEADLINE,
            title_vi=title_vi,
            title_en=title_en,
            point=point,
            due_date=due_date,
            url=_path("network:report_detail", public_id=report.public_id),
        )
    return 1


def annual_reports_open_for_year(*, year: int | None = None, today: date | None = None, force: bool = False) -> int:
    """Open the year's annual reports with their deadlines (idempotent; returns how many were created).

    Every ministry point reports to the Ministry of Science and Technology by 5 December (rolled
    forward if that is not a working day), every provincial point before 5 December (4 December,
    rolled back); the national point prepares the
    Ministry's report to the Prime Minister, due before 25 December (24 December, or the working
    day before). Nothing happens before 1 October of the year unless ``force``."""
    today = today or timezone.localdate()
    year = year or today.year
    if not force and today < date(year, *REPORTS_OPEN_FROM):
        return 0
    created = 0
    points = Point.objects.filter(is_active=True, level__in=[Point.Level.MINISTRY, Point.Level.PROVINCIAL]).order_by(
        "sort_order", "code"
    )
    for point in points:
        created += _report_open(point, year, AnnualReport.Kind.POINT, point_report_due_date(year, point.level))
    national = Point.objects.filter(level=Point.Level.NATIONAL, is_active=True).first()
    if national is not None:
        created += _report_open(national, year, AnnualReport.Kind.PRIME_MINISTER, pm_report_due_date(year))
    return created


def annual_duties_ensure(*, today: date | None = None) -> int:
    """Make sure this year's annual lists and (from 1 October) annual reports exist, with their
    deadlines. Called before every deadline scan, so a portal started (or a point added) on any day
    has its duties within minutes instead of after the next nightly run; two count queries when
    there is nothing to do. Returns how many objects were created."""
    today = today or timezone.localdate()
    year = today.year
    created = 0
    ministries = Point.objects.filter(level=Point.Level.MINISTRY, is_active=True).count()
    if (
        AnnualList.objects.filter(year=year, point__level=Point.Level.MINISTRY, point__is_active=True).count()
        < ministries
    ):
        created += annual_lists_ensure_year(year=year)
    if today >= date(year, *REPORTS_OPEN_FROM):
        expected = Point.objects.filter(is_active=True).count()
        if AnnualReport.objects.filter(year=year, point__is_active=True).count() < expected:
            created += annual_reports_open_for_year(year=year, today=today)
    return created


def annual_report_submit(*, actor: User, report: AnnualReport) -> AnnualReport:
    """The point marks its report submitted (the content and the PDF come later): closes the
    deadline; a point's report is announced to the national point's officers."""
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update(of=("self",)).select_related("point").get(pk=report.pk)
        if not annual_report_may_submit(actor, locked):
            raise PermissionDenied
        if locked.state == AnnualReport.State.SUBMITTED:
            raise ValidationError(_("This report has already been submitted."), code="submitted")
        _check_transition(AnnualReport, locked.state, AnnualReport.State.SUBMITTED)
        old = locked.state
        locked.state = AnnualReport.State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_at"])
        event_record(obj=locked, actor=actor, verb="submitted", from_state=old, to_state=locked.state)
        deadline_close(obj=locked, kind=ANNUAL_REPORT_DEADLINE, actor=actor)
        if locked.kind == AnnualReport.Kind.POINT:
            path = _path("network:report_detail", public_id=locked.public_id)
            for to, language in _national_recipients():
                email_enqueue(
                    to=to,
                    template="annual_report_submitted",
                    language=language,
                    context={
                        "report": locked,
                        "point": locked.point,
                        "year": locked.year,
                        "actor": actor,
                        "url": absolute_link(path, language),
                    },
                )
    return locked
