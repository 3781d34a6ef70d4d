"""Every access decision of the notifications workflow (see STYLE.md).

Not allowed to read → 404 (the same answer for "missing" and "not yours"); allowed to read but
not to act → 403 (``PermissionDenied``). Read rules:

- a partner's notification and a notified Vietnamese one are public;
- a Vietnamese draft dossier (not yet notified) is read only by the officers of the ministry point
  that filed it and by national point officers;
- the internal part of a record (texts of comments and replies, contents of business inputs,
  impact notes, the full event trail) is for "insiders": national point officers, the officers of
  the owning ministry point, of a point analysing it and of a point a comment is routed to.

Acting rules are the ``may_*`` functions below; each also checks the state the action needs, so a
button shown by mistake still cannot do anything (the service checks the transition again).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from network.models import Point, User
from network.permissions import AnyUser, user_point

from .models import BusinessInput, ImpactNote, Notification, NotificationComment, NotificationDocument

N = Notification
S = Notification.State
CS = NotificationComment.State


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_national(user: AnyUser) -> bool:
    return _active(user) and getattr(user, "role", None) == User.Role.NATIONAL_OFFICER and user_point(user) is not None


def ministry_point(user: AnyUser) -> Point | None:
    """The ministry point of an active ministry officer; None for anyone else."""
    point = user_point(user)
    if (
        point is None
        or point.level != Point.Level.MINISTRY
        or getattr(user, "role", None) != User.Role.MINISTRY_OFFICER
    ):
        return None
    return point


def is_officer(user: AnyUser) -> bool:
    return user_point(user) is not None


# --- notifications ----------------------------------------------------------------------------
def notifications_visible(user: AnyUser) -> QuerySet[Notification]:
    """The notifications ``user`` may read."""
    public = Q(direction=N.Direction.IN) | Q(state=S.NOTIFIED)
    if is_national(user):
        return Notification.objects.all()
    point = ministry_point(user)
    if point is not None:
        return Notification.objects.filter(public | Q(point=point))
    return Notification.objects.filter(public)


def may_read(user: AnyUser, n: Notification) -> bool:
    if n.is_public or is_national(user):
        return True
    point = ministry_point(user)
    return point is not None and n.point_id == point.pk


def insider_point_ids(n: Notification) -> set[int]:
    """Points (besides the national one) whose officers see the internal part of ``n``."""
    ids: set[int] = {n.point_id} if n.point_id else set()
    ids.update(n.analysing_points.values_list("pk", flat=True))
    ids.update(ImpactNote.objects.filter(notification=n).values_list("point_id", flat=True))
    ids.update(
        NotificationComment.objects.filter(notification=n, point__isnull=False).values_list("point_id", flat=True)
    )
    return ids


def is_insider(user: AnyUser, n: Notification) -> bool:
    if is_national(user):
        return True
    point = user_point(user)
    return point is not None and point.pk in insider_point_ids(n)


def _owns(user: AnyUser, n: Notification) -> bool:
    point = ministry_point(user)
    return point is not None and n.direction == N.Direction.OUT and n.point_id == point.pk


def may_edit_dossier(user: AnyUser, n: Notification) -> bool:
    return _owns(user, n) and n.state in N.EDITABLE_STATES


def may_add_document(user: AnyUser, n: Notification) -> bool:
    return n.direction == N.Direction.OUT and (_owns(user, n) or is_national(user))


def may_file_followup(user: AnyUser, n: Notification) -> bool:
    return _owns(user, n) and n.state == S.NOTIFIED and bool(n.symbol)


def may_review(user: AnyUser, n: Notification) -> bool:
    return is_national(user) and n.direction == N.Direction.OUT and n.state == S.SUBMITTED


def may_return(user: AnyUser, n: Notification) -> bool:
    return is_national(user) and n.direction == N.Direction.OUT and n.state in (S.SUBMITTED, S.ACCEPTED)


def may_notify(user: AnyUser, n: Notification) -> bool:
    return is_national(user) and n.direction == N.Direction.OUT and n.state == S.ACCEPTED


def may_record_comment(user: AnyUser, n: Notification) -> bool:
    return is_national(user) and n.direction == N.Direction.OUT and n.state == S.NOTIFIED


def may_triage(user: AnyUser, n: Notification) -> bool:
    return is_national(user) and n.direction == N.Direction.IN


def may_edit_vietnamese(user: AnyUser, n: Notification) -> bool:
    """National officers, and officers of a ministry point analysing the notification."""
    if n.direction != N.Direction.IN:
        return False
    if is_national(user):
        return True
    point = ministry_point(user)
    return point is not None and ImpactNote.objects.filter(notification=n, point=point).exists()


def may_consolidate(user: AnyUser, n: Notification) -> bool:
    return is_national(user) and n.direction == N.Direction.IN


ACTIONS = {
    "view": lambda user, n: True,
    "edit": may_edit_dossier,
    "submit": may_edit_dossier,
    "document": may_add_document,
    "followup": may_file_followup,
    "review": may_review,
    "return": may_return,
    "notify": may_notify,
    "record_comment": may_record_comment,
    "triage": may_triage,
    "vietnamese": may_edit_vietnamese,
    "consolidate": may_consolidate,
}


def notification_access(user: AnyUser, public_id: Any, action: str = "view") -> Notification:
    """Fetch and check: 404 when ``user`` may not read it, 403 when they may read but not do ``action``."""
    check = ACTIONS.get(action)
    if check is None:
        raise ValueError(f"Unknown action {action!r}")
    n = (
        Notification.objects.select_related("member", "point", "parent", "vi_verified_by")
        .filter(public_id=public_id)
        .first()
    )
    if n is None or not may_read(user, n):
        raise Http404
    if not check(user, n):
        raise PermissionDenied
    return n


def document_access(user: AnyUser, public_id: Any, doc_id: Any) -> NotificationDocument:
    """A document of a notification ``user`` may read. Files of comments are internal."""
    n = notification_access(user, public_id)
    doc = NotificationDocument.objects.filter(notification=n, public_id=doc_id).select_related("comment").first()
    if doc is None or (doc.comment_id is not None and not is_insider(user, n)):
        raise Http404
    return doc


# --- dossiers (outgoing) ----------------------------------------------------------------------
def dossiers_visible(user: AnyUser) -> QuerySet[Notification]:
    """Outgoing dossiers: all for national officers, the own ministry's for ministry officers."""
    qs = Notification.objects.filter(direction=N.Direction.OUT)
    if is_national(user):
        return qs
    point = ministry_point(user)
    if point is not None:
        return qs.filter(point=point)
    return qs.none()


