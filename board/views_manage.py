"""Administrators manage the Board's membership (Đ10.1, Đ15.2): nominations, appointments by
decision, replacements, and the history of every seat."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.events import events_for
from network.permissions import require_admin

from . import services
from .forms import AppointmentForm, ContactForm, NominationForm, ReasonForm
from .models import Membership
from .selectors import current_board, seat_for_key, seat_history, seat_holder
from .views_helpers import actor_of, call_service, post_data


@require_admin
def seats(request: HttpRequest) -> HttpResponse:
    nominations = Membership.objects.filter(state=Membership.State.NOMINATED).select_related("agency")
    pending: dict[str, list[Membership]] = {}
    for nomination in nominations:
        pending.setdefault(nomination.seat_key, []).append(nomination)
    board = current_board()
    for seat in board:
        seat.pending = pending.get(seat.key, [])  # type: ignore[attr-defined]
    return render(request, "board/manage/seats.html", {"seats": board})


@require_admin
def seat_detail(request: HttpRequest, seat: str) -> HttpResponse:
    try:
        role, agency = seat_for_key(seat)
    except LookupError:
        raise Http404 from None
    history = list(seat_history(role=role, agency=agency))
    label = str(agency) if agency is not None else Membership.Role(role).label
    return render(
        request,
        "board/manage/seat_detail.html",
        {
            "seat_key": seat,
            "label": label,
            "history": history,
            "holder": seat_holder(role=role, agency=agency),
        },
    )


@require_admin
def nominate(request: HttpRequest) -> HttpResponse:
    initial = {}
    seat = request.GET.get("seat", "")
    if seat:
        try:
            role, agency = seat_for_key(seat)
            initial = {"role": role, "agency": agency}
        except LookupError:
            pass
    form = NominationForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = call_service(
            request,
            form,
            lambda: services.membership_nominate(
                actor=actor_of(request),
                role=data["role"],
                agency=data["agency"],
                full_name=data["full_name"],  # type: ignore[arg-type]
                position_vi=data["position_vi"],
                position_en=data["position_en"],
                email=data["email"],
                phone=data["phone"],
                user=data["user"],
                organisation_vi=data["organisation_vi"],
                organisation_en=data["organisation_en"],
                nomination_reference=data["nomination_reference"],
            ),
        )
        if membership is not None:
            messages.success(request, _("Nomination recorded. Record the appointment decision to seat the member."))
            return redirect("board:membership_detail", public_id=membership.public_id)
    return render(request, "board/manage/nominate.html", {"form": form})


def _membership(public_id: UUID) -> Membership:
    return get_object_or_404(Membership.objects.select_related("agency", "user", "predecessor"), public_id=public_id)


@require_admin
def membership_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    membership = _membership(public_id)
    holder = seat_holder(role=membership.role, agency=membership.agency)
    return render(
        request,
        "board/manage/membership_detail.html",
        {
            "membership": membership,
            "holder": holder if holder is not None and holder.pk != membership.pk else None,
            "appoint_form": AppointmentForm() if membership.state == Membership.State.NOMINATED else None,
            "contact_form": ContactForm(
                initial={
                    "position_vi": membership.position_vi,
                    "position_en": membership.position_en,
                    "email": membership.email,
                    "phone": membership.phone,
                    "user": membership.user,
                }
            ),
            "withdraw_form": ReasonForm() if membership.state == Membership.State.NOMINATED else None,
            "events": events_for(membership),
        },
    )


@require_admin
def membership_appoint(request: HttpRequest, public_id: UUID) -> HttpResponse:
    membership = _membership(public_id)
    if membership.state != Membership.State.NOMINATED:
        raise Http404
    holder = seat_holder(role=membership.role, agency=membership.agency)
    form = AppointmentForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = call_service(
            request,
            form,
            lambda: services.membership_appoint(
                actor=actor_of(request),
                membership=membership,
                decision_number=data["decision_number"],  # type: ignore[arg-type]
                decision_date=data["decision_date"],
                term_start=data["term_start"],
                term_end=data["term_end"],
            ),
        )
        if done is not None:
            if holder is not None:
                messages.success(
                    request,
                    _("%(new)s replaces %(old)s from %(date)s.")
                    % {"new": done.full_name, "old": holder.full_name, "date": f"{data['term_start']:%d/%m/%Y}"},
                )
            else:
                messages.success(request, _("%(name)s is appointed.") % {"name": done.full_name})
            return redirect("board:seat_history", seat=done.seat_key)
    return render(request, "board/manage/appoint.html", {"membership": membership, "holder": holder, "form": form})


@require_admin
@require_POST
def membership_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    membership = _membership(public_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if (
        call_service(
            request,
            None,
            lambda: services.membership_withdraw(actor=actor_of(request), membership=membership, reason=reason),
        )
        is not None
    ):  # type: ignore[arg-type]
        messages.success(request, _("Nomination withdrawn."))
    return redirect("board:membership_detail", public_id=membership.public_id)


@require_admin
@require_POST
def membership_contact(request: HttpRequest, public_id: UUID) -> HttpResponse:
    membership = _membership(public_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if (
            call_service(
                request,
                None,
                lambda: services.membership_update_contact(
                    actor=actor_of(request),
                    membership=membership,
                    position_vi=data["position_vi"],  # type: ignore[arg-type]
                    position_en=data["position_en"],
                    email=data["email"],
                    phone=data["phone"],
                    user=data["user"],
                ),
            )
            is not None
        ):
            messages.success(request, _("Contact details saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("board:membership_detail", public_id=membership.public_id)
