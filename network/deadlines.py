"""The deadline engine: one place that knows every due date of every workflow.

A workflow opens a deadline for an object (``deadline_open``) and closes it when the duty is done
(``deadline_close``). ``deadlines_scan`` (run by Celery beat every DEADLINE_SCAN_MINUTES) sends
reminders before the due date and on it, marks deadlines overdue after it and escalates them to
the national point. A reminder is *claimed* by inserting a unique ``Reminder`` row
(deadline, recipient, kind) in the same transaction as its outbox e-mail: a re-run, a restarted
worker or two schedulers never send twice, and a crash never loses one (either both rows exist
and the outbox delivers, or neither does and the next scan tries again). No ETA/countdown tasks.

``Deadline.url`` holds the language-neutral (Vietnamese, unprefixed) path of the object; e-mails
link to it in the recipient's language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.urls import translate_url
from django.utils import timezone, translation

from .events import event_record, events_record
from .models import Deadline, Point, Reminder, User
from .outbox import email_enqueue

log = logging.getLogger(__name__)


def _key(obj: models.Model) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}


def _record_opened(deadline: Deadline, *, actor: User | None, point: Point) -> None:
    event_record(
        obj=deadline,
        actor=actor,
        verb="deadline_opened",
        to_state=deadline.state,
        note=f"{deadline.due_date:%d/%m/%Y}",
        point=point,
    )


def deadline_open(
    *,
    obj: models.Model,
    kind: str,
    title_vi: str,
    title_en: str,
    point: Point,
    due_date: date,
    person: User | None = None,
    url: str = "",
    actor: User | None = None,
    new: bool = False,
) -> Deadline:
    """Open the deadline ``kind`` of ``obj``; if it exists, update it, and when its due date moved
    or it was closed, reopen it (the reminder cycle starts afresh). Joins the caller's transaction.

    ``new=True`` says that ``obj`` was created in the caller's transaction, so it cannot have this
    deadline yet: a plain INSERT, without the row lock and the savepoints of the general case."""
    if new:
        with transaction.atomic(savepoint=False):
            deadline = Deadline.objects.create(
                **_key(obj),
                kind=kind,
                title_vi=title_vi,
                title_en=title_en,
                point=point,
                person=person,
                due_date=due_date,
                url=url,
            )
            _record_opened(deadline, actor=actor, point=point)
        return deadline
    with transaction.atomic():
        deadline, created = Deadline.objects.select_for_update(of=("self",)).get_or_create(
            **_key(obj),
            kind=kind,
            defaults={
                "title_vi": title_vi,
                "title_en": title_en,
                "point": point,
                "person": person,
                "due_date": due_date,
                "url": url,
            },
        )
        if created:
            _record_opened(deadline, actor=actor, point=point)
            return deadline
        old_state = deadline.state
        moved = deadline.due_date != due_date or deadline.state != Deadline.State.OPEN
        deadline.title_vi, deadline.title_en, deadline.point, deadline.person, deadline.url = (
            title_vi,
            title_en,
            point,
            person,
            url,
        )
        fields = ["title_vi", "title_en", "point", "person", "url"]
        if moved:
            # A moved due date (or a reopened duty) starts the reminder cycle afresh.
            deadline.reminders.all().delete()
            deadline.due_date = due_date
            deadline.state = Deadline.State.OPEN
            deadline.closed_at = None
            fields += ["due_date", "state", "closed_at"]
        deadline.save(update_fields=fields)
        if moved:
            event_record(
                obj=deadline,
                actor=actor,
                verb="deadline_moved",
                from_state=old_state,
                to_state=deadline.state,
                note=f"{due_date:%d/%m/%Y}",
                point=point,
            )
        return deadline


def deadline_open_done(
    *,
    obj: models.Model,
    kind: str,
    title_vi: str,
    title_en: str,
    point: Point,
    due_date: date,
    person: User | None = None,
    url: str = "",
    actor: User | None = None,
) -> Deadline:
    """A duty of a new object that is fulfilled as soon as it arises (the acknowledgement of an
    enquiry): the same rows as ``deadline_open(new=True)`` followed by ``deadline_close`` — the
    deadline, done, and its two events (opened, done) — written with two INSERTs."""
    with transaction.atomic(savepoint=False):
        now = timezone.now()
        deadline = Deadline.objects.create(
            **_key(obj),
            kind=kind,
            title_vi=title_vi,
            title_en=title_en,
            point=point,
            person=person,
            due_date=due_date,
            url=url,
            state=Deadline.State.DONE,
            closed_at=now,
        )
        events_record(
            obj=deadline,
            actor=actor,
            changes=[
                {
                    "verb": "deadline_opened",
                    "to_state": Deadline.State.OPEN,
                    "note": f"{due_date:%d/%m/%Y}",
                    "point": point,
                },
                {
                    "verb": "deadline_done",
                    "from_state": Deadline.State.OPEN,
                    "to_state": Deadline.State.DONE,
                    "point": point,
                },
            ],
        )
    return deadline


def deadline_close(*, obj: models.Model, kind: str, actor: User | None = None) -> Deadline | None:
    """Mark the deadline done (idempotent; returns None when there is none)."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update(of=("self",)).filter(**_key(obj), kind=kind).first()
        if deadline is None or deadline.state == Deadline.State.DONE:
            return deadline
        old = deadline.state
        deadline.state = Deadline.State.DONE
        deadline.closed_at = timezone.now()
        deadline.save(update_fields=["state", "closed_at"])
        event_record(
            obj=deadline,
            actor=actor,
            verb="deadline_done",
            from_state=old,
            to_state=deadline.state,
        )  # the event's point is the deadline's (by id: no query for the point)
        return deadline


def deadlines_for(obj: models.Model) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(**_key(obj))


