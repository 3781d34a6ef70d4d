"""The Board's annual work plan: drafted by the standing body, adopted at the periodic meeting,
its tasks followed up to done (Đ10.1.a, Đ10.4, Đ11.1)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.events import events_for

from . import permissions, services
from .forms import TaskDoneForm, WorkPlanForm, WorkPlanItemForm
from .models import WorkPlan, WorkPlanItem
from .selectors import workplan_progress
from .views_helpers import actor_of, call_service, form_submit, post_data


@login_required
def workplan_list(request: HttpRequest) -> HttpResponse:
    permissions.require_read_workplans(request.user)
    plans = list(WorkPlan.objects.all())
    for plan in plans:
        plan.progress = workplan_progress(plan)  # type: ignore[attr-defined]
    return render(
        request, "board/workplan_list.html", {"plans": plans, "can_draft": permissions.can_draft_workplan(request.user)}
    )


@login_required
def workplan_create(request: HttpRequest) -> HttpResponse:
    permissions.require_draft_workplan(request.user)
    form = WorkPlanForm(post_data(request), initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        plan = call_service(
            request,
            form,
            lambda: services.workplan_create(
                actor=actor_of(request), year=form.cleaned_data["year"], summary=form.cleaned_data["summary"]
            ),
        )  # type: ignore[arg-type]
        if plan is not None:
            messages.success(request, _("Draft work plan created. Add its tasks."))
            return redirect(plan.get_absolute_url())
    return render(request, "board/workplan_form.html", {"form": form})


@login_required
def workplan_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = permissions.workplan_for_read(request.user, public_id)
    can_draft = permissions.can_draft_workplan(request.user)
    form = None
    if can_draft and plan.state == WorkPlan.State.DRAFT:
        form = WorkPlanItemForm(post_data(request))
        done = form_submit(
            request,
            form,
            lambda data: services.workplan_item_add(
                actor=actor_of(request), plan=plan, title=data["title"], lead=data["lead"], due_date=data["due_date"]
            ),
            success=_("Task added."),
            next_url=plan.get_absolute_url(),
        )
        if done is not None:
            return done
    elif request.method == "POST":
        permissions.require_draft_workplan(request.user)
        messages.error(request, _("An adopted work plan is changed only by the Board."))
        return redirect(plan.get_absolute_url())
    return render(
        request,
        "board/workplan_detail.html",
        {
            "plan": plan,
            "items": plan.items.all(),
            "form": form,
            "can_draft": can_draft,
            "progress": workplan_progress(plan),
            "done_form": TaskDoneForm(),
            "events": events_for(plan),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def workplan_task_done(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        task = WorkPlanItem.objects.select_related("plan").get(public_id=public_id)
    except WorkPlanItem.DoesNotExist:
        raise Http404 from None
    permissions.require_draft_workplan(request.user)
    form = TaskDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if (
        call_service(request, None, lambda: services.workplan_item_done(actor=actor_of(request), item=task, note=note))
        is not None
    ):  # type: ignore[arg-type]
        messages.success(request, _("Task marked done."))
    return redirect(task.plan.get_absolute_url())