def dossier_list_access(user: AnyUser) -> None:
    """The dossier list is for ministry and national officers; anyone else: 404."""
    if not (is_national(user) or ministry_point(user) is not None):
        raise Http404


def dossier_new_point(user: AnyUser) -> Point:
    """The ministry point a user files a new dossier for: national officers read dossiers but do
    not file them (403); anyone else 404."""
    point = ministry_point(user)
    if point is not None:
        return point
    if is_national(user):
        raise PermissionDenied
    raise Http404


# --- comments ---------------------------------------------------------------------------------
def may_route(user: AnyUser, c: NotificationComment) -> bool:
    return is_national(user) and c.direction == c.Direction.RECEIVED and c.state == CS.RECEIVED


def may_draft_reply(user: AnyUser, c: NotificationComment) -> bool:
    point = ministry_point(user)
    return point is not None and c.direction == c.Direction.RECEIVED and c.state == CS.ROUTED and c.point_id == point.pk


def may_send_reply(user: AnyUser, c: NotificationComment) -> bool:
    return is_national(user) and c.direction == c.Direction.RECEIVED and c.state == CS.REPLY_DRAFTED


def may_send_national_comment(user: AnyUser, c: NotificationComment) -> bool:
    return is_national(user) and c.direction == c.Direction.SENT and c.state == CS.DRAFT


def may_record_partner_reply(user: AnyUser, c: NotificationComment) -> bool:
    return is_national(user) and c.direction == c.Direction.SENT and c.state == CS.SENT


COMMENT_ACTIONS = {
    "view": lambda user, c: True,
    "route": may_route,
    "reply": may_draft_reply,
    "send": may_send_reply,
    "return": may_send_reply,
    "send_national": may_send_national_comment,
    "partner_reply": may_record_partner_reply,
}


def comment_access(user: AnyUser, public_id: Any, action: str = "view") -> NotificationComment:
    """A comment's own screen is internal: insiders of its notification read it (others 404)."""
    check = COMMENT_ACTIONS.get(action)
    if check is None:
        raise ValueError(f"Unknown action {action!r}")
    c = (
        NotificationComment.objects.select_related("notification", "member", "point")
        .filter(public_id=public_id)
        .first()
    )
    if c is None or not may_read(user, c.notification) or not is_insider(user, c.notification):
        raise Http404
    if not check(user, c):
        raise PermissionDenied
    return c


# --- impact notes -----------------------------------------------------------------------------
def impact_note_access(user: AnyUser, public_id: Any, action: str = "view") -> ImpactNote:
    """The impact note of the user's ministry on notification ``public_id``.

    Insiders of the notification read every note (by the notification page); this screen is the
    ministry's own: a national officer reading it may not write (403), outsiders 404."""
    n = notification_access(user, public_id)
    point = ministry_point(user)
    note = None
    if point is not None:
        note = ImpactNote.objects.filter(notification=n, point=point).select_related("point", "written_by").first()
    if note is None:
        if is_national(user):
            raise PermissionDenied
        raise Http404
    if action == "submit" and note.state != ImpactNote.State.REQUESTED:
        raise PermissionDenied
    return note


def business_inputs_visible(user: AnyUser, n: Notification) -> QuerySet[BusinessInput]:
    """Contents of business inputs: insiders only; the public sees the count."""
    if not is_insider(user, n):
        return BusinessInput.objects.none()
    return n.business_inputs.all()


# --- work queues ------------------------------------------------------------------------------
def work_access(user: AnyUser) -> None:
    """The work queues are for officers of any point; logged-in non-officers get 404."""
    if not is_officer(user):
        raise Http404
