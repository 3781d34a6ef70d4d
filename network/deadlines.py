"""The deadline engine: one place that knows every due date of every workflow.

A workflow opens a deadline for an object (``deadline_open``) and closes it when the duty is done
(``deadline_close``). ``deadlines_scan`` (run by Celery beat every DEADLINE_SCAN_MINUTES) sends
reminders before the due date and on it, marks deadlines overdue after it and escalates them to
the national point. A reminder is *claimed* by inserting a unique ``Reminder`` row
(deadline, recipient, kind) in the same transaction as its outbox e-mail: a re-run, a restarted
worker or two schedulers never send twice, and a crash never loses one (either both rows exist
and the outbox delivers, or neither does and the next scan tries again). No ETA/countdown tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .events import event_record
from .models import Deadline, Point, Reminder, User
from .outbox import email_enqueue


def _key(obj: models.Model) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}


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
) -> Deadline:
    """Open (or move and reopen) the deadline ``kind`` of ``obj``."""
    deadline, created = Deadline.objects.select_for_update().get_or_create(
        **_key(obj), kind=kind,
        defaults={"title_vi": title_vi, "title_en": title_en, "point": point, "person": person,
                  "due_date": due_date, "url": url},
    )
    if not created:
        changed = deadline.due_date != due_date or deadline.state != Deadline.State.OPEN
        old_state = deadline.state
        deadline.title_vi, deadline.title_en, deadline.point, deadline.person, deadline.url = (
            title_vi, title_en, point, person, url)
        if changed:
            # A moved due date starts the reminder cycle afresh.
            deadline.reminders.all().delete()
            deadline.due_date = due_date
            deadline.state = Deadline.State.OPEN
            deadline.closed_at = None
        deadline.save()
        if changed:
            event_record(obj=deadline, actor=actor, verb="deadline_moved", from_state=old_state,
                         to_state=deadline.state, note=f"{due_date:%d/%m/%Y}", point=point)
    else:
        event_record(obj=deadline, actor=actor, verb="deadline_opened", to_state=deadline.state,
                     note=f"{due_date:%d/%m/%Y}", point=point)
    return deadline


def deadline_close(*, obj: models.Model, kind: str, actor: User | None = None) -> Deadline | None:
    """Mark the deadline done (idempotent; returns None when there is none)."""
    deadline = Deadline.objects.select_for_update().filter(**_key(obj), kind=kind).first()
    if deadline is None or deadline.state == Deadline.State.DONE:
        return deadline
    old = deadline.state
    deadline.state = Deadline.State.DONE
    deadline.closed_at = timezone.now()
    deadline.save(update_fields=["state", "closed_at"])
    event_record(obj=deadline, actor=actor, verb="deadline_done", from_state=old, to_state=deadline.state,
                 point=deadline.point)
    return deadline


def deadlines_for(obj: models.Model) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(**_key(obj))


def _recipients(point: Point, person: User | None) -> list[tuple[str, str]]:
    """(e-mail, language) of who must act: the person, else the point's active officers, else the point."""
    if person is not None and person.is_active:
        return [(person.email, person.language)]
    staff = list(User.objects.filter(point=point, is_active=True).values_list("email", "language"))
    if staff:
        return staff
    return [(point.email, "vi")] if point.email else []


def _national_point() -> Point | None:
    return Point.objects.filter(level=Point.Level.NATIONAL).first()


@dataclass
class ScanResult:
    reminders: int = 0
    overdue: int = 0
    escalated: int = 0
    skipped: int = 0
    details: list[str] = field(default_factory=list)


def _claim_and_enqueue(deadline: Deadline, kind: str, to: str, language: str) -> bool:
    """Insert the unique reminder row and its outbox e-mail together; False if already claimed."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(deadline=deadline, recipient=to.lower(), kind=kind)
            email = email_enqueue(
                to=to, template=f"deadline_{kind}", language=language,
                context={"deadline": deadline, "title": deadline.title_en if language == "en" else deadline.title_vi,
                         "point": deadline.point, "url": settings.SITE_URL + (deadline.url or "/network/dashboard/")},
            )
            reminder.outbox = email
            reminder.save(update_fields=["outbox"])
    except IntegrityError:
        return False
    return True


def deadlines_scan(*, today: date | None = None) -> ScanResult:
    """One pass over every unfinished deadline. Safe to run twice or concurrently."""
    today = today or timezone.localdate()
    result = ScanResult()
    warn_from = today + timedelta(days=settings.REMINDER_DAYS_BEFORE)
    national = _national_point()
    pending = Deadline.objects.exclude(state=Deadline.State.DONE).filter(due_date__lte=warn_from).select_related(
        "point", "person")
    for deadline in pending.iterator(chunk_size=500):
        if deadline.due_date > today:
            kinds = [Reminder.Kind.BEFORE]
        elif deadline.due_date == today:
            kinds = [Reminder.Kind.DUE]
        else:
            kinds = []
            with transaction.atomic():
                locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
                if locked.state == Deadline.State.OPEN:
                    Deadline.objects.filter(pk=locked.pk, state=Deadline.State.OPEN).update(state=Deadline.State.OVERDUE)
                    event_record(obj=locked, actor=None, verb="deadline_overdue", from_state=Deadline.State.OPEN,
                                 to_state=Deadline.State.OVERDUE, point=locked.point)
                    result.overdue += 1
                    locked.state = Deadline.State.OVERDUE
                if locked.state == Deadline.State.OVERDUE and national is not None:
                    recipients = _recipients(national, None)
                    # The responsible point is told too that the matter went to the national point.
                    if locked.point_id != national.id:
                        recipients += _recipients(locked.point, locked.person)
                    for to, language in recipients:
                        if _claim_and_enqueue(locked, Reminder.Kind.ESCALATION, to, language):
                            result.reminders += 1
                    Deadline.objects.filter(pk=locked.pk, state=Deadline.State.OVERDUE).update(
                        state=Deadline.State.ESCALATED)
                    event_record(obj=locked, actor=None, verb="deadline_escalated", from_state=Deadline.State.OVERDUE,
                                 to_state=Deadline.State.ESCALATED, point=locked.point,
                                 note=str(national))
                    result.escalated += 1
            continue
        for kind in kinds:
            for to, language in _recipients(deadline.point, deadline.person):
                if _claim_and_enqueue(deadline, kind, to, language):
                    result.reminders += 1
                else:
                    result.skipped += 1
    return result
