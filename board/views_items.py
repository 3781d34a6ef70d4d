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
from .views_helpers import actor_of, call_service, form_submit, post_data


@login_required
def item_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    meeting = permissions.meeting_for_read(request.user, public_id)
    permissions.require_prepare(request.user, meeting)
    form = AgendaItemForm(
        post_data(request),
        is_head=permissions.is_head(request.user),
        initial={"kind": request.GET.get("kind") or None, "escalation": request.GET.get("escalation") or None},
    )
    done = form_submit(
        request,
        form,
        lambda data: services.agenda_item_add(
            actor=actor_of(request),
            meeting=meeting,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            escalation=data["escalation"],
            work_plan=data["work_plan"],
        ),
        success=_("Item added to the agenda."),
        next_url=meeting.get_absolute_url(),
    )
    if done is not None:
        return done
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
    done = form_submit(
        request,
        form,
        lambda data: services.consultation_record(
            actor=actor_of(request), item=item, consulted_on=data["consulted_on"], position=data["position"]
        ),
        success=_("Consultation with %(point)s recorded.") % {"point": point},
        next_url=item.meeting.get_absolute_url(),
    )
    if done is not None:
        return done
    return render(request, "board/consultation_form.html", {"item": item, "point": point, "form": form})


@login_required
def item_decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = permissions.item_for_read(request.user, public_id)
    permissions.require_record(request.user, item.meeting)
    invitations = list(meeting_invitations(item.meeting))
    form = DecisionForm(post_data(request), item=item, invitations=invitations)
    done = form_submit(
        request,
        form,
        lambda data: services.item_decide(
            actor=actor_of(request),
            item=item,
            method=data["method"],
            participation=form.participation(),
            conclusion=data["conclusion"],
            declared=data["declared"],
        ),
        success=lambda decided: _("Outcome recorded: %(outcome)s.") % {"outcome": decided.get_outcome_display()},
        next_url=item.meeting.get_absolute_url(),
    )
    if done is not None:
        return done
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
    done = form_submit(
        request,
        form,
        lambda data: services.reservation_record(
            actor=actor_of(request),
            item=item,
            membership=data["membership"],
            opinion=data["opinion"],
            explanation=data["explanation"],
        ),
        success=_("Reservation recorded. It goes with any recommendation on this item."),
        next_url=item.meeting.get_absolute_url(),
    )
    if done is not None:
        return done
    return render(request, "board/reservation_form.html", {"item": item, "form": form})


@login_required
def recommendation_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = permissions.item_for_read(request.user, public_id)
    permissions.require_record(request.user, item.meeting)
    form = RecommendationForm(post_data(request), initial={"subject": item.title[:255], "body": item.conclusion})
    done = form_submit(
        request,
        form,
        lambda data: services.recommendation_create(
            actor=actor_of(request),
            item=item,
            recipient=data["recipient"],
            subject=data["subject"],
            body=data["body"],
            recipient_email=data["recipient_email"],
        ),
        success=_("Recommendation drafted."),
        next_url=lambda rec: rec.get_absolute_url(),
    )
    if done is not None:
        return done
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
        done = form_submit(
            request,
            form,
            lambda data: services.recommendation_update(
                actor=actor_of(request),
                recommendation=rec,
                recipient=data["recipient"],
                subject=data["subject"],
                body=data["body"],
                recipient_email=data["recipient_email"],
            ),
            success=_("Recommendation saved."),
            next_url=rec.get_absolute_url(),
        )
        if done is not None:
            return done
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
