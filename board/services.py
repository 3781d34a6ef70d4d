"""Every write of the Board app.

Each service checks who may act and whether the transition is allowed, locks the row, changes it,
saves with ``update_fields``, writes an event row in the same transaction, and queues side effects
(outbox e-mails, PDF generation) to run after commit. A refusal raises ``ValidationError`` (or
``PermissionDenied``) before anything is written, so a refused call changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network.calendar import holidays_between, is_working_day
from network.deadlines import deadline_close, deadline_open
from network.events import event_record
from network.models import User
from network.outbox import email_enqueue

from . import permissions
from .models import (
    AgendaItem,
    BoardAgency,
    Consultation,
    Escalation,
    Invitation,
    ItemVote,
    Meeting,
    Membership,
    Paper,
    PdfState,
    Recommendation,
    Reservation,
    WorkPlan,
    WorkPlanItem,
    vote_carries,
)
from .selectors import (
    agency_tbt_point,
    escalations_for,
    head_in_office,
    national_point,
    object_url,
    seat_filter,
)

log = logging.getLogger(__name__)

DEADLINE_PAPERS = "board_papers"
DEADLINE_REPLY = "board_reply"
DEADLINE_TERM_END = "board_term_end"
DEADLINE_WORKPLAN_TASK = "board_workplan_task"


# --- Helpers -------------------------------------------------------------------------------------
def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _check_transition(model: Any, current: str, target: str) -> None:
    if target not in model.TRANSITIONS.get(current, set()):
        raise _refuse(
            _("This is not possible in the current state (%(state)s).") % {"state": model.State(current).label},
            "transition",
        )


def _url(name: str, **kwargs: Any) -> str:
    """A path for stored links (deadlines): the unprefixed Vietnamese URL."""
    with translation.override("vi"):
        return reverse(name, kwargs=kwargs)


def _mail(memberships: Iterable[Membership], template: str, context: Mapping[str, Any]) -> int:
    sent = 0
    for membership in memberships:
        to, language = membership.contact()
        if to:
            email_enqueue(to=to, template=template, context={**context, "membership": membership}, language=language)
            sent += 1
    return sent


def _working_day_on_or_before(day: date) -> date:
    holidays = holidays_between(day - timedelta(days=30), day)
    while not is_working_day(day, holidays):
        day -= timedelta(days=1)
    return day


def _fresh_membership(actor: User) -> Membership | None:
    return permissions.active_membership(actor)


def _seat_label_vi(membership: Membership) -> str:
    with translation.override("vi"):
        return membership.seat_label


def _seat_label_en(membership: Membership) -> str:
    with translation.override("en"):
        return membership.seat_label


# --- Membership (administrators; Đ10.1, Đ15.2) ------------------------------------------------------
@transaction.atomic
def membership_nominate(
    *,
    actor: User,
    role: str,
    agency: BoardAgency | None,
    full_name: str,
    position_vi: str,
    email: str,
    position_en: str = "",
    phone: str = "",
    user: User | None = None,
    organisation_vi: str = "",
    organisation_en: str = "",
    nomination_reference: str = "",
) -> Membership:
    """Record an agency's nomination of a representative for a seat (not yet in office)."""
    if not permissions.can_manage_membership(actor):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise _refuse(_("Unknown role."), "role")
    if role == Membership.Role.MEMBER and agency is None:
        raise _refuse(_("A member represents an agency: choose the agency."), "agency")
    if role == Membership.Role.MEMBER:
        organisation_vi = organisation_en = ""
    if not full_name.strip() or not position_vi.strip() or not email.strip():
        raise _refuse(_("Name, position and e-mail are required."), "required")
    membership = Membership.objects.create(
        role=role,
        agency=agency,
        full_name=full_name.strip(),
        position_vi=position_vi.strip(),
        position_en=position_en.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        user=user,
        organisation_vi=organisation_vi.strip(),
        organisation_en=organisation_en.strip(),
        nomination_reference=nomination_reference.strip(),
        nominated_by=actor,
    )
    event_record(
        obj=membership, actor=actor, verb="board_nominated", to_state=membership.state, note=nomination_reference
    )
    return membership


@transaction.atomic
def membership_appoint(
    *,
    actor: User,
    membership: Membership,
    decision_number: str,
    decision_date: date,
    term_start: date,
    term_end: date | None = None,
) -> Membership:
    """The Ministry's decision appoints a nominee (Đ15.2). If the seat is held, the holder is replaced:
    their term ends on the day the new one starts, so the seat is never vacant nor held twice."""
    if not permissions.can_manage_membership(actor):
        raise PermissionDenied
    nominee = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    _check_transition(Membership, nominee.state, Membership.State.ACTIVE)
    today = timezone.localdate()
    if not decision_number.strip():
        raise _refuse(_("The decision number is required."), "decision")
    if decision_date > today:
        raise _refuse(_("The decision date cannot be in the future."), "decision_date")
    if term_start > today:
        raise _refuse(_("Record the appointment on or after the first day of the term."), "term_start")
    if term_end is not None and term_end <= term_start:
        raise _refuse(_("The end of the term must be after its start."), "term_end")

    seat = seat_filter(role=nominee.role, agency=nominee.agency)
    holder = Membership.objects.select_for_update(of=("self",)).filter(seat, state=Membership.State.ACTIVE).first()
    if holder is not None and term_start < holder.term_start:  # type: ignore[operator]
        raise _refuse(
            _("The new term cannot start before the current holder's term (%(start)s).")
            % {"start": f"{holder.term_start:%d/%m/%Y}"},
            "term_start",
        )
    last_end = Membership.objects.filter(seat, state=Membership.State.ENDED).aggregate(last=Max("ended_on"))["last"]
    if holder is None and last_end is not None and term_start < last_end:
        raise _refuse(
            _("The seat was held until %(end)s: the new term cannot start earlier.") % {"end": f"{last_end:%d/%m/%Y}"},
            "term_start",
        )
    if nominee.user_id is not None:
        other = (
            Membership.objects.filter(user_id=nominee.user_id, state=Membership.State.ACTIVE)
            .exclude(pk=getattr(holder, "pk", 0))
            .first()
        )
        if other is not None:
            raise _refuse(
                _("%(name)s already holds another seat (%(seat)s).")
                % {"name": other.full_name, "seat": other.seat_label},
                "user",
            )

    if holder is not None:
        # End the old term first: the partial unique constraint admits one holder at a time.
        holder.state = Membership.State.ENDED
        holder.ended_on = term_start
        holder.save(update_fields=["state", "ended_on"])
        event_record(
            obj=holder,
            actor=actor,
            verb="board_replaced",
            from_state=Membership.State.ACTIVE,
            to_state=holder.state,
            note=f"{nominee.full_name}, {decision_number} ({term_start:%d/%m/%Y})",
        )
        deadline_close(obj=holder, kind=DEADLINE_TERM_END, actor=actor)

    old_state = nominee.state
    nominee.state = Membership.State.ACTIVE
    nominee.decision_number = decision_number.strip()
    nominee.decision_date = decision_date
    nominee.term_start = term_start
    nominee.term_end = term_end
    nominee.predecessor = holder
    nominee.save(update_fields=["state", "decision_number", "decision_date", "term_start", "term_end", "predecessor"])
    event_record(
        obj=nominee,
        actor=actor,
        verb="board_appointed",
        from_state=old_state,
        to_state=nominee.state,
        note=f"{decision_number} {decision_date:%d/%m/%Y}",
    )

    national = national_point()
    if term_end is not None and national is not None:
        deadline_open(
            obj=nominee,
            kind=DEADLINE_TERM_END,
            point=national,
            due_date=term_end,
            actor=actor,
            title_vi=f"Hết nhiệm kỳ thành viên Ban liên ngành TBT: {nominee.full_name} ({_seat_label_vi(nominee)})",
            title_en=f"End of a Board term: {nominee.full_name} ({_seat_label_en(nominee)})",
            url=_url("board:seat_history", seat=nominee.seat_key),
        )
    if holder is not None:
        _invite_successor(actor=actor, predecessor=holder, successor=nominee)
    _mail([nominee], "board_appointed", {"predecessor": holder})
    return nominee


