"""Escalation of an object of the network to the Board (Đ12.1-2).

Other apps link to ``{% url 'board:escalate' %}?type=<app.model>&id=<public id>`` (or use
``selectors.escalation_url_for(obj)`` / ``{% board_escalate_url obj %}``)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.events import events_for

from . import permissions, services
from .forms import EscalationForm, ReasonForm
from .models import Escalation
from .selectors import escalation_kinds, escalation_target, escalation_target_by_reference, escalation_url_for
from .views_helpers import actor_of, call_service, post_data


@login_required
def escalate(request: HttpRequest) -> HttpResponse:
    permissions.require_escalate(request.user)
    source = request.POST if request.method == "POST" else request.GET
    type_value, public_id = source.get("type", ""), source.get("id", "")
    if not public_id:
        return _pick(request, type_value, source.get("ref", ""))
    target = escalation_target(type_value, public_id)
    if target is None:
        raise Http404
    form = EscalationForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        escalation = call_service(
            request,
            form,
            lambda: services.board_escalate(
                actor=actor_of(request),
                obj=target,
                summary=form.cleaned_data["summary"],  # type: ignore[arg-type]
                question=form.cleaned_data["question"],
            ),
        )
        if escalation is not None:
            messages.success(request, _("The issue is before the Board. The Secretary puts it on a meeting agenda."))
            return redirect(escalation.get_absolute_url())
    return render(
        request,
        "board/escalation_form.html",
        {
            "form": form,
            "target": target,
            "type_value": type_value,
            "public_id": public_id,
        },
    )


def _pick(request: HttpRequest, type_value: str, reference: str) -> HttpResponse:
    """Name the enquiry or notification to escalate by its tracking code or symbol (for officers who
    start from the Board's pages rather than from the object's own page)."""
    error = ""
    if reference.strip():
        target = escalation_target_by_reference(type_value, reference)
        if target is not None:
            return redirect(escalation_url_for(target))
        error = _("Nothing of this kind has this reference: check the tracking code or the symbol.")
    return render(
        request,
        "board/escalation_pick.html",
        {"kinds": escalation_kinds(), "type_value": type_value, "reference": reference, "error": error},
    )


@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_read_escalations(request.user):
        raise Http404
    state = request.GET.get("state", "")
    qs = Escalation.objects.select_related("raised_by").order_by("-raised_at")
    if state in Escalation.State.values:
        qs = qs.filter(state=state)
    return render(
        request,
        "board/escalation_list.html",
        {
            "escalations": qs[:200],
            "state": state,
            "states": Escalation.State.choices,
            "can_escalate": permissions.can_escalate(request.user),
        },
    )


@login_required
def escalation_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    escalation = permissions.escalation_for_read(request.user, public_id)
    items = escalation.agenda_items.select_related("meeting").prefetch_related("reservations__membership__agency")
    return render(
        request,
        "board/escalation_detail.html",
        {
            "escalation": escalation,
            "items": items,
            "is_member": permissions.is_member(request.user),
            "can_withdraw": permissions.can_withdraw_escalation(request.user, escalation),
            "withdraw_form": ReasonForm(),
            "events": events_for(escalation),
        },
    )


@login_required
@require_POST
def escalation_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    escalation = permissions.escalation_for_read(request.user, public_id)
    if not permissions.can_withdraw_escalation(request.user, escalation):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if (
        call_service(
            request,
            None,
            lambda: services.escalation_withdraw(actor=actor_of(request), escalation=escalation, reason=reason),
        )
        is not None
    ):  # type: ignore[arg-type]
        messages.success(request, _("Escalation withdrawn."))
    return redirect(escalation.get_absolute_url())
