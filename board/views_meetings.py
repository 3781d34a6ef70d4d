"""Board meetings (Đ11): scheduling, agenda, papers, invitations and replies, attendance, minutes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.events import events_for

from . import permissions, services
from .forms import AttendanceForm, CloseForm, MeetingForm, PaperForm, ReasonForm, ReplyForm
from .models import Meeting, Membership, PdfState
from .selectors import (
    agency_tbt_point,
    meeting_invitations,
    meeting_items,
    meetings_for,
    open_escalations,
    pending_for,
)
from .views_helpers import actor_of, call_service, form_submit, post_data


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    membership = permissions.require_read_meetings(request.user)
    return render(
        request,
        "board/meeting_list.html",
        {
            "meetings": meetings_for(membership)[:200],
            "membership": membership,
            "can_create": permissions.can_create_meeting(request.user),
            "open_escalations": open_escalations().count() if membership.role in Membership.LEADERSHIP else 0,
            "todo": pending_for(request.user),
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    permissions.require_read_meetings(request.user)
    if not permissions.can_create_meeting(request.user):
        raise PermissionDenied
    form = MeetingForm(post_data(request), initial={"kind": request.GET.get("kind", Meeting.Kind.AD_HOC)})
    done = form_submit(
        request,
        form,
        lambda data: services.meeting_create(
            actor=actor_of(request),
            kind=data["kind"],
            title=data["title"],
            starts_at=data["starts_at"],
            place=data["place"],
            remote_link=data["remote_link"],
        ),
        success=_("Meeting scheduled. Prepare the agenda and the papers, then send the invitations."),
        next_url=lambda meeting: meeting.get_absolute_url(),
    )
    if done is not None:
        return done
    return render(request, "board/meeting_form.html", {"form": form, "papers_days": settings.BOARD_PAPERS_DAYS_BEFORE})


@login_required
def meeting_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_prepare(request.user, meeting)
    form = MeetingForm(
        post_data(request),
        initial={
            "kind": meeting.kind,
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "place": meeting.place,
            "remote_link": meeting.remote_link,
        },
    )
    form.fields["kind"].disabled = True
    done = form_submit(
        request,
        form,
        lambda data: services.meeting_update(
            actor=actor_of(request),
            meeting=meeting,
            title=data["title"],
            starts_at=data["starts_at"],
            place=data["place"],
            remote_link=data["remote_link"],
        ),
        success=_("Meeting changed."),
        next_url=meeting.get_absolute_url(),
    )
    if done is not None:
        return done
    return render(
        request,
        "board/meeting_form.html",
        {"form": form, "meeting": meeting, "papers_days": settings.BOARD_PAPERS_DAYS_BEFORE},
    )


def _detail_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    membership = permissions.active_membership(request.user)
    assert membership is not None
    items = list(meeting_items(meeting))
    my_point = agency_tbt_point(membership.agency)
    for item in items:
        item.my_consultation = next(  # type: ignore[attr-defined]
            (c for c in item.consultations.all() if c.membership_id == membership.pk), None
        )
        item.my_reservation = next(  # type: ignore[attr-defined]
            (r for r in item.reservations.all() if r.membership_id == membership.pk), None
        )
    invitations = list(meeting_invitations(meeting))
    my_invitation = next((inv for inv in invitations if inv.membership_id == membership.pk), None)
    return {
        "meeting": meeting,
        "items": items,
        "invitations": invitations,
        "present_count": sum(1 for inv in invitations if inv.is_present),
        "replies": {
            "pending": sum(1 for inv in invitations if inv.reply == "pending"),
            "written": [inv for inv in invitations if inv.written_opinion],
        },
        "papers": list(meeting.papers.select_related("item")),
        "membership": membership,
        "my_invitation": my_invitation,
        "my_point": my_point,
        "can_prepare": permissions.can_prepare(request.user, meeting),
        "can_record": permissions.can_record(request.user, meeting),
        "is_head": membership.role == Membership.Role.HEAD,
        "events": events_for(meeting),
        "cancel_form": ReasonForm(),
    }


@login_required
def meeting_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    return render(request, "board/meeting_detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def meeting_convene(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_prepare(request.user, meeting)
    if call_service(request, None, lambda: services.meeting_convene(actor=actor_of(request), meeting=meeting)):  # type: ignore[arg-type]
        messages.success(request, _("The invitations and the papers were sent to every member."))
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_prepare(request.user, meeting)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if call_service(
        request, None, lambda: services.meeting_cancel(actor=actor_of(request), meeting=meeting, reason=reason)
    ):  # type: ignore[arg-type]
        messages.success(request, _("The meeting is cancelled."))
    return redirect(meeting.get_absolute_url())


@login_required
def invitation_reply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    invitation = permissions.invitation_of(request.user, meeting)
    if invitation is None:
        raise PermissionDenied
    form = ReplyForm(
        post_data(request),
        initial={
            "reply": invitation.reply if invitation.reply != "pending" else None,
            "written_opinion": invitation.written_opinion,
        },
    )
    done = form_submit(
        request,
        form,
        lambda data: services.invitation_reply(
            actor=actor_of(request), meeting=meeting, reply=data["reply"], written_opinion=data["written_opinion"]
        ),
        success=_("Thank you: your reply is recorded."),
        next_url=meeting.get_absolute_url(),
    )
    if done is not None:
        return done
    return render(request, "board/reply_form.html", {"meeting": meeting, "invitation": invitation, "form": form})


@login_required
def attendance(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_record(request.user, meeting)
    invitations = list(meeting_invitations(meeting))
    form = AttendanceForm(post_data(request), invitations=invitations)
    done = form_submit(
        request,
        form,
        lambda _data: services.attendance_record(
            actor=actor_of(request), meeting=meeting, attendance=form.attendance()
        ),
        success=_("Attendance recorded. Record the outcome of each item."),
        next_url=meeting.get_absolute_url(),
    )
    if done is not None:
        return done
    return render(request, "board/attendance_form.html", {"meeting": meeting, "form": form})


@login_required
def meeting_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_record(request.user, meeting)
    form = CloseForm(post_data(request), initial={"minutes_notes": meeting.minutes_notes})
    done = form_submit(
        request,
        form,
        lambda data: services.meeting_close(
            actor=actor_of(request), meeting=meeting, minutes_notes=data["minutes_notes"]
        ),
        success=_("The minutes are closed; the PDF is being generated."),
        next_url=meeting.get_absolute_url(),
    )
    if done is not None:
        return done
    return render(
        request, "board/close_form.html", {"meeting": meeting, "form": form, "items": list(meeting_items(meeting))}
    )


@login_required
def paper_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_prepare(request.user, meeting)
    form = PaperForm(
        post_data(request), request.FILES or None, meeting=meeting, initial={"item": request.GET.get("item") or None}
    )
    done = form_submit(
        request,
        form,
        lambda data: services.paper_add(
            actor=actor_of(request), meeting=meeting, title=data["title"], file=data["file"], item=data["item"]
        ),
        success=_("Paper added."),
        next_url=meeting.get_absolute_url(),
    )
    if done is not None:
        return done
    return render(request, "board/paper_form.html", {"meeting": meeting, "form": form})


@login_required
def paper_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    paper = permissions.paper_for_download(request.user, public_id)
    filename = (paper.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(paper.file.open("rb"), as_attachment=True, filename=filename)


@login_required
def minutes_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    if meeting.minutes_state != PdfState.READY or not meeting.minutes_pdf:
        raise Http404
    number = meeting.minutes_number.replace("/", "-")
    return FileResponse(
        meeting.minutes_pdf.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=f"bien-ban-{number}-{meeting.date:%Y%m%d}.pdf",
    )


@login_required
@require_POST
def minutes_regenerate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_record(request.user, meeting)
    if call_service(request, None, lambda: services.pdf_regenerate(actor=actor_of(request), obj=meeting)) is None:  # type: ignore[arg-type]
        pass
    return redirect(meeting.get_absolute_url())