def _invite_successor(*, actor: User, predecessor: Membership, successor: Membership) -> None:
    """A member replaced between the invitation and the meeting: the agency's new representative is invited."""
    meetings = Meeting.objects.filter(state=Meeting.State.CONVENED, invitations__membership=predecessor)
    for meeting in meetings:
        invitation, created = Invitation.objects.get_or_create(meeting=meeting, membership=successor)
        if created:
            event_record(obj=meeting, actor=actor, verb="board_invited", note=successor.full_name)
            _mail([successor], "board_invitation", _invitation_context(meeting))
            _open_reply_deadline(invitation, actor)


@transaction.atomic
def membership_withdraw(*, actor: User, membership: Membership, reason: str = "") -> Membership:
    if not permissions.can_manage_membership(actor):
        raise PermissionDenied
    locked = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    _check_transition(Membership, locked.state, Membership.State.WITHDRAWN)
    old = locked.state
    locked.state = Membership.State.WITHDRAWN
    locked.save(update_fields=["state"])
    event_record(
        obj=locked, actor=actor, verb="board_nomination_withdrawn", from_state=old, to_state=locked.state, note=reason
    )
    return locked


@transaction.atomic
def membership_update_contact(
    *,
    actor: User,
    membership: Membership,
    position_vi: str,
    position_en: str,
    email: str,
    phone: str,
    user: User | None,
) -> Membership:
    """Correct a member's contact details (the seat and term change only by decision)."""
    if not permissions.can_manage_membership(actor):
        raise PermissionDenied
    locked = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    if locked.state not in (Membership.State.NOMINATED, Membership.State.ACTIVE):
        raise _refuse(_("Only a nominee or a member in office can be edited."), "state")
    if (
        user is not None
        and locked.state == Membership.State.ACTIVE
        and Membership.objects.filter(user=user, state=Membership.State.ACTIVE).exclude(pk=locked.pk).exists()
    ):
        raise _refuse(_("This user account already holds another seat."), "user")
    changes = []
    for field, value in (
        ("position_vi", position_vi.strip()),
        ("position_en", position_en.strip()),
        ("email", email.strip().lower()),
        ("phone", phone.strip()),
    ):
        if getattr(locked, field) != value:
            setattr(locked, field, value)
            changes.append(field)
    if locked.user_id != (user.pk if user else None):
        locked.user = user
        changes.append("user")
    if changes:
        locked.save(update_fields=changes)
        event_record(obj=locked, actor=actor, verb="board_contact_updated", note=", ".join(changes))
    return locked


# --- Escalation from the network (Đ12.1-2) ---------------------------------------------------------
@transaction.atomic
def board_escalate(*, actor: User, obj: models.Model, summary: str, question: str) -> Escalation:
    """A national officer raises ``obj`` (an enquiry, a notification, a trade concern...) to the Board
    through the standing body, with a summary and the question to decide."""
    if not permissions.can_escalate(actor):
        raise PermissionDenied
    summary, question = summary.strip(), question.strip()
    if not summary or not question:
        raise _refuse(_("Give a summary of the issue and the question for the Board."), "required")
    if escalations_for(obj).filter(state__in=Escalation.PENDING).exists():
        raise _refuse(_("This is already before the Board."), "duplicate")
    from django.contrib.contenttypes.models import ContentType

    escalation = Escalation.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        object_url=object_url(obj),
        summary=summary,
        question=question,
        raised_by=actor,
    )
    event_record(obj=escalation, actor=actor, verb="board_escalated", to_state=escalation.state, note=question)
    # The escalated object's own thread shows that it went to the Board.
    event_record(obj=obj, actor=actor, verb="board_escalated", note=question)
    recipients = list(
        Membership.objects.filter(
            state=Membership.State.ACTIVE, role__in=[Membership.Role.HEAD, Membership.Role.SECRETARY]
        )
    )
    _mail(recipients, "board_escalation", {"escalation": escalation})
    return escalation


@transaction.atomic
def escalation_withdraw(*, actor: User, escalation: Escalation, reason: str = "") -> Escalation:
    locked = Escalation.objects.select_for_update(of=("self",)).get(pk=escalation.pk)
    if not permissions.can_withdraw_escalation(actor, locked):
        if locked.state != Escalation.State.OPEN:
            _check_transition(Escalation, locked.state, Escalation.State.WITHDRAWN)
        raise PermissionDenied
    _check_transition(Escalation, locked.state, Escalation.State.WITHDRAWN)
    old = locked.state
    locked.state = Escalation.State.WITHDRAWN
    locked.save(update_fields=["state"])
    event_record(
        obj=locked, actor=actor, verb="board_escalation_withdrawn", from_state=old, to_state=locked.state, note=reason
    )
    target = locked.target
    if target is not None:
        event_record(obj=target, actor=actor, verb="board_escalation_withdrawn", note=reason)
    return locked


def _escalation_move(escalation: Escalation, target: str, actor: User | None, note: str = "") -> None:
    locked = Escalation.objects.select_for_update(of=("self",)).get(pk=escalation.pk)
    _check_transition(Escalation, locked.state, target)
    old = locked.state
    locked.state = target
    fields = ["state"]
    if target == Escalation.State.CONCLUDED:
        locked.concluded_at = timezone.now()
        fields.append("concluded_at")
    locked.save(update_fields=fields)
    event_record(obj=locked, actor=actor, verb=f"board_escalation_{target}", from_state=old, to_state=target, note=note)


# --- Meetings (Đ11.1) --------------------------------------------------------------------------------
def _papers_due(meeting: Meeting) -> date:
    return _working_day_on_or_before(meeting.date - timedelta(days=settings.BOARD_PAPERS_DAYS_BEFORE))


