"""Officials' work screens: dashboard, deadlines, annual lists (Đ6.2.a), annual reports.

Each view: fetch through the permission policy (404 / 403), validate a form, call one service,
say what happened (django messages), redirect.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AnnualListItemForm, AnnualListSubmitForm, ApprovalDateForm, ConfirmForm, DeadlineFilterForm
from .models import AnnualList, AnnualReport, User
from .permissions import (
    annual_list_access,
    annual_list_item_access,
    annual_list_may_edit,
    annual_list_own_point,
    annual_report_access,
    annual_report_may_submit,
    work_screens_allowed,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _official_or_404(request: HttpRequest) -> User:
    user = _user(request)
    if not work_screens_allowed(user):
        raise Http404
    return user


# --- Dashboard and deadlines --------------------------------------------------------------------
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not work_screens_allowed(user):
        return redirect("home")  # businesses (and anyone without a work role) have no dashboard
    board = selectors.dashboard_for(user, today=timezone.localdate())
    return render(request, "network/dashboard.html", {"board": board, "today": board.today})


@login_required
def deadline_list(request: HttpRequest) -> HttpResponse:
    user = _official_or_404(request)
    form = DeadlineFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    today = timezone.localdate()
    page = Paginator(selectors.deadlines_filtered(user, state=state, today=today), 50).get_page(request.GET.get("page"))
    return render(request, "network/deadline_list.html", {"form": form, "page": page, "state": state, "today": today})


# --- Annual lists -----------------------------------------------------------------------------
@login_required
def annual_list_overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    if user.is_national_officer or user.is_portal_admin:
        try:
            year = int(request.GET.get("year") or today.year)
        except ValueError:
            year = today.year
        rows = selectors.annual_list_overview(year=year)
        return render(
            request,
            "network/annual_list_overview.html",
            {"rows": rows, "counts": selectors.annual_list_overview_counts(rows), "year": year,
             "years": [today.year + 1, *range(today.year, today.year - 5, -1)], "today": today},
        )  # fmt: skip
    point = annual_list_own_point(user)  # ministry officers; everyone else 404
    lists = selectors.annual_lists_for_user(user)
    return render(
        request, "network/annual_list_mine.html", {"lists": lists, "point": point, "year": today.year, "today": today}
    )


@login_required
def annual_list_approval(request: HttpRequest, year: int) -> HttpResponse:
    """Record (or correct) the date the Minister approved the programme of ``year``."""
    user = _user(request)
    point = annual_list_own_point(user)
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        raise Http404
    existing = selectors.annual_list_of_point(point=point, year=year)
    if existing is not None and existing.state == AnnualList.State.SUBMITTED:
        messages.info(request, _("The list has been submitted and can no longer be changed."))
        return redirect(existing)
    initial = {"approved_on": existing.programme_approved_on} if existing and existing.programme_approved_on else None
    form = ApprovalDateForm(request.POST or None, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            annual_list = services.annual_list_record_approval(
                actor=user, point=point, year=year, approved_on=form.cleaned_data["approved_on"]
            )
        except ValidationError as exc:
            form.add_error("approved_on", exc)
        else:
            messages.success(
                request,
                _("Approval date recorded. The list is due on %(due)s.")
                % {"due": annual_list.due_date.strftime("%d/%m/%Y") if annual_list.due_date else ""},
            )
            return redirect(annual_list)
    return render(
        request,
        "network/annual_list_approval.html",
        {"form": form, "year": year, "point": point, "annual_list": existing},
    )


def _annual_list_page(request: HttpRequest, annual_list: AnnualList, **forms: Any) -> HttpResponse:
    user = _user(request)
    editable = annual_list_may_edit(user, annual_list) and annual_list.state == AnnualList.State.DRAFT
    context = {
        "annual_list": annual_list,
        "items": annual_list.items.all(),
        "deadline": selectors.annual_list_deadline(annual_list),
        "events": selectors.object_timeline(annual_list),
        "may_edit": annual_list_may_edit(user, annual_list),
        "editable": editable,
        "item_form": forms.get("item_form") or (AnnualListItemForm() if editable else None),
        "submit_form": forms.get("submit_form") or (AnnualListSubmitForm() if editable else None),
        "today": timezone.localdate(),
    }
    return render(request, "network/annual_list_detail.html", context)


@login_required
def annual_list_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _annual_list_page(request, annual_list_access(request.user, public_id))


@login_required
@require_POST
def annual_list_item_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    annual_list = annual_list_access(request.user, public_id, action="edit")
    form = AnnualListItemForm(request.POST)
    if form.is_valid():
        try:
            services.annual_list_item_add(actor=_user(request), annual_list=annual_list, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Document added to the list."))
            return redirect(annual_list)
    return _annual_list_page(request, annual_list, item_form=form)


@login_required
@require_POST
def annual_list_item_remove(request: HttpRequest, public_id: UUID, item_id: int) -> HttpResponse:
    item = annual_list_item_access(request.user, public_id, item_id)
    try:
        services.annual_list_item_remove(actor=_user(request), item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Document removed from the list."))
    return redirect(item.annual_list)


@login_required
@require_POST
def annual_list_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    annual_list = annual_list_access(request.user, public_id, action="edit")
    form = AnnualListSubmitForm(request.POST)
    if form.is_valid():
        try:
            services.annual_list_submit(
                actor=_user(request), annual_list=annual_list, no_documents=form.cleaned_data["no_documents"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The list has been sent to the national TBT point. Thank you."))
            return redirect(annual_list)
    return _annual_list_page(request, annual_list, submit_form=form)


# --- Annual reports ---------------------------------------------------------------------------
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (user.is_officer or user.is_portal_admin):
        raise Http404
    years = selectors.report_years(user)
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else (years[0] if years else None)
    except ValueError:
        year = None
    reports = selectors.reports_for_user(user, year=year)
    return render(
        request,
        "network/report_list.html",
        {"reports": reports, "years": years, "year": year, "today": timezone.localdate()},
    )


def _report_page(request: HttpRequest, report: AnnualReport, form: ConfirmForm | None = None) -> HttpResponse:
    may_submit = annual_report_may_submit(request.user, report)
    context = {
        "report": report,
        "deadline": selectors.report_deadline(report),
        "events": selectors.object_timeline(report),
        "may_submit": may_submit,
        "form": form or (ConfirmForm() if may_submit and report.state == AnnualReport.State.OPEN else None),
        "today": timezone.localdate(),
    }
    return render(request, "network/report_detail.html", context)


@login_required
def report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _report_page(request, annual_report_access(request.user, public_id))


@login_required
@require_POST
def report_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    report = annual_report_access(request.user, public_id, action="submit")
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.annual_report_submit(actor=_user(request), report=report)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The report has been marked as submitted."))
            return redirect("network:report_detail", public_id=report.public_id)
    return _report_page(request, report, form)