def _recipients(point: Point, person: User | None) -> list[tuple[str, str]]:
    """(e-mail, language) of who must act: the person, else the point's active staff, else the point."""
    if person is not None and person.is_active:
        return [(person.email, person.language)]
    staff = list(User.objects.filter(point=point, is_active=True).order_by("id").values_list("email", "language"))
    if staff:
        return staff
    return [(point.email, "vi")] if point.email else []


def _national_point() -> Point | None:
    return Point.objects.filter(level=Point.Level.NATIONAL).first()


def absolute_link(path: str, language: str) -> str:
    """An absolute link to ``path`` (stored unprefixed, i.e. Vietnamese) in ``language``."""
    path = path or "/network/dashboard/"
    if language != settings.LANGUAGE_CODE:
        # translate_url resolves the path in the active language: the stored path is unprefixed.
        with translation.override(settings.LANGUAGE_CODE):
            path = translate_url(path, language)
    return settings.SITE_URL + path


@dataclass
class ScanResult:
    reminders: int = 0
    overdue: int = 0
    escalated: int = 0
    skipped: int = 0
    errors: int = 0
    details: list[str] = field(default_factory=list)


def _claim_and_enqueue(deadline: Deadline, kind: str, to: str, language: str) -> bool:
    """Insert the unique reminder row and its outbox e-mail together; False if already claimed.

    Any other error (rendering, database) rolls both back and propagates: nothing was claimed,
    so the next scan tries again."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(deadline=deadline, recipient=to.lower(), kind=kind)
            email = email_enqueue(
                to=to,
                template=f"deadline_{kind}",
                language=language,
                context={
                    "deadline": deadline,
                    "title": deadline.title_en if language == "en" else deadline.title_vi,
                    "point": deadline.point,
                    "url": absolute_link(deadline.url, language),
                },
            )
            reminder.outbox = email
            reminder.save(update_fields=["outbox"])
    except IntegrityError:
        return False
    return True


def _remind(deadline: Deadline, kind: str, result: ScanResult) -> None:
    for to, language in _recipients(deadline.point, deadline.person):
        if _claim_and_enqueue(deadline, kind, to, language):
            result.reminders += 1
        else:
            result.skipped += 1


def _overdue_and_escalate(deadline_id: int, national: Point | None, result: ScanResult) -> None:
    """OPEN → OVERDUE, then OVERDUE → ESCALATED with e-mails to the national point (and the
    responsible point), all in one transaction under the row lock."""
    with transaction.atomic():
        locked = Deadline.objects.select_for_update(of=("self",)).select_related("point", "person").get(pk=deadline_id)
        if locked.state == Deadline.State.OPEN:
            locked.state = Deadline.State.OVERDUE
            locked.save(update_fields=["state"])
            event_record(
                obj=locked,
                actor=None,
                verb="deadline_overdue",
                from_state=Deadline.State.OPEN,
                to_state=Deadline.State.OVERDUE,
                point=locked.point,
            )
            result.overdue += 1
        if locked.state != Deadline.State.OVERDUE or national is None:
            return
        recipients = _recipients(national, None)
        # The responsible point is told too that the matter went to the national point.
        if locked.point_id != national.id:
            recipients += _recipients(locked.point, locked.person)
        for to, language in recipients:
            if _claim_and_enqueue(locked, Reminder.Kind.ESCALATION, to, language):
                result.reminders += 1
            else:
                result.skipped += 1
        locked.state = Deadline.State.ESCALATED
        locked.save(update_fields=["state"])
        event_record(
            obj=locked,
            actor=None,
            verb="deadline_escalated",
            from_state=Deadline.State.OVERDUE,
            to_state=Deadline.State.ESCALATED,
            point=locked.point,
            note=str(national),
        )
        result.escalated += 1


def deadlines_scan(*, today: date | None = None) -> ScanResult:
    """One pass over every unfinished deadline. Safe to run twice or concurrently.

    Before the due date (from REMINDER_DAYS_BEFORE calendar days ahead): one BEFORE reminder per
    recipient; on the due date: one DUE reminder; after it: OVERDUE then ESCALATED. One failing
    deadline (a broken template, say) is logged and does not stop the others."""
    today = today or timezone.localdate()
    result = ScanResult()
    warn_from = today + timedelta(days=settings.REMINDER_DAYS_BEFORE)
    national = _national_point()
    # ESCALATED is the end of the line until the duty is done or its due date moves (→ OPEN).
    # The ids are read first: SQLite gives no isolation between a running cursor and writes.
    pending = list(
        Deadline.objects.filter(state__in=[Deadline.State.OPEN, Deadline.State.OVERDUE], due_date__lte=warn_from)
        .order_by("due_date", "id")
        .values_list("id", flat=True)
    )
    for deadline_id in pending:
        try:
            deadline = Deadline.objects.select_related("point", "person").get(pk=deadline_id)
            if deadline.state not in (Deadline.State.OPEN, Deadline.State.OVERDUE):
                continue  # closed meanwhile
            if deadline.due_date > today:
                if deadline.state == Deadline.State.OPEN:
                    _remind(deadline, Reminder.Kind.BEFORE, result)
            elif deadline.due_date == today:
                if deadline.state == Deadline.State.OPEN:
                    _remind(deadline, Reminder.Kind.DUE, result)
            else:
                _overdue_and_escalate(deadline.pk, national, result)
        except Deadline.DoesNotExist:
            continue
        except Exception as exc:  # noqa: BLE001 - one broken deadline must not stop the scan
            log.exception("deadlines_scan: deadline %s failed", deadline_id)
            result.errors += 1
            result.details.append(f"{deadline_id}: {exc.__class__.__name__}: {exc}")
    return result