def _open_papers_deadline(meeting: Meeting, actor: User | None) -> None:
    national = national_point()
    if meeting.kind != Meeting.Kind.PERIODIC or national is None:
        return
    secretary = Membership.objects.filter(role=Membership.Role.SECRETARY, state=Membership.State.ACTIVE).first()
    deadline_open(
        obj=meeting,
        kind=DEADLINE_PAPERS,
        point=national,
        due_date=_papers_due(meeting),
        actor=actor,
        person=secretary.user if secretary is not None else None,
        title_vi=f"Gửi giấy mời và tài liệu họp Ban liên ngành TBT: {meeting.title}",
        title_en=f"Send the Board meeting invitations and papers: {meeting.title}",
        url=_url("board:meeting_detail", public_id=meeting.public_id),
    )


@transaction.atomic
def meeting_create(
    *, actor: User, kind: str, title: str, starts_at: datetime, place: str, remote_link: str = ""
) -> Meeting:
    """Schedule a meeting convened by the Head in office: the periodic meeting of the year, or an
    ad-hoc one (Đ11.1). A periodic meeting gets its work plan items on the agenda."""
    if not permissions.can_create_meeting(actor):
        raise PermissionDenied
    head = head_in_office()
    if head is None:
        raise _refuse(_("The Board has no Head in office to convene a meeting."), "head")
    if kind not in Meeting.Kind.values:
        raise _refuse(_("Unknown kind of meeting."), "kind")
    now = timezone.now()
    if starts_at <= now:
        raise _refuse(_("The meeting must be in the future."), "starts_at")
    local = timezone.localtime(starts_at)
    if kind == Meeting.Kind.PERIODIC:
        earliest = timezone.localdate() + timedelta(days=settings.BOARD_PAPERS_DAYS_BEFORE)
        if local.date() < earliest:
            raise _refuse(
                _("A periodic meeting needs the papers %(days)s days ahead: schedule it on %(date)s or later.")
                % {"days": settings.BOARD_PAPERS_DAYS_BEFORE, "date": f"{earliest:%d/%m/%Y}"},
                "starts_at",
            )
        if Meeting.objects.filter(kind=kind, year=local.year).exclude(state=Meeting.State.CANCELLED).exists():
            raise _refuse(
                _("The periodic meeting of %(year)s is already scheduled.") % {"year": local.year}, "periodic"
            )
    meeting = Meeting.objects.create(
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        place=place.strip(),
        remote_link=remote_link.strip(),
        convened_by=head,
        created_by=actor,
    )
    event_record(
        obj=meeting, actor=actor, verb="board_meeting_scheduled", to_state=meeting.state, note=f"{local:%d/%m/%Y %H:%M}"
    )
    if kind == Meeting.Kind.PERIODIC:
        _add_workplan_items(meeting, actor)
        _open_papers_deadline(meeting, actor)
    return meeting


def _add_workplan_items(meeting: Meeting, actor: User) -> None:
    """Đ11.1: the periodic meeting reviews this year's work plan and adopts next year's."""
    current = WorkPlan.objects.filter(year=meeting.year, state=WorkPlan.State.ADOPTED).first()
    if current is not None:
        _item_create(
            meeting=meeting,
            actor=actor,
            kind=AgendaItem.Kind.WORKPLAN_REVIEW,
            work_plan=current,
            title=_("Review of the Board's work plan %(year)s") % {"year": current.year},
        )
    following = WorkPlan.objects.filter(year=meeting.year + 1, state=WorkPlan.State.DRAFT).first()
    if following is not None:
        _item_create(
            meeting=meeting,
            actor=actor,
            kind=AgendaItem.Kind.WORKPLAN_ADOPTION,
            work_plan=following,
            title=_("Adoption of the Board's work plan %(year)s") % {"year": following.year},
        )


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, title: str, starts_at: datetime, place: str, remote_link: str = ""
) -> Meeting:
    """Change a meeting still being prepared (a convened meeting is cancelled and convened anew)."""
    if not permissions.can_prepare(actor, meeting):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if locked.state != Meeting.State.DRAFT:
        raise _refuse(_("Only a meeting being prepared can be changed."), "state")
    if starts_at <= timezone.now():
        raise _refuse(_("The meeting must be in the future."), "starts_at")
    new_year = timezone.localtime(starts_at).year
    if (
        locked.kind == Meeting.Kind.PERIODIC
        and new_year != locked.year
        and Meeting.objects.filter(kind=locked.kind, year=new_year)
        .exclude(state=Meeting.State.CANCELLED)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise _refuse(_("The periodic meeting of %(year)s is already scheduled.") % {"year": new_year}, "periodic")
    locked.title, locked.starts_at, locked.place, locked.remote_link = (
        title.strip(),
        starts_at,
        place.strip(),
        remote_link.strip(),
    )
    locked.save(update_fields=["title", "starts_at", "place", "remote_link"])
    event_record(
        obj=locked, actor=actor, verb="board_meeting_changed", note=f"{timezone.localtime(starts_at):%d/%m/%Y %H:%M}"
    )
    if locked.kind == Meeting.Kind.PERIODIC:
        _open_papers_deadline(locked, actor)
    return locked


def _item_create(
    *,
    meeting: Meeting,
    actor: User,
    kind: str,
    title: str,
    description: str = "",
    escalation: Escalation | None = None,
    work_plan: WorkPlan | None = None,
) -> AgendaItem:
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        escalation=escalation,
        work_plan=work_plan,
        added_by=actor,
    )
    event_record(obj=meeting, actor=actor, verb="board_item_added", note=item.title)
    return item


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    title: str,
    description: str = "",
    escalation: Escalation | None = None,
    work_plan: WorkPlan | None = None,
) -> AgendaItem:
    """Put an item on the agenda: an escalated issue, the work plan, or an item of the Head's."""
    if not permissions.can_prepare(actor, meeting):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if locked.state not in (Meeting.State.DRAFT, Meeting.State.CONVENED):
        raise _refuse(_("Items can be added only before the meeting is held."), "state")
    if kind == AgendaItem.Kind.HEAD and not permissions.is_head(actor):
        raise _refuse(_("Only the Head adds items of their own."), "kind")
    if kind == AgendaItem.Kind.ESCALATION:
        if escalation is None:
            raise _refuse(_("Choose the escalated issue."), "escalation")
        _escalation_move(escalation, Escalation.State.SCHEDULED, actor, note=locked.title)
        title = title or escalation.object_repr
        description = description or f"{escalation.summary}\n\n{escalation.question}"
    else:
        escalation = None
    if kind in (AgendaItem.Kind.WORKPLAN_REVIEW, AgendaItem.Kind.WORKPLAN_ADOPTION):
        if work_plan is None:
            raise _refuse(_("Choose the work plan."), "work_plan")
        if kind == AgendaItem.Kind.WORKPLAN_ADOPTION and work_plan.state != WorkPlan.State.DRAFT:
            raise _refuse(_("This work plan is already adopted."), "work_plan")
    else:
        work_plan = None
    if not (title or "").strip():
        raise _refuse(_("The item needs a title."), "title")
    item = _item_create(
        meeting=locked,
        actor=actor,
        kind=kind,
        title=title,
        description=description,
        escalation=escalation,
        work_plan=work_plan,
    )
    if escalation is not None:
        target = escalation.target
        if target is not None:
            event_record(obj=target, actor=actor, verb="board_scheduled", note=locked.title)
    if locked.state == Meeting.State.CONVENED:
        _mail(_invitees(locked), "board_agenda_changed", {"meeting": locked, "item": item})
    return item


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    if not permissions.can_prepare(actor, item.meeting):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=item.meeting_id)
    if meeting.state != Meeting.State.DRAFT:
        raise _refuse(_("Items can be removed only while the meeting is being prepared."), "state")
    if item.escalation_id is not None:
        _escalation_move(item.escalation, Escalation.State.OPEN, actor, note=meeting.title)  # type: ignore[arg-type]
    event_record(obj=meeting, actor=actor, verb="board_item_removed", note=item.title)
    item.papers.update(item=None)
    item.delete()


