"""Every access decision of the Board app (see STYLE.md).

Who is who comes from the membership in office, not from the account's role label: a person
reads Board papers because the Ministry's decision appointed them (Đ15.2), and loses access the day
their term ends. Administrators manage membership but are not Board members: they do not read the
meetings or the minutes unless they hold a seat themselves.

Rules: not allowed to read → 404 (the same answer for "missing" and "not yours"); allowed to read
but not to act → 403 (PermissionDenied).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import AgendaItem, Escalation, Meeting, Membership, Paper, Recommendation, WorkPlan


def _user_ok(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def active_membership(user: Any) -> Membership | None:
    """The seat ``user`` holds today, if any."""
    if not _user_ok(user):
        return None
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).select_related("agency", "user").first()


def is_member(user: Any) -> bool:
    return active_membership(user) is not None


def _has_role(user: Any, *roles: str) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.role in roles


def is_head(user: Any) -> bool:
    return _has_role(user, Membership.Role.HEAD)


def is_secretary(user: Any) -> bool:
    return _has_role(user, Membership.Role.SECRETARY)


def is_leadership(user: Any) -> bool:
    return _has_role(user, *Membership.LEADERSHIP)


def is_standing_body(user: Any) -> bool:
    """Officers of the national point (STAMEQ), the Board's standing body (Đ10.4)."""
    return _user_ok(user) and bool(getattr(user, "is_national_officer", False))


def is_admin(user: Any) -> bool:
    return _user_ok(user) and bool(getattr(user, "is_portal_admin", False))


# --- Membership administration ----------------------------------------------------------------
def can_manage_membership(user: Any) -> bool:
    return is_admin(user)


def require_manage_membership(user: Any) -> None:
    if not can_manage_membership(user):
        raise Http404


# --- Escalations --------------------------------------------------------------------------------
def can_escalate(user: Any) -> bool:
    """Any national officer (the network through the standing body, Đ12.1), and the Secretary."""
    return is_standing_body(user) or is_secretary(user)


def can_read_escalations(user: Any) -> bool:
    return is_standing_body(user) or is_member(user)


def require_escalate(user: Any) -> None:
    if can_escalate(user):
        return
    if can_read_escalations(user):
        raise PermissionDenied
    raise Http404


def escalation_for_read(user: Any, public_id: UUID) -> Escalation:
    if not can_read_escalations(user):
        raise Http404
    try:
        return Escalation.objects.select_related("raised_by", "content_type").get(public_id=public_id)
    except Escalation.DoesNotExist:
        raise Http404 from None


def can_withdraw_escalation(user: Any, escalation: Escalation) -> bool:
    return escalation.state == Escalation.State.OPEN and (
        is_standing_body(user) or (_user_ok(user) and escalation.raised_by_id == user.pk)
    )


# --- Meetings -------------------------------------------------------------------------------------
def can_read_meetings(user: Any) -> bool:
    return is_member(user)


def can_create_meeting(user: Any) -> bool:
    """The Head convenes (Đ11.1); the Secretary prepares on the Head's instruction (Đ10.1.c)."""
    return _has_role(user, Membership.Role.HEAD, Membership.Role.SECRETARY)


def require_read_meetings(user: Any) -> Membership:
    membership = active_membership(user)
    if membership is None:
        raise Http404
    return membership


def meeting_for_read(user: Any, public_id: UUID) -> Meeting:
    membership = require_read_meetings(user)
    try:
        meeting = Meeting.objects.select_related("convened_by", "chaired_by").get(public_id=public_id)
    except Meeting.DoesNotExist:
        raise Http404 from None
    # A meeting being prepared is not yet shown to the ordinary members.
    if meeting.state == Meeting.State.DRAFT and membership.role not in Membership.LEADERSHIP:
        raise Http404
    return meeting


def item_for_read(user: Any, public_id: UUID) -> AgendaItem:
    try:
        item = AgendaItem.objects.select_related("meeting", "escalation", "work_plan").get(public_id=public_id)
    except AgendaItem.DoesNotExist:
        raise Http404 from None
    meeting_for_read(user, item.meeting.public_id)
    return item


def can_prepare(user: Any, meeting: Meeting) -> bool:
    """Add items and papers, convene, cancel: the Head and the Secretary."""
    return can_create_meeting(user)


def require_prepare(user: Any, meeting: Meeting) -> None:
    if not can_prepare(user, meeting):
        raise PermissionDenied


def can_record(user: Any, meeting: Meeting) -> bool:
    """Attendance, outcomes, minutes, recommendations: the Secretary (Đ10.1.c)."""
    return is_secretary(user)


def require_record(user: Any, meeting: Meeting) -> None:
    if not can_record(user, meeting):
        raise PermissionDenied


def can_issue_recommendation(user: Any) -> bool:
    return _has_role(user, Membership.Role.HEAD, Membership.Role.SECRETARY)


def invitation_of(user: Any, meeting: Meeting) -> Any:
    """The invitation of the member ``user`` to ``meeting``, if any."""
    membership = active_membership(user)
    if membership is None:
        return None
    return meeting.invitations.filter(membership=membership).first()


def paper_for_download(user: Any, public_id: UUID) -> Paper:
    try:
        paper = Paper.objects.select_related("meeting").get(public_id=public_id)
    except Paper.DoesNotExist:
        raise Http404 from None
    meeting_for_read(user, paper.meeting.public_id)
    return paper


def recommendation_for_read(user: Any, public_id: UUID) -> Recommendation:
    try:
        rec = Recommendation.objects.select_related("item__meeting").get(public_id=public_id)
    except Recommendation.DoesNotExist:
        raise Http404 from None
    meeting_for_read(user, rec.item.meeting.public_id)
    return rec


# --- Work plans -----------------------------------------------------------------------------------
def can_read_workplans(user: Any) -> bool:
    return is_standing_body(user) or is_member(user)


def can_draft_workplan(user: Any) -> bool:
    """Drafted and followed up by the standing body (Đ10.4) and the Secretary."""
    return is_standing_body(user) or is_secretary(user)


def require_read_workplans(user: Any) -> None:
    if not can_read_workplans(user):
        raise Http404


def require_draft_workplan(user: Any) -> None:
    require_read_workplans(user)
    if not can_draft_workplan(user):
        raise PermissionDenied


def workplan_for_read(user: Any, public_id: UUID) -> WorkPlan:
    require_read_workplans(user)
    try:
        return WorkPlan.objects.get(public_id=public_id)
    except WorkPlan.DoesNotExist:
        raise Http404 from None
