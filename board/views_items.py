"""Agenda items: adding them, consultations with the ministry points (Đ12.2), outcomes with the
majority rule (Đ11.2), reservations, and the recommendations that follow."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.events import events_for

from . import permissions, services
from .forms import AgendaItemForm, ConsultationForm, DecisionForm, RecommendationForm, ReservationForm
from .models import Membership, PdfState
from .selectors import agency_tbt_point, meeting_invitations
from .views_helpers import actor_of, call_service, post_data


@login_required
def item_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_prepare(request.user, meeting)
    form = AgendaItemForm(
        post_data(request),
        is_head=permissions.is_head(request.user),
        initial={"kind": request.GET.get("kind") or None, "escalation": request.GET.get("escalation") or None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = call_service(
            request,
            form,
            lambda: services.agenda_item_add(
                actor=actor_of(request),
                meeting=meeting,
                kind=data["kind"],
                title=data["title"],  # type: ignore[arg-type]
                description=data["description"],
                escalation=data["escalation"],
                work_plan=data["work_plan"],
            ),
        )
        if item is not None:
            messages.success(request, _("Item added to the agenda."))
            return redirect(meeting.get_absolute_url())
    return render(request, "board/item_form.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def item_remove(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = permissions.item_for_read(request.user, public_id)
    permissions.require_prepare(request.user, item.meeting)
    meeting = item.meeting
    if call_service(request, None, lambda: services.agenda_item_remove(actor=actor_of(request), item=item)) is None:  # type: ignore[arg-type]
        pass
    return redirect(meeting.get_absolute_url())


@login_required
def consultation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = permissions.item_for_read(request.user, public_id)
    membership = permissions.active_membership(request.user)
    point = agency_tbt_point(membership.agency if membership else None)
    if point is None or permissions.invitation_of(request.user, item.meeting) is None:
        raise PermissionDenied
    existing = item.consultations.filter(membership=membership).first()
    form = ConsultationForm(
        post_data(request),
        initial={
            "consulted_on": existing.consulted_on if existing else timezone.localdate(),
            "position": existing.position if existing else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        if (
            call_service(
                request,
                form,
                lambda: services.consultation_record(
                    actor=actor_of(request),
                    item=item,
                    consulted_on=form.cleaned_data["consulted_on"],  # type: ignore[arg-type]
                    position=form.cleaned_data["position"],
                ),
            )
            is not None
        ):
            messages.success(request, _("Consultation with %(point)s recorded.") % {"point": point})
            return redirect(item.meeting.get_absolute_url())
    return render(request, "board/consultation_form.html", {"item": item, "point": point, "form": form})


@login_required
def item_decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = permissions.item_for_read(request.user, public_id)
    permissions.require_record(request.user, item.meeting)
    invitations = list(meeting_invitations(item.meeting))
    form = DecisionForm(post_data(request), item=item, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decided = call_service(
            request,
            form,
            lambda: services.item_decide(
                actor=actor_of(request),
                item=item,
                method=data["method"],
                participation=form.participation(),  # type: ignore[arg-type]
                conclusion=data["conclusion"],
                declared=data["declared"],
            ),
        )
        if decided is not None:
            messages.success(request, _("Outcome recorded: %(outcome)s.") % {"outcome": decided.get_outcome_display()})
            return redirect(item.meeting.get_absolute_url())
    return render(request, "board/decision_form.html", {"item": item, "meeting": item.meeting, "form": form})


@login_required
def reservation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = permissions.item_for_read(request.user, public_id)
    own = permissions.active_membership(request.user)
    invited = Membership.objects.filter(invitations__meeting=item.meeting)
    if own is not None and own.role == Membership.Role.SECRETARY:
        members = invited.order_by("role", "agency__sort_order")
    else:
        members = invited.filter(pk=getattr(own, "pk", 0))
    if not members.exists():
        raise PermissionDenied
    form = ReservationForm(post_data(request), members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            call_service(
                request,
                form,
                lambda: services.reservation_record(
                    actor=actor_of(request),
                    item=item,
                    membership=data["membership"],
                    opinion=data["opinion"],  # type: ignore[arg-type]
                    explanation=data["explanation"],
                ),
            )
            is not None
        ):
            messages.success(request, _("Reservation recorded. It goes with any recommendation on this item."))
            return redirect(item.meeting.get_absolute_url())
    return render(request, "board/reservation_form.html", {"item": item, "form": form})


@login_required
def recommendation_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = permissions.item_for_read(request.user, public_id)
    permissions.require_record(request.user, item.meeting)
    form = RecommendationForm(post_data(request), initial={"subject": item.title[:255], "body": item.conclusion})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rec = call_service(
            request,
            form,
            lambda: services.recommendation_create(
                actor=actor_of(request),
                item=item,
                recipient=data["recipient"],
                subject=data["subject"],  # type: ignore[arg-type]
                body=data["body"],
                recipient_email=data["recipient_email"],
            ),
        )
        if rec is not None:
            messages.success(request, _("Recommendation drafted."))
            return redirect(rec.get_absolute_url())
    return render(
        request, "board/recommendation_form.html", {"item": item, "form": form, "reservations": item.reservations.all()}
    )


@login_required
def recommendation_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    rec = permissions.recommendation_for_read(request.user, public_id)
    item = rec.item
    can_record = permissions.can_record(request.user, item.meeting)
    form = None
    if can_record and rec.state == rec.State.DRAFT:
        form = RecommendationForm(
            post_data(request),
            instance=None,
            initial={
                "recipient": rec.recipient,
                "recipient_email": rec.recipient_email,
                "subject": rec.subject,
                "body": rec.body,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if call_service(
                request,
                form,
                lambda: services.recommendation_update(
                    actor=actor_of(request),
                    recommendation=rec,
                    recipient=data["recipient"],  # type: ignore[arg-type]
                    subject=data["subject"],
                    body=data["body"],
                    recipient_email=data["recipient_email"],
                ),
            ):
                messages.success(request, _("Recommendation saved."))
                return redirect(rec.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "board/recommendation_detail.html",
        {
            "rec": rec,
            "item": item,
            "meeting": item.meeting,
            "form": form,
            "reservations": item.reservations.select_related("membership__agency"),
            "can_issue": permissions.can_issue_recommendation(request.user) and rec.state == rec.State.DRAFT,
            "can_record": can_record,
            "events": events_for(rec),
        },
    )


@login_required
@require_POST
def recommendation_issue(request: HttpRequest, public_id: UUID) -> HttpResponse:
    rec = permissions.recommendation_for_read(request.user, public_id)
    if not permissions.can_issue_recommendation(request.user):
        raise PermissionDenied
    if call_service(request, None, lambda: services.recommendation_issue(actor=actor_of(request), recommendation=rec)):  # type: ignore[arg-type]
        messages.success(request, _("Recommendation issued with its reservations; the letter is being generated."))
    return redirect(rec.get_absolute_url())


@login_required
def recommendation_pdf(request: HttpRequest, public_id: UUID) -> FileResponse:
    rec = permissions.recommendation_for_read(request.user, public_id)
    if rec.pdf_state != PdfState.READY or not rec.pdf:
        raise Http404
    return FileResponse(
        rec.pdf.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=f"kien-nghi-{rec.number.replace('/', '-')}.pdf",
    )


@login_required
@require_POST
def recommendation_regenerate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    rec = permissions.recommendation_for_read(request.user, public_id)
    permissions.require_record(request.user, rec.item.meeting)
    call_service(request, None, lambda: services.pdf_regenerate(actor=actor_of(request), obj=rec))  # type: ignore[arg-type]
    return redirect(rec.get_absolute_url())
