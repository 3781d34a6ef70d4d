"""Reads behind the administration screens (/manage/): users, event log, outbox."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet, prefetch_related_objects

from .models import Event, OutboxEmail, Point, User
from .text import fold


def user_ids_matching(query: str) -> list[int]:
    """Ids of users whose name or e-mail contains ``query``, ignoring case and Vietnamese diacritics.

    User rows carry no folded search column, and SQLite has no unaccent(); the list of people is
    small (hundreds to a few thousand), so the names are folded here.
    """
    needle = fold(query)
    if not needle:
        return []
    return [
        pk
        for pk, full_name, email in User.objects.values_list("pk", "full_name", "email").iterator()
        if needle in fold(f"{full_name} {email}")
    ]


def users_filtered(*, q: str = "", role: str = "", point: Point | None = None, active: str = "") -> QuerySet[User]:
    users = User.objects.select_related("point").order_by("full_name", "email")
    if q.strip():
        users = users.filter(pk__in=user_ids_matching(q))
    if role:
        users = users.filter(role=role)
    if point is not None:
        users = users.filter(point=point)
    if active == "1":
        users = users.filter(is_active=True)
    elif active == "0":
        users = users.filter(is_active=False)
    return users


def event_object_types() -> list[ContentType]:
    """The kinds of objects that have events, for the log's filter."""
    ids = Event.objects.order_by().values_list("content_type_id", flat=True).distinct()
    return sorted(ContentType.objects.filter(pk__in=list(ids)), key=lambda ct: str(ct.name))


def event_verbs() -> list[str]:
    return sorted(Event.objects.order_by().values_list("verb", flat=True).distinct())


def events_attach_targets(events: Iterable[Event]) -> None:
    """Fetch the objects of a page of events (one query per kind), so the log names each object
    in the reader's language; an event whose object is gone keeps the name stored with it."""
    prefetch_related_objects(list(events), "target")


def events_filtered(
    *,
    content_type: ContentType | None = None,
    verb: str = "",
    actor: str = "",
    point: Point | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Event]:
    events = Event.objects.select_related("actor", "point", "content_type").order_by("-at", "-id")
    if content_type is not None:
        events = events.filter(content_type=content_type)
    if verb:
        events = events.filter(verb=verb)
    if actor.strip():
        events = events.filter(actor_id__in=user_ids_matching(actor))
    if point is not None:
        events = events.filter(point=point)
    # Dates are calendar days in the portal's time zone (Asia/Ho_Chi_Minh).
    if date_from is not None:
        events = events.filter(at__date__gte=date_from)
    if date_to is not None:
        events = events.filter(at__date__lte=date_to)
    return events


def outbox_filtered(*, state: str = "") -> QuerySet[OutboxEmail]:
    emails = OutboxEmail.objects.order_by("-created_at", "-id")
    if state:
        emails = emails.filter(state=state)
    return emails