ALLOWED_PAPER_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "ppt", "pptx", "txt", "zip"}


@transaction.atomic
def paper_add(
    *, actor: User, meeting: Meeting, title: str, file: UploadedFile, item: AgendaItem | None = None
) -> Paper:
    """The Secretary (or the Head) attaches a paper; members already invited are told."""
    if not permissions.can_prepare(actor, meeting):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if locked.state not in (Meeting.State.DRAFT, Meeting.State.CONVENED):
        raise _refuse(_("Papers can be added only before the meeting is held."), "state")
    if item is not None and item.meeting_id != locked.pk:
        raise _refuse(_("This item belongs to another meeting."), "item")
    name = (file.name or "").lower()
    if "." not in name or name.rsplit(".", 1)[1] not in ALLOWED_PAPER_EXTENSIONS:
        raise _refuse(_("This type of file is not accepted."), "file")
    if (file.size or 0) > settings.BOARD_PAPER_MAX_MB * 1024 * 1024:
        raise _refuse(_("The file is larger than %(mb)s MB.") % {"mb": settings.BOARD_PAPER_MAX_MB}, "file")
    paper = Paper.objects.create(
        meeting=locked, item=item, title=title.strip() or file.name or "", file=file, uploaded_by=actor
    )
    event_record(obj=locked, actor=actor, verb="board_paper_added", note=paper.title)
    if locked.state == Meeting.State.CONVENED:
        _mail(_invitees(locked), "board_paper_added", {"meeting": locked, "paper": paper})
    return paper


def _invitees(meeting: Meeting) -> list[Membership]:
    return [inv.membership for inv in meeting.invitations.select_related("membership__user", "membership__agency")]


def _invitation_context(meeting: Meeting) -> dict[str, Any]:
    return {"meeting": meeting, "items": list(meeting.items.all()), "papers": list(meeting.papers.all())}


def _open_reply_deadline(invitation: Invitation, actor: User | None) -> None:
    national = national_point()
    membership = invitation.membership
    if national is None or membership.user is None:
        return
    meeting = invitation.meeting
    due = _working_day_on_or_before(meeting.date - timedelta(days=settings.BOARD_REPLY_DAYS_BEFORE))
    due = max(due, timezone.localdate())
    deadline_open(
        obj=invitation,
        kind=DEADLINE_REPLY,
        point=national,
        person=membership.user,
        due_date=due,
        actor=actor,
        title_vi=f"Xác nhận dự họp hoặc gửi ý kiến bằng văn bản: {meeting.title}",
        title_en=f"Confirm attendance or send a written opinion: {meeting.title}",
        url=_url("board:invitation_reply", public_id=meeting.public_id),
    )


@transaction.atomic
def meeting_convene(*, actor: User, meeting: Meeting) -> Meeting:
    """Send the invitations with the agenda and links to the papers to every member in office."""
    if not permissions.can_prepare(actor, meeting):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _check_transition(Meeting, locked.state, Meeting.State.CONVENED)
    if not locked.items.exists():
        raise _refuse(_("Put at least one item on the agenda before sending the invitations."), "agenda")
    if locked.starts_at <= timezone.now():
        raise _refuse(_("The meeting date has passed: change it before sending the invitations."), "starts_at")
    members = list(Membership.objects.filter(state=Membership.State.ACTIVE).select_related("user", "agency"))
    old = locked.state
    locked.state = Meeting.State.CONVENED
    locked.convened_at = timezone.now()
    locked.save(update_fields=["state", "convened_at"])
    event_record(
        obj=locked,
        actor=actor,
        verb="board_meeting_convened",
        from_state=old,
        to_state=locked.state,
        note=str(len(members)),
    )
    context = _invitation_context(locked)
    for membership in members:
        invitation = Invitation.objects.create(meeting=locked, membership=membership)
        _open_reply_deadline(invitation, actor)
    _mail(members, "board_invitation", context)
    # The papers went out with the invitations: the Secretary's duty is done (late or not).
    deadline_close(obj=locked, kind=DEADLINE_PAPERS, actor=actor)
    return locked


@transaction.atomic
def invitation_reply(*, actor: User, meeting: Meeting, reply: str, written_opinion: str = "") -> Invitation:
    """A member confirms attendance (in person or remotely) or sends a written opinion (Đ10.2)."""
    membership = _fresh_membership(actor)
    if membership is None:
        raise PermissionDenied
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).filter(meeting=locked, membership=membership).first()
    )
    if invitation is None:
        raise PermissionDenied
    if locked.state != Meeting.State.CONVENED:
        raise _refuse(_("Replies are closed for this meeting."), "state")
    if reply not in (Invitation.Reply.IN_PERSON, Invitation.Reply.REMOTE, Invitation.Reply.WRITTEN):
        raise _refuse(_("Choose a reply."), "reply")
    written_opinion = written_opinion.strip()
    if reply == Invitation.Reply.WRITTEN and not written_opinion:
        raise _refuse(_("Write your opinion: it is the position of your agency (Đ10.2)."), "written_opinion")
    old = invitation.reply
    invitation.reply = reply
    invitation.written_opinion = written_opinion
    invitation.replied_at = timezone.now()
    invitation.save(update_fields=["reply", "written_opinion", "replied_at"])
    event_record(
        obj=locked,
        actor=actor,
        verb="board_invitation_replied",
        from_state=old,
        to_state=reply,
        note=membership.full_name,
    )
    deadline_close(obj=invitation, kind=DEADLINE_REPLY, actor=actor)
    return invitation


