"""Reads of the notifications workflow: the thread of one record and the officials' work queues."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from network.calendar import add_working_days
from network.models import Deadline, Event, HSCode, ICSCode, User
from network.permissions import AnyUser, user_point

from .models import BusinessInput, ImpactNote, Notification, NotificationComment, NotificationDocument
from .permissions import is_insider, is_national, ministry_point, notifications_visible

S = Notification.State
CS = NotificationComment.State

# Steps of the trail shown to everyone; the rest (triage, reviews, drafts) is for insiders.
PUBLIC_VERBS = {
    "dossier_notified",
    "comment_received",
    "comment_replied",
    "national_comment_sent",
    "partner_replied",
    "business_input_received",
    "vietnamese_verified",
    "document_added",
}


def hs_display(code: str) -> str:
    """HS codes as the WTO writes them: "8517.13" for the stored "851713"."""
    return f"{code[:4]}.{code[4:]}" if len(code) > 4 and code.isdigit() else code


def codes_described(n: Notification) -> dict[str, list[tuple[str, str]]]:
    """HS and ICS codes of ``n`` with their descriptions (unknown codes shown without one)."""
    hs = dict(HSCode.objects.filter(code__in=list(n.hs_codes or [])).values_list("code", "description"))
    ics = dict(ICSCode.objects.filter(code__in=list(n.ics_codes or [])).values_list("code", "title"))
    return {
        "hs": [(hs_display(code), hs.get(code, "")) for code in (n.hs_codes or [])],
        "ics": [(code, ics.get(code, "")) for code in (n.ics_codes or [])],
    }


def objectives_display(n: Notification) -> list[str]:
    labels = dict(Notification.Objective.choices)
    return [str(labels.get(value, value)) for value in (n.objectives or [])]


def articles_display(n: Notification) -> list[str]:
    labels = dict(Notification.Article.choices)
    return [str(labels.get(value, value)) for value in (n.articles or [])]


def notification_events(n: Notification, *, insider: bool) -> QuerySet[Event]:
    """The whole trail of ``n``: its own events and those of its comments and impact notes."""
    comment_ids = [str(pk) for pk in n.comments.values_list("pk", flat=True)]
    note_ids = [str(pk) for pk in n.impact_notes.values_list("pk", flat=True)]
    types = ContentType.objects.get_for_models(Notification, NotificationComment, ImpactNote)
    query = Q(content_type=types[Notification], object_id=str(n.pk))
    if comment_ids:
        query |= Q(content_type=types[NotificationComment], object_id__in=comment_ids)
    if note_ids:
        query |= Q(content_type=types[ImpactNote], object_id__in=note_ids)
    events = Event.objects.filter(query).select_related("actor", "point").order_by("at", "id")
    if not insider:
        events = events.filter(verb__in=PUBLIC_VERBS)
    return events


@dataclass
class Thread:
    insider: bool
    parent: Notification | None
    followups: list[Notification]
    comments_received: list[NotificationComment]
    comments_sent: list[NotificationComment]
    comments_other: list[NotificationComment]
    input_count: int
    inputs: list[BusinessInput]
    impact_notes: list[ImpactNote]
    documents: list[NotificationDocument]
    events: list[Event]
    deadlines: list[Deadline] = field(default_factory=list)


def notification_thread(n: Notification, user: AnyUser) -> Thread:
    insider = is_insider(user, n)
    visible = notifications_visible(user)
    parent = visible.filter(pk=n.parent_id).first() if n.parent_id else None
    followups = list(visible.filter(parent=n).order_by("distribution_date", "id"))
    comments = list(n.comments.select_related("member", "point").prefetch_related("documents", "inputs"))
    documents = [d for d in n.documents.all() if d.comment_id is None]
    deadlines: list[Deadline] = []
    if insider:
        types = ContentType.objects.get_for_models(Notification, NotificationComment, ImpactNote)
        deadlines = list(
            Deadline.objects.filter(
                Q(content_type=types[Notification], object_id=str(n.pk))
                | Q(content_type=types[NotificationComment], object_id__in=[str(c.pk) for c in comments])
                | Q(
                    content_type=types[ImpactNote],
                    object_id__in=[str(pk) for pk in n.impact_notes.values_list("pk", flat=True)],
                )
            )
            .exclude(state=Deadline.State.DONE)
            .select_related("point")
        )
    return Thread(
        insider=insider,
        parent=parent,
        followups=followups,
        comments_received=[c for c in comments if c.direction == NotificationComment.Direction.RECEIVED],
        comments_sent=[c for c in comments if c.direction == NotificationComment.Direction.SENT],
        comments_other=[c for c in comments if c.direction == NotificationComment.Direction.THIRD_PARTY],
        input_count=n.business_inputs.count(),
        inputs=list(n.business_inputs.select_related("used_in")) if insider else [],
        impact_notes=list(n.impact_notes.select_related("point", "written_by")) if insider else [],
        documents=documents,
        events=list(notification_events(n, insider=insider)),
        deadlines=deadlines,
    )


# --- work queues --------------------------------------------------------------------------------
@dataclass
class Row:
    obj: Any
    notification: Notification
    due: date | None
    label: str = ""


def _due_map(objs: list[Any], model: type, kind: str) -> dict[str, Deadline]:
    if not objs:
        return {}
    ct = ContentType.objects.get_for_model(model)
    rows = Deadline.objects.filter(content_type=ct, kind=kind, object_id__in=[str(o.pk) for o in objs])
    return {d.object_id: d for d in rows}


def _rows(objs: list[Any], model: type, kind: str, notification_of: Any) -> list[Row]:
    dues = _due_map(objs, model, kind)
    result = []
    for obj in objs:
        d = dues.get(str(obj.pk))
        result.append(Row(obj=obj, notification=notification_of(obj), due=d.due_date if d else None))
    return result


def _sorted(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r.due is None, r.due or date.max))


TRIAGE_LIMIT = 100


def work_queues(user: AnyUser, *, today: date | None = None) -> dict[str, Any]:
    """What waits for ``user``'s point, each with its due date (earliest first)."""
    today = today or timezone.localdate()
    queues: dict[str, Any] = {}
    out = Notification.objects.filter(direction=Notification.Direction.OUT).select_related("point")
    if is_national(user):
        queues["to_review"] = _sorted(
            _rows(list(out.filter(state=S.SUBMITTED)), Notification, "dossier_review", lambda o: o)
        )
        queues["to_notify"] = _sorted(
            _rows(list(out.filter(state=S.ACCEPTED)), Notification, "dossier_notify", lambda o: o)
        )
        waiting = (
            Notification.objects.filter(direction=Notification.Direction.IN, state=S.RECEIVED)
            .filter(Q(comment_deadline__gte=today) | Q(comment_deadline__isnull=True))
            .select_related("member")
            .order_by("comment_deadline", "id")
        )
        triage = list(waiting[:TRIAGE_LIMIT])
        rows = _rows(triage, Notification, "triage", lambda o: o)
        fallback = add_working_days(today, 1)
        for row in rows:  # not yet given a deadline (notification_received not called): due now
            row.due = row.due or fallback
        queues["triage"] = _sorted(rows)
        queues["triage_total"] = waiting.count()
        received = list(
            NotificationComment.objects.filter(
                direction=NotificationComment.Direction.RECEIVED, state=CS.RECEIVED
            ).select_related("notification", "member")
        )
        queues["comments_to_route"] = _sorted(
            _rows(received, NotificationComment, "comment_route", lambda c: c.notification)
        )
        drafted = list(
            NotificationComment.objects.filter(
                direction=NotificationComment.Direction.RECEIVED, state=CS.REPLY_DRAFTED
            ).select_related("notification", "member", "point")
        )
        queues["replies_to_send"] = _sorted(
            _rows(drafted, NotificationComment, "comment_send", lambda c: c.notification)
        )
        drafts = list(
            NotificationComment.objects.filter(
                direction=NotificationComment.Direction.SENT, state=CS.DRAFT
            ).select_related("notification")
        )
        queues["national_comments"] = _sorted(
            _rows(drafts, NotificationComment, "national_comment", lambda c: c.notification)
        )
        # Only notifications with inputs not yet used in a comment of Viet Nam (a LEFT JOIN on the
        # inputs alone would also list every notification without any), with how many wait.
        open_inputs = (
            Notification.objects.filter(direction=Notification.Direction.IN)
            .annotate(waiting=Count("business_inputs", filter=Q(business_inputs__used_in__isnull=True)))
            .filter(waiting__gt=0)
            .order_by("comment_deadline")[:TRIAGE_LIMIT]
        )
        queues["inputs_to_consolidate"] = [
            Row(obj=n, notification=n, due=n.comment_deadline, label=str(n.waiting)) for n in open_inputs
        ]
    point = ministry_point(user)
    if point is not None:
        queues["my_dossiers"] = _sorted(
            _rows(
                list(out.filter(point=point, state__in=Notification.EDITABLE_STATES)),
                Notification,
                "dossier_fix",
                lambda o: o,
            )
        )
        routed = list(
            NotificationComment.objects.filter(point=point, state=CS.ROUTED).select_related("notification", "member")
        )
        queues["replies_to_draft"] = _sorted(
            _rows(routed, NotificationComment, "comment_reply", lambda c: c.notification)
        )
        notes = list(
            ImpactNote.objects.filter(point=point, state=ImpactNote.State.REQUESTED).select_related(
                "notification", "notification__member"
            )
        )
        queues["impact_notes"] = _sorted(_rows(notes, ImpactNote, "impact_note", lambda o: o.notification))
    queues["point"] = user_point(user)
    return queues


# --- a business's own inputs --------------------------------------------------------------------
def inputs_of_user(user: User) -> QuerySet[BusinessInput]:
    """The inputs a logged-in business or association sent on partners' drafts, newest first, with
    what became of each (waiting, consolidated into Viet Nam's comment, sent, answered). Inputs sent
    without logging in count as theirs when they gave the account's e-mail address and the account
    has confirmed it (the address is then known to be theirs)."""
    mine = Q(user=user)
    if user.email_verified_at is not None and user.email:
        mine |= Q(user__isnull=True, email__iexact=user.email)
    return (
        BusinessInput.objects.filter(mine)
        .select_related("notification", "notification__member", "used_in")
        .order_by("-created_at", "-id")
    )
