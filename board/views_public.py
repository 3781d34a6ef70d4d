"""The public page of the Board: its members today, in both languages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import permissions
from .selectors import current_board


def public(request: HttpRequest) -> HttpResponse:
    seats = current_board()
    return render(
        request,
        "board/public.html",
        {
            "leadership": [s for s in seats if s.agency is None],
            "members": [s for s in seats if s.agency is not None],
            "is_member": permissions.is_member(request.user),
            "can_manage": permissions.can_manage_membership(request.user),
            "can_escalations": permissions.can_read_escalations(request.user),
            "can_workplans": permissions.can_read_workplans(request.user),
        },
    )


def home(request: HttpRequest) -> HttpResponse:
    """The Board's area for whoever arrives from the dashboard: a member's meetings, the standing
    body's escalated issues, the administrator's membership screens, otherwise the public page."""
    user = request.user
    if permissions.is_member(user):
        return redirect("board:meeting_list")
    if permissions.is_standing_body(user):
        return redirect("board:escalation_list")
    if permissions.can_manage_membership(user):
        return redirect("board:manage")
    return redirect("board:public")
