"""The event trail: every state change of every workflow writes one row here."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
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
    if point is None:
        point = getattr(obj, "point", None) if isinstance(getattr(obj, "point", None), Point) else None
    actor_obj: Any = actor if (actor is not None and actor.is_authenticated) else None
    return Event.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        actor=actor_obj,
        point=point,
        verb=verb,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=note,
    )


def events_for(obj: models.Model) -> models.QuerySet[Event]:
    """The timeline of one object, oldest first."""
    return (
        Event.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
