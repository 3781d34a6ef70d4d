"""The event trail: every state change of every workflow writes one row here."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import Event, Point, User


def event_record(
    *,
    obj: models.Model,
    actor: User | None,
    verb: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    point: Point | None = None,
) -> Event:
    """Write one event row; call inside the transaction of the change it records."""
    return Event.objects.create(**_event_fields(obj, actor, verb, from_state, to_state, note, point))


def events_record(*, obj: models.Model, actor: User | None, changes: list[dict[str, Any]]) -> list[Event]:
    """Several events of one object in one INSERT (oldest first). Each item of ``changes`` holds
    the keyword arguments of ``event_record`` other than ``obj`` and ``actor``."""
    return Event.objects.bulk_create(
        [
            Event(
                **_event_fields(
                    obj,
                    actor,
                    change["verb"],
                    change.get("from_state", ""),
                    change.get("to_state", ""),
                    change.get("note", ""),
                    change.get("point"),
                )
            )
            for change in changes
        ]
    )


def _point_of(obj: models.Model) -> dict[str, Any]:
    """The point an object belongs to, by id when it is a foreign key (no query for the row)."""
    try:
        field = obj._meta.get_field("point")
    except FieldDoesNotExist:
        field = None
    if isinstance(field, models.ForeignKey) and field.related_model is Point:
        return {"point_id": getattr(obj, field.attname)}
    point = getattr(obj, "point", None)
    return {"point": point if isinstance(point, Point) else None}


def _event_fields(
    obj: models.Model, actor: User | None, verb: str, from_state: str, to_state: str, note: str, point: Point | None
) -> dict[str, Any]:
    actor_obj: Any = actor if (actor is not None and actor.is_authenticated) else None
    return {
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:255],
        "actor": actor_obj,
        **({"point": point} if point is not None else _point_of(obj)),
        "verb": verb,
        "from_state": str(from_state or ""),
        "to_state": str(to_state or ""),
        "note": note,
    }


def events_for(obj: models.Model) -> models.QuerySet[Event]:
    """The timeline of one object, oldest first."""
    return (
        Event.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
