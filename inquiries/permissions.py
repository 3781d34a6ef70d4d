"""Every access decision of the enquiry service: "may this person do X to this enquiry" and
"which enquiries may this person see", side by side (see STYLE.md).

Officials: the national point sees every enquiry; a ministry or provincial point sees the enquiries
it leads or contributes to, and a provincial point also those from businesses of its province
(which it may handle locally, Đ6.3.b-c). The asker sees their own enquiry through the tracking page
(secret link, code + e-mail, or their account). Not allowed to read → 404 (the same answer as for a
missing enquiry); allowed to read but not to act → 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from network.models import User

from .models import Attachment, Contribution, Inquiry

S = Inquiry.State
TRACKED_SESSION_KEY = "inquiries_tracked"

AnyUser = User | AnonymousUser


def _point_id(user: AnyUser) -> Any:
    return getattr(user, "point_id", None)


def _officer(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_officer", False) and _point_id(user) is not None)


def _national(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_national_officer", False))


def _on_point(user: AnyUser, point_id: int | None) -> bool:
    return bool(_officer(user) and point_id is not None and _point_id(user) == point_id)


def _contributes(user: AnyUser, inquiry: Inquiry) -> bool:
    if not _officer(user):
        return False
    return inquiry.contributions.filter(point_id=_point_id(user)).exclude(state=Contribution.State.CANCELLED).exists()


# --- which enquiries --------------------------------------------------------------------------
def inquiries_visible_to(user: AnyUser) -> QuerySet[Inquiry]:
    if _national(user):
        return Inquiry.objects.all()
    if not _officer(user):
        return Inquiry.objects.none()
    point_id = _point_id(user)
    contributing = Contribution.objects.filter(inquiry=OuterRef("pk"), point_id=point_id).exclude(
        state=Contribution.State.CANCELLED
    )
    return Inquiry.objects.filter(Q(lead_point_id=point_id) | Q(local_point_id=point_id) | Exists(contributing))


# --- one enquiry ------------------------------------------------------------------------------
def can_view(user: AnyUser, inquiry: Inquiry) -> bool:
    if _national(user):
        return True
    if not _officer(user):
        return False
    return (
        _on_point(user, inquiry.lead_point_id) or _on_point(user, inquiry.local_point_id) or _contributes(user, inquiry)
    )


def inquiry_for_official(user: AnyUser, code: str) -> Inquiry:
    """The enquiry if this official may read it; 404 otherwise (missing and "not yours" alike)."""
    inquiry = Inquiry.objects.select_related("lead_point", "local_point", "province").filter(code=code).first()
    if inquiry is None or not can_view(user, inquiry):
        raise Http404
    return inquiry


def _local_triager(user: AnyUser, inquiry: Inquiry) -> bool:
    return _on_point(user, inquiry.local_point_id) and not inquiry.passed_up


def can_triage(user: AnyUser, inquiry: Inquiry) -> bool:
    """Route (triage and assign): the national point, or the asker's provincial point for local handling."""
    if inquiry.is_final:
        return False
    if _national(user):
        return True
    return _local_triager(user, inquiry) and (inquiry.state == S.RECEIVED or inquiry.handled_locally)


def can_reject(user: AnyUser, inquiry: Inquiry) -> bool:
    return can_triage(user, inquiry) and inquiry.state in (S.RECEIVED, S.TRIAGED)


def can_pass_up(user: AnyUser, inquiry: Inquiry) -> bool:
    return (
        _local_triager(user, inquiry)
        and not inquiry.is_final
        and (inquiry.state == S.RECEIVED or inquiry.handled_locally)
    )


def can_contribute(user: AnyUser, inquiry: Inquiry) -> bool:
    if inquiry.state not in (S.ASSIGNED, S.INFO_REQUESTED, S.INFO_RECEIVED):
        return False
    return _on_point(user, inquiry.lead_point_id) or _contributes(user, inquiry)


def can_draft(user: AnyUser, inquiry: Inquiry) -> bool:
    """Consolidate the answer: the lead point."""
    return _on_point(user, inquiry.lead_point_id) and inquiry.state in (S.ASSIGNED, S.INFO_RECEIVED, S.ANSWER_DRAFTED)


def can_request_info(user: AnyUser, inquiry: Inquiry) -> bool:
    return (_on_point(user, inquiry.lead_point_id) or _national(user)) and inquiry.state in (
        S.ASSIGNED,
        S.INFO_RECEIVED,
    )


def can_approve(user: AnyUser, inquiry: Inquiry) -> bool:
    """The national point approves; a provincial point approves what it handles within local authority."""
    if inquiry.state != S.ANSWER_DRAFTED:
        return False
    return _national(user) or (inquiry.handled_locally and _on_point(user, inquiry.local_point_id))


def can_close(user: AnyUser, inquiry: Inquiry) -> bool:
    return inquiry.state == S.ANSWERED and (
        _national(user) or (inquiry.handled_locally and _on_point(user, inquiry.local_point_id))
    )


def can_publish_faq(user: AnyUser, inquiry: Inquiry) -> bool:
    return _national(user) and inquiry.state in (S.ANSWERED, S.CLOSED)


def can_note(user: AnyUser, inquiry: Inquiry) -> bool:
    return can_view(user, inquiry)


def can_bulk_assign(user: AnyUser) -> bool:
    return _national(user)


def can_see_figures(user: AnyUser) -> bool:
    return _national(user)


def can_see_queue(user: AnyUser) -> bool:
    return _officer(user)


def require(allowed: bool) -> None:
    """Read but may not act → 403."""
    if not allowed:
        raise PermissionDenied


# --- the asker --------------------------------------------------------------------------------
def asker_may_view(request: HttpRequest, inquiry: Inquiry) -> bool:
    user: Any = request.user
    if user.is_authenticated and inquiry.user_id is not None and inquiry.user_id == user.pk:
        return True
    return inquiry.pk in request.session.get(TRACKED_SESSION_KEY, [])


def asker_remember(request: HttpRequest, inquiry: Inquiry) -> None:
    """After a correct code + e-mail or a secret link, this browser may follow the enquiry."""
    tracked = [pk for pk in request.session.get(TRACKED_SESSION_KEY, []) if pk != inquiry.pk][-19:]
    request.session[TRACKED_SESSION_KEY] = [*tracked, inquiry.pk]


def inquiry_for_asker(request: HttpRequest, code: str) -> Inquiry:
    inquiry = Inquiry.objects.filter(code=code.upper()).first()
    if inquiry is None or not asker_may_view(request, inquiry):
        raise Http404
    return inquiry


def attachment_visible_to_asker(attachment: Attachment) -> bool:
    """The asker sees what they sent and the files of the answer once it was sent, never drafts."""
    if attachment.kind == Attachment.Kind.ANSWER:
        return attachment.inquiry.state in (S.ANSWERED, S.CLOSED)
    return True


def attachment_visible_to_official(user: AnyUser, attachment: Attachment) -> bool:
    return can_view(user, attachment.inquiry)
