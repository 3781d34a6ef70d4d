"""Administrators' actions on the network's reference records: TBT points, public holidays and
the e-mail outbox. Each writes an event row in the same transaction as the change."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .events import event_record
from .models import Holiday, OutboxEmail, Point, User
from .outbox import outbox_retry

# What an administrator edits on a point; codes, names and levels are reference data
# (load_reference_data) and stay as loaded.
POINT_EDITABLE_FIELDS = (
    "unit_vi",
    "unit_en",
    "address",
    "phone",
    "email",
    "website",
    "duties_vi",
    "duties_en",
    "is_active",
)


def _require_admin(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_portal_admin):
        raise PermissionDenied


def _short(value: Any) -> str:
    text = "yes" if value is True else "no" if value is False else str(value or "—")
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "…"


@transaction.atomic
def point_update(*, actor: User, point: Point, changes: dict[str, Any]) -> Point:
    """Change a point's contacts, designated unit, duties or active flag."""
    _require_admin(actor)
    unknown = set(changes) - set(POINT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"point_update() does not change {sorted(unknown)}")
    locked = Point.objects.select_for_update(of=("self",)).get(pk=point.pk)
    changed = [
        field for field in POINT_EDITABLE_FIELDS if field in changes and getattr(locked, field) != changes[field]
    ]
    if not changed:
        return locked
    before = {field: getattr(locked, field) for field in changed}
    for field in changed:
        setattr(locked, field, changes[field])
    locked.full_clean(exclude=["code", "level", "province"], validate_unique=False)
    locked.save(update_fields=changed)
    rest = [field for field in changed if field != "is_active"]
    if "is_active" in changed:
        event_record(
            obj=locked,
            actor=actor,
            verb="activated" if locked.is_active else "deactivated",
            from_state="active" if before["is_active"] else "inactive",
            to_state="active" if locked.is_active else "inactive",
            point=locked,
        )
    if rest:
        note = "; ".join(f"{field}: {_short(before[field])} → {_short(getattr(locked, field))}" for field in rest)
        event_record(obj=locked, actor=actor, verb="updated", note=note, point=locked)
    return locked


@transaction.atomic
def holiday_add(*, actor: User, day: date, name_vi: str, name_en: str) -> Holiday:
    """Add a public holiday: deadlines computed from now on skip it (existing due dates stay)."""
    _require_admin(actor)
    name_vi, name_en = (name_vi or "").strip(), (name_en or "").strip()
    errors: dict[str, list[str]] = {}
    if Holiday.objects.filter(date=day).exists():
        errors["date"] = [_("This date is already a public holiday.")]
    if not name_vi:
        errors["name_vi"] = [_("Enter the Vietnamese name.")]
    if errors:
        raise ValidationError(errors)
    holiday = Holiday.objects.create(date=day, name_vi=name_vi, name_en=name_en or name_vi)
    event_record(obj=holiday, actor=actor, verb="added", note=f"{day.isoformat()} {holiday.name_vi}")
    return holiday


@transaction.atomic
def holiday_delete(*, actor: User, holiday: Holiday) -> None:
    _require_admin(actor)
    locked = Holiday.objects.select_for_update(of=("self",)).get(pk=holiday.pk)
    # The event keeps the id and the text of the row it outlives.
    event_record(obj=locked, actor=actor, verb="deleted", note=f"{locked.date.isoformat()} {locked.name_vi}")
    locked.delete()


@transaction.atomic
def outbox_email_retry(*, actor: User, email: OutboxEmail) -> OutboxEmail:
    """Put a FAILED e-mail back in the queue; the worker sends it after commit."""
    _require_admin(actor)
    locked = OutboxEmail.objects.select_for_update(of=("self",)).get(pk=email.pk)
    if locked.state != OutboxEmail.State.FAILED:
        raise ValidationError(_("Only an e-mail that failed can be sent again."))
    outbox_retry(email=locked)
    locked.refresh_from_db()
    event_record(
        obj=locked,
        actor=actor,
        verb="retried",
        from_state=OutboxEmail.State.FAILED,
        to_state=locked.state,
        note=locked.to,
    )
    from .tasks import outbox_deliver

    transaction.on_commit(lambda: outbox_deliver.delay())
    return locked