@transaction.atomic
def consultation_record(*, actor: User, item: AgendaItem, consulted_on: date, position: str = "") -> Consultation:
    """Đ12.2: a member from a ministry with a TBT point records that they agreed the position with it."""
    membership = _fresh_membership(actor)
    if membership is None:
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=item.meeting_id)
    if not meeting.invitations.filter(membership=membership).exists():
        raise PermissionDenied
    if meeting.state != Meeting.State.CONVENED:
        raise _refuse(_("Consultations are recorded before the meeting."), "state")
    point = agency_tbt_point(membership.agency)
    if point is None:
        raise _refuse(_("Your agency has no TBT point to consult."), "point")
    if consulted_on > timezone.localdate():
        raise _refuse(_("The date cannot be in the future."), "consulted_on")
    consultation, created = Consultation.objects.update_or_create(
        item=item,
        membership=membership,
        defaults={
            "point": point,
            "consulted_on": consulted_on,
            "position": position.strip(),
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    event_record(obj=meeting, actor=actor, verb="board_point_consulted", note=f"{item.title[:80]}: {point}")
    return consultation


@transaction.atomic
def attendance_record(*, actor: User, meeting: Meeting, attendance: Mapping[int, str]) -> Meeting:
    """The Secretary records who was present, in person or remotely (CONVENED → HELD, or a correction
    while HELD). The Head chairs; in the Head's absence the Deputy (Đ10.1.b)."""
    if not permissions.can_record(actor, meeting):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if locked.state not in (Meeting.State.CONVENED, Meeting.State.HELD):
        raise _refuse(_("Attendance is recorded once the meeting takes place."), "state")
    if locked.state == Meeting.State.CONVENED and timezone.localdate() < locked.date:
        raise _refuse(_("Attendance can be recorded from the day of the meeting."), "date")
    invitations = list(locked.invitations.select_for_update(of=("self",)).select_related("membership"))
    valid = {Invitation.Attendance.IN_PERSON, Invitation.Attendance.REMOTE, Invitation.Attendance.ABSENT}
    for invitation in invitations:
        if attendance.get(invitation.pk) not in valid:
            raise _refuse(_("Record the attendance of every member invited."), "attendance")
    present = [inv for inv in invitations if attendance[inv.pk] in Invitation.PRESENT]
    if not present:
        raise _refuse(_("Nobody was present: cancel the meeting instead."), "attendance")
    chair = next((inv.membership for inv in present if inv.membership.role == Membership.Role.HEAD), None) or next(
        (inv.membership for inv in present if inv.membership.role == Membership.Role.DEPUTY), None
    )
    if chair is None:
        raise _refuse(_("The Head or, in the Head's absence, the Deputy Head chairs the meeting."), "chair")
    for invitation in invitations:
        if invitation.attendance != attendance[invitation.pk]:
            invitation.attendance = attendance[invitation.pk]
            invitation.save(update_fields=["attendance"])
    old = locked.state
    if locked.state == Meeting.State.CONVENED:
        _check_transition(Meeting, locked.state, Meeting.State.HELD)
        locked.state = Meeting.State.HELD
        locked.held_at = timezone.now()
    locked.chaired_by = chair
    locked.save(update_fields=["state", "held_at", "chaired_by"])
    event_record(
        obj=locked,
        actor=actor,
        verb="board_attendance_recorded",
        from_state=old,
        to_state=locked.state,
        note=f"{len(present)}/{len(invitations)}",
    )
    for invitation in invitations:
        deadline_close(obj=invitation, kind=DEADLINE_REPLY, actor=actor)
    return locked


@transaction.atomic
def item_decide(
    *,
    actor: User,
    item: AgendaItem,
    method: str,
    participation: Mapping[int, tuple[str, str]],
    conclusion: str,
    declared: str = "",
) -> AgendaItem:
    """Record the outcome of one item (Đ11.2).

    ``method``: "consensus", "vote" or "deferred". ``participation``: invitation id → (attendance,
    vote) for this item. For a vote, ``declared`` is the result the Secretary records ("carried" or
    "not_carried"); the portal computes the majority from the votes and the attendance and refuses a
    result the numbers do not support."""
    if not permissions.can_record(actor, item.meeting):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=item.meeting_id)
    locked = AgendaItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if meeting.state != Meeting.State.HELD:
        raise _refuse(_("Outcomes are recorded after attendance, before the minutes are closed."), "state")
    invitations = {inv.pk: inv for inv in meeting.invitations.all()}
    attendance_values = {Invitation.Attendance.IN_PERSON, Invitation.Attendance.REMOTE, Invitation.Attendance.ABSENT}
    rows: dict[int, tuple[str, str]] = {}
    for inv_id, invitation in invitations.items():
        att, vote = participation.get(inv_id, (invitation.attendance, ""))
        if att not in attendance_values:
            raise _refuse(_("Record the attendance of every member for this item."), "attendance")
        if vote not in ItemVote.Vote.values:
            raise _refuse(_("Unknown vote."), "vote")
        if att == Invitation.Attendance.ABSENT and vote:
            raise _refuse(
                _("%(name)s was absent and cannot vote.") % {"name": invitation.membership.full_name}, "absent_vote"
            )
        rows[inv_id] = (att, vote)
    present = sum(1 for att, _vote in rows.values() if att in Invitation.PRESENT)
    votes_for = sum(1 for _att, vote in rows.values() if vote == ItemVote.Vote.FOR)
    against = sum(1 for _att, vote in rows.values() if vote == ItemVote.Vote.AGAINST)
    abstain = sum(1 for _att, vote in rows.values() if vote == ItemVote.Vote.ABSTAIN)
    conclusion = conclusion.strip()

    if method == "consensus":
        if present == 0:
            raise _refuse(_("Nobody was present for this item."), "present")
        if against or abstain:
            raise _refuse(_("A consensus has no votes against and no abstentions: record a vote instead."), "consensus")
        outcome = AgendaItem.Outcome.CONSENSUS
        votes_for = against = abstain = 0
    elif method == "vote":
        if present == 0:
            raise _refuse(_("Nobody was present for this item."), "present")
        if votes_for + against + abstain == 0:
            raise _refuse(_("Record how each member present voted."), "votes")
        carries = vote_carries(votes_for=votes_for, present=present)
        if declared == AgendaItem.Outcome.CARRIED and not carries:
            raise _refuse(
                _(
                    "Not carried: %(for)s of %(present)s members present voted for it; more than half (at least "
                    "%(needed)s) is needed (Đ11.2)."
                )
                % {"for": votes_for, "present": present, "needed": present // 2 + 1},
                "majority",
            )
        if declared == AgendaItem.Outcome.NOT_CARRIED and carries:
            raise _refuse(
                _("%(for)s of %(present)s members present voted for it: the proposal carried.")
                % {"for": votes_for, "present": present},
                "majority",
            )
        if declared not in (AgendaItem.Outcome.CARRIED, AgendaItem.Outcome.NOT_CARRIED):
            raise _refuse(_("Record the result of the vote."), "declared")
        outcome = AgendaItem.Outcome(declared)
    elif method == "deferred":
        outcome = AgendaItem.Outcome.DEFERRED
        votes_for = against = abstain = 0
    else:
        raise _refuse(_("Choose how the Board decided."), "method")
    if outcome != AgendaItem.Outcome.DEFERRED and not conclusion:
        raise _refuse(_("Write the Board's conclusion on this item."), "conclusion")
    if outcome not in AgendaItem.DECIDED and locked.reservations.exists():
        raise _refuse(_("This item has reservations: it cannot be left undecided."), "reservations")
    if outcome not in AgendaItem.ADOPTED and locked.recommendations.exists():
        raise _refuse(_("A recommendation was drafted on this item: it must stay adopted."), "recommendations")

    ItemVote.objects.filter(item=locked).delete()
    ItemVote.objects.bulk_create(
        [
            # A consensus or a deferral has no formal vote: only the attendance is kept.
            ItemVote(item=locked, invitation_id=inv_id, attendance=att, vote=vote if method == "vote" else "")
            for inv_id, (att, vote) in rows.items()
        ]
    )
    old = locked.outcome
    locked.outcome = outcome
    locked.conclusion = conclusion
    locked.present_count = present
    locked.votes_for, locked.votes_against, locked.votes_abstain = votes_for, against, abstain
    locked.decided_at = timezone.now()
    locked.save(
        update_fields=[
            "outcome",
            "conclusion",
            "present_count",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "decided_at",
        ]
    )
    note = f"{locked.title[:80]}"
    if method == "vote":
        note += f" ({votes_for}/{present}; -{against}; ={abstain})"
    event_record(obj=meeting, actor=actor, verb="board_item_decided", from_state=old, to_state=outcome, note=note)
    return locked


@transaction.atomic
def reservation_record(
    *, actor: User, item: AgendaItem, membership: Membership, opinion: str, explanation: str
) -> Reservation:
    """Ý kiến bảo lưu (Đ11.2): a member's own, or recorded by the Secretary for a member at the meeting."""
    own = _fresh_membership(actor)
    if own is None or (own.pk != membership.pk and own.role != Membership.Role.SECRETARY):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=item.meeting_id)
    locked = AgendaItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if not meeting.invitations.filter(membership=membership).exists():
        raise _refuse(_("Only a member invited to this meeting can enter a reservation."), "membership")
    if meeting.state != Meeting.State.HELD:
        raise _refuse(_("Reservations are entered after the decision and before the minutes are closed."), "state")
    if not locked.is_decided:
        raise _refuse(_("There is no decision on this item yet."), "undecided")
    if locked.recommendations.filter(state=Recommendation.State.ISSUED).exists():
        raise _refuse(_("The recommendation on this item has been sent."), "issued")
    opinion, explanation = opinion.strip(), explanation.strip()
    if not opinion or not explanation:
        raise _refuse(_("A reservation states the opinion and its explanation."), "required")
    reservation, created = Reservation.objects.update_or_create(
        item=locked,
        membership=membership,
        defaults={"opinion": opinion, "explanation": explanation, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    event_record(
        obj=meeting,
        actor=actor,
        verb="board_reservation_recorded" if created else "board_reservation_changed",
        note=f"{membership.full_name}: {locked.title[:80]}",
    )
    return reservation


def _queue_minutes(meeting: Meeting) -> None:
    from .tasks import board_minutes_render

    meeting_id = meeting.pk
    transaction.on_commit(lambda: board_minutes_render.delay(meeting_id))


def _next_number(values: Iterable[str], suffix: str) -> str:
    highest = 0
    for value in values:
        head = (value or "").split("/", 1)[0]
        if head.isdigit():
            highest = max(highest, int(head))
    return f"{highest + 1:02d}/{suffix}"


@transaction.atomic
def meeting_close(*, actor: User, meeting: Meeting, minutes_notes: str = "") -> Meeting:
    """Close the minutes (HELD → CLOSED): number them, queue the PDF, send the conclusions back to the
    escalated objects, adopt the work plan and tell the members."""
    if not permissions.can_record(actor, meeting):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _check_transition(Meeting, locked.state, Meeting.State.CLOSED)
    items = list(locked.items.select_related("escalation", "work_plan"))
    pending = [item for item in items if item.outcome == AgendaItem.Outcome.PENDING]
    if pending:
        raise _refuse(
            _("Record the outcome of every item first (or defer it): %(items)s")
            % {"items": "; ".join(item.title[:60] for item in pending)},
            "pending",
        )
    old = locked.state
    locked.state = Meeting.State.CLOSED
    locked.closed_at = timezone.now()
    locked.minutes_notes = minutes_notes.strip()
    locked.minutes_number = _next_number(
        Meeting.objects.filter(year=locked.year).exclude(minutes_number="").values_list("minutes_number", flat=True),
        "BB-BLNTBT",
    )
    locked.minutes_state = PdfState.PENDING
    locked.minutes_revision += 1
    locked.save(
        update_fields=["state", "closed_at", "minutes_notes", "minutes_number", "minutes_state", "minutes_revision"]
    )
    event_record(
        obj=locked,
        actor=actor,
        verb="board_minutes_closed",
        from_state=old,
        to_state=locked.state,
        note=locked.minutes_number,
    )
    for item in items:
        if item.escalation is not None:
            _conclude_escalation(item, locked, actor)
        if (
            item.kind == AgendaItem.Kind.WORKPLAN_ADOPTION
            and item.is_adopted
            and item.work_plan is not None
            and item.work_plan.state == WorkPlan.State.DRAFT
        ):
            _workplan_adopt(item.work_plan, locked, actor)
    _mail(_invitees(locked), "board_minutes", {"meeting": locked, "items": items})
    _queue_minutes(locked)
    return locked


def _conclude_escalation(item: AgendaItem, meeting: Meeting, actor: User) -> None:
    """Đ12.2: the Board's conclusion flows back to the thread of the escalated object."""
    escalation = item.escalation
    assert escalation is not None
    target = escalation.target
    if item.outcome == AgendaItem.Outcome.DEFERRED:
        _escalation_move(escalation, Escalation.State.OPEN, actor, note=meeting.title)
        if target is not None:
            event_record(obj=target, actor=actor, verb="board_deferred", note=meeting.title)
        return
    with translation.override("vi"):
        outcome_vi = str(AgendaItem.Outcome(item.outcome).label)
    _escalation_move(escalation, Escalation.State.CONCLUDED, actor, note=item.conclusion[:500])
    if target is not None:
        # No to_state: the target's timeline labels states from its own model; the outcome is in the note.
        event_record(obj=target, actor=actor, verb="board_concluded", note=f"{outcome_vi}: {item.conclusion}")
    raiser = escalation.raised_by
    if raiser is not None and raiser.is_active and raiser.email:
        email_enqueue(
            to=raiser.email,
            template="board_conclusion",
            language=raiser.language,
            context={
                "escalation": escalation,
                "item": item,
                "meeting": meeting,
                "reservations": list(item.reservations.select_related("membership__agency")),
            },
        )


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    if not permissions.can_prepare(actor, meeting):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _check_transition(Meeting, locked.state, Meeting.State.CANCELLED)
    if not reason.strip():
        raise _refuse(_("Give the reason for cancelling."), "reason")
    old = locked.state
    locked.state = Meeting.State.CANCELLED
    locked.cancel_reason = reason.strip()
    locked.save(update_fields=["state", "cancel_reason"])
    event_record(
        obj=locked,
        actor=actor,
        verb="board_meeting_cancelled",
        from_state=old,
        to_state=locked.state,
        note=locked.cancel_reason,
    )
    for item in locked.items.select_related("escalation"):
        if item.escalation is not None and item.escalation.state == Escalation.State.SCHEDULED:
            _escalation_move(item.escalation, Escalation.State.OPEN, actor, note=locked.title)
    deadline_close(obj=locked, kind=DEADLINE_PAPERS, actor=actor)
    for invitation in locked.invitations.all():
        deadline_close(obj=invitation, kind=DEADLINE_REPLY, actor=actor)
    if old == Meeting.State.CONVENED:
        _mail(_invitees(locked), "board_meeting_cancelled", {"meeting": locked})
    return locked


# --- Minutes and recommendation PDFs (rendered by a worker) ----------------------------------------
def _render_and_store(
    *,
    model: type[Any],
    pk: int,
    state_field: str,
    revision_field: str,
    file_field: str,
    time_field: str,
    render: Any,
    name: str,
    verb: str,
) -> bool:
    """Render the revision that is pending and store it, unless a newer revision was queued meanwhile
    (then the newer task stores its own). Running twice stores once."""
    row = model.objects.filter(pk=pk).first()
    if row is None or getattr(row, state_field) != PdfState.PENDING:
        return False
    revision = getattr(row, revision_field)
    try:
        data = render(row)
    except Exception as exc:  # noqa: BLE001 - any rendering error leaves a visible FAILED state
        log.exception("board: rendering %s %s failed", model.__name__, pk)
        with transaction.atomic():
            updated = model.objects.filter(pk=pk, **{state_field: PdfState.PENDING, revision_field: revision}).update(
                **{state_field: PdfState.FAILED}
            )
            if updated:
                event_record(
                    obj=row, actor=None, verb=f"{verb}_failed", to_state=PdfState.FAILED, note=exc.__class__.__name__
                )
        return False
    with transaction.atomic():
        locked = model.objects.select_for_update(of=("self",)).get(pk=pk)
        if getattr(locked, state_field) != PdfState.PENDING or getattr(locked, revision_field) != revision:
            return False
        stored = default_storage.save(f"{name}-r{revision}.pdf", ContentFile(data))
        getattr(locked, file_field).name = stored
        setattr(locked, state_field, PdfState.READY)
        setattr(locked, time_field, timezone.now())
        locked.save(update_fields=[file_field, state_field, time_field])
        event_record(
            obj=locked, actor=None, verb=verb, from_state=PdfState.PENDING, to_state=PdfState.READY, note=stored
        )
    return True


def minutes_render(*, meeting_id: int) -> bool:
    from . import pdf

    meeting = Meeting.objects.filter(pk=meeting_id).only("public_id").first()
    if meeting is None:
        return False
    return _render_and_store(
        model=Meeting,
        pk=meeting_id,
        state_field="minutes_state",
        revision_field="minutes_revision",
        file_field="minutes_pdf",
        time_field="minutes_generated_at",
        render=pdf.render_minutes,
        name=f"board/minutes/{meeting.public_id}",
        verb="board_minutes_ready",
    )


def recommendation_render(*, recommendation_id: int) -> bool:
    from . import pdf

    rec = Recommendation.objects.filter(pk=recommendation_id).only("public_id").first()
    if rec is None:
        return False
    return _render_and_store(
        model=Recommendation,
        pk=recommendation_id,
        state_field="pdf_state",
        revision_field="pdf_revision",
        file_field="pdf",
        time_field="pdf_generated_at",
        render=pdf.render_recommendation,
        name=f"board/recommendations/{rec.public_id}",
        verb="board_recommendation_pdf_ready",
    )


@transaction.atomic
def pdf_regenerate(*, actor: User, obj: Meeting | Recommendation) -> None:
    """The Secretary asks again for a PDF whose generation failed."""
    if not permissions.is_secretary(actor):
        raise PermissionDenied
    if isinstance(obj, Meeting):
        locked_m = Meeting.objects.select_for_update(of=("self",)).get(pk=obj.pk)
        if locked_m.minutes_state != PdfState.FAILED:
            raise _refuse(_("Only a failed document is generated again."), "state")
        locked_m.minutes_state = PdfState.PENDING
        locked_m.minutes_revision += 1
        locked_m.save(update_fields=["minutes_state", "minutes_revision"])
        event_record(
            obj=locked_m,
            actor=actor,
            verb="board_minutes_requeued",
            from_state=PdfState.FAILED,
            to_state=PdfState.PENDING,
        )
        _queue_minutes(locked_m)
        return
    locked_r = Recommendation.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    if locked_r.pdf_state != PdfState.FAILED:
        raise _refuse(_("Only a failed document is generated again."), "state")
    locked_r.pdf_state = PdfState.PENDING
    locked_r.pdf_revision += 1
    locked_r.save(update_fields=["pdf_state", "pdf_revision"])
    event_record(
        obj=locked_r,
        actor=actor,
        verb="board_recommendation_requeued",
        from_state=PdfState.FAILED,
        to_state=PdfState.PENDING,
    )
    _queue_recommendation(locked_r)


# --- Recommendations to state agencies (Đ9.1, Đ11.2) ----------------------------------------------
@transaction.atomic
def recommendation_create(
    *, actor: User, item: AgendaItem, recipient: str, subject: str, body: str, recipient_email: str = ""
) -> Recommendation:
    if not permissions.can_record(actor, item.meeting):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=item.meeting_id)
    if meeting.state not in (Meeting.State.HELD, Meeting.State.CLOSED):
        raise _refuse(_("A recommendation follows a decision of a meeting."), "state")
    locked = AgendaItem.objects.get(pk=item.pk)
    if not locked.is_adopted:
        raise _refuse(_("Only an adopted item can become a recommendation."), "not_adopted")
    if not recipient.strip() or not subject.strip() or not body.strip():
        raise _refuse(_("Recipient, subject and text are required."), "required")
    rec = Recommendation.objects.create(
        item=locked,
        recipient=recipient.strip(),
        recipient_email=recipient_email.strip().lower(),
        subject=subject.strip(),
        body=body.strip(),
        created_by=actor,
    )
    event_record(obj=rec, actor=actor, verb="board_recommendation_drafted", to_state=rec.state, note=rec.recipient)
    return rec


@transaction.atomic
def recommendation_update(
    *, actor: User, recommendation: Recommendation, recipient: str, subject: str, body: str, recipient_email: str = ""
) -> Recommendation:
    if not permissions.can_record(actor, recommendation.item.meeting):
        raise PermissionDenied
    locked = Recommendation.objects.select_for_update(of=("self",)).get(pk=recommendation.pk)
    if locked.state != Recommendation.State.DRAFT:
        raise _refuse(_("An issued recommendation cannot be changed."), "state")
    if not recipient.strip() or not subject.strip() or not body.strip():
        raise _refuse(_("Recipient, subject and text are required."), "required")
    locked.recipient, locked.subject, locked.body = recipient.strip(), subject.strip(), body.strip()
    locked.recipient_email = recipient_email.strip().lower()
    locked.save(update_fields=["recipient", "subject", "body", "recipient_email"])
    event_record(obj=locked, actor=actor, verb="board_recommendation_changed")
    return locked


def _queue_recommendation(rec: Recommendation) -> None:
    from .tasks import board_recommendation_render

    rec_id = rec.pk
    transaction.on_commit(lambda: board_recommendation_render.delay(rec_id))


@transaction.atomic
def recommendation_issue(*, actor: User, recommendation: Recommendation) -> Recommendation:
    """Issue the recommendation to the state agency. It always carries the reservations on the item
    and their explanations (Đ11.2): in the letter (PDF), in the e-mail and in the portal. Reservations
    are final once the minutes are closed, which issuing requires."""
    if not permissions.can_issue_recommendation(actor):
        raise PermissionDenied
    locked = Recommendation.objects.select_for_update(of=("self",)).get(pk=recommendation.pk)
    _check_transition(Recommendation, locked.state, Recommendation.State.ISSUED)
    meeting = Meeting.objects.get(pk=locked.item.meeting_id)
    if meeting.state != Meeting.State.CLOSED:
        raise _refuse(
            _("Close the minutes of the meeting before issuing: reservations are final then."), "minutes_open"
        )
    now = timezone.now()
    year = timezone.localtime(now).year
    locked.year = year
    locked.number = _next_number(
        Recommendation.objects.filter(year=year).exclude(number="").values_list("number", flat=True), "KN-BLNTBT"
    )
    old = locked.state
    locked.state = Recommendation.State.ISSUED
    locked.issued_at = now
    locked.issued_by = actor
    locked.pdf_state = PdfState.PENDING
    locked.pdf_revision += 1
    locked.save(update_fields=["year", "number", "state", "issued_at", "issued_by", "pdf_state", "pdf_revision"])
    event_record(
        obj=locked,
        actor=actor,
        verb="board_recommendation_issued",
        from_state=old,
        to_state=locked.state,
        note=f"{locked.number} → {locked.recipient}",
    )
    item = locked.item
    reservations = list(item.reservations.select_related("membership__agency"))
    context = {"recommendation": locked, "item": item, "meeting": meeting, "reservations": reservations}
    if locked.recipient_email:
        email_enqueue(to=locked.recipient_email, template="board_recommendation", context=context, language="vi")
    _mail(
        Membership.objects.filter(state=Membership.State.ACTIVE).select_related("user"),
        "board_recommendation_issued",
        context,
    )
    if item.escalation_id is not None:
        target = item.escalation.target  # type: ignore[union-attr]
        if target is not None:
            event_record(
                obj=target,
                actor=actor,
                verb="board_recommendation_issued",
                note=f"{locked.number} → {locked.recipient}",
            )
    _queue_recommendation(locked)
    return locked


# --- Work plans (Đ10.1.a, Đ11.1) --------------------------------------------------------------------
@transaction.atomic
def workplan_create(*, actor: User, year: int, summary: str = "") -> WorkPlan:
    if not permissions.can_draft_workplan(actor):
        raise PermissionDenied
    if WorkPlan.objects.filter(year=year).exists():
        raise _refuse(_("The work plan for %(year)s already exists.") % {"year": year}, "year")
    plan = WorkPlan.objects.create(year=year, summary=summary.strip(), drafted_by=actor)
    event_record(obj=plan, actor=actor, verb="board_workplan_drafted", to_state=plan.state)
    return plan


@transaction.atomic
def workplan_item_add(
    *, actor: User, plan: WorkPlan, title: str, lead: str = "", due_date: date | None = None
) -> WorkPlanItem:
    if not permissions.can_draft_workplan(actor):
        raise PermissionDenied
    locked = WorkPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    if locked.state != WorkPlan.State.DRAFT:
        raise _refuse(_("An adopted work plan is changed only by the Board."), "state")
    if not title.strip():
        raise _refuse(_("Describe the task."), "title")
    item = WorkPlanItem.objects.create(plan=locked, title=title.strip(), lead=lead.strip(), due_date=due_date)
    event_record(obj=locked, actor=actor, verb="board_workplan_task_added", note=item.title[:200])
    return item


def _workplan_adopt(plan: WorkPlan, meeting: Meeting, actor: User) -> None:
    locked = WorkPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _check_transition(WorkPlan, locked.state, WorkPlan.State.ADOPTED)
    old = locked.state
    locked.state = WorkPlan.State.ADOPTED
    locked.adopted_on = meeting.date
    locked.adopted_at_meeting = meeting
    locked.save(update_fields=["state", "adopted_on", "adopted_at_meeting"])
    event_record(
        obj=locked,
        actor=actor,
        verb="board_workplan_adopted",
        from_state=old,
        to_state=locked.state,
        note=meeting.title,
    )
    national = national_point()
    if national is None:
        return
    for task in locked.items.filter(due_date__isnull=False):
        deadline_open(
            obj=task,
            kind=DEADLINE_WORKPLAN_TASK,
            point=national,
            due_date=task.due_date,  # type: ignore[arg-type]  # filtered on due_date__isnull=False
            actor=actor,  # type: ignore[arg-type]
            title_vi=f"Kế hoạch công tác Ban liên ngành TBT {locked.year}: {task.title[:180]}",
            title_en=f"Board work plan {locked.year}: {task.title[:180]}",
            url=_url("board:workplan_detail", public_id=locked.public_id),
        )


@transaction.atomic
def workplan_item_done(*, actor: User, item: WorkPlanItem, note: str = "", done_on: date | None = None) -> WorkPlanItem:
    if not permissions.can_draft_workplan(actor):
        raise PermissionDenied
    locked = WorkPlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
    if locked.plan.state != WorkPlan.State.ADOPTED:
        raise _refuse(_("Tasks are followed up once the Board adopts the plan."), "state")
    _check_transition(WorkPlanItem, locked.state, WorkPlanItem.State.DONE)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise _refuse(_("The date cannot be in the future."), "done_on")
    old = locked.state
    locked.state = WorkPlanItem.State.DONE
    locked.done_on = done_on
    locked.done_note = note.strip()
    locked.done_by = actor
    locked.save(update_fields=["state", "done_on", "done_note", "done_by"])
    event_record(
        obj=locked.plan,
        actor=actor,
        verb="board_workplan_task_done",
        from_state=old,
        to_state=locked.state,
        note=locked.title[:200],
    )
    deadline_close(obj=locked, kind=DEADLINE_WORKPLAN_TASK, actor=actor)
    return locked
