"""Administration screens (/manage/): users, TBT points, public holidays, event log, outbox.

Administrators only (``require_admin``): anyone else logged in gets 404, anonymous visitors the
login page. Each view: fetch, validate a form, call one service, redirect.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import services_manage, services_users
from .events import events_for
from .forms_manage import EventFilterForm, HolidayForm, OutboxFilterForm, PointForm, UserFilterForm, UserForm
from .models import Holiday, OutboxEmail, Point, User
from .permissions import require_admin
from .selectors_manage import events_attach_targets, events_filtered, outbox_filtered, users_filtered
from .templatetags.network_work import VERB_LABELS
from .text import fold

PAGE_SIZE = 25

# Readable names of the verbs the administrators' actions write (see templates/_timeline.html).
VERB_LABELS.update(
    {
        "role_changed": gettext_lazy("Role changed"),
        "point_changed": gettext_lazy("TBT point changed"),
        "updated": gettext_lazy("Details changed"),
        "activated": gettext_lazy("Activated"),
        "deactivated": gettext_lazy("Deactivated"),
        "reactivated": gettext_lazy("Reactivated"),
        "welcome_sent": gettext_lazy("Password link sent"),
        "added": gettext_lazy("Added"),
        "deleted": gettext_lazy("Deleted"),
        "retried": gettext_lazy("Queued to be sent again"),
        # what the account holder did, shown on the administrators' page of the account
        "account_registered": gettext_lazy("Registered"),
        "account_verified": gettext_lazy("E-mail address confirmed"),
        "verification_resent": gettext_lazy("Confirmation link sent again"),
        "password_reset": gettext_lazy("Password reset"),
        "profile_updated": gettext_lazy("Profile updated"),
        "two_factor_enabled": gettext_lazy("Second factor turned on"),
        "two_factor_disabled": gettext_lazy("Second factor turned off"),
        "backup_codes_regenerated": gettext_lazy("New backup codes made"),
    }
)


def _actor(request: HttpRequest) -> User:
    """The administrator behind the request (``require_admin`` has checked)."""
    return cast(User, request.user)


def _page(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_admin
def home(request: HttpRequest) -> HttpResponse:
    counts = {
        "users": User.objects.filter(is_active=True).count(),
        "points": Point.objects.filter(is_active=True).count(),
        "holidays": Holiday.objects.filter(date__gte=timezone.localdate()).count(),
        "failed": OutboxEmail.objects.filter(state=OutboxEmail.State.FAILED).count(),
    }
    return render(request, "manage/home.html", {"counts": counts})


# --- Users ------------------------------------------------------------------------------------
@require_admin
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = users_filtered(
        q=filters.get("q") or "",
        role=filters.get("role") or "",
        point=filters.get("point"),
        active=filters.get("active") or "",
    )
    return render(request, "manage/user_list.html", {"form": form, "page": _page(request, users)})


@require_admin
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services_users.user_create(actor=_actor(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s was added. A welcome e-mail with a link to set a password was sent to %(email)s.")
                % {"name": user.full_name, "email": user.email},
            )
            return redirect("manage:user_list")
    return render(request, "manage/user_form.html", {"form": form})


@require_admin
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("point"), pk=pk)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services_users.user_update(actor=_actor(request), user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("manage:user_edit", pk=user.pk)
    return render(request, "manage/user_form.html", {"form": form, "subject": user, "events": events_for(user)})


def _user_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        action(actor=_actor(request), user=user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done % {"name": user.full_name, "email": user.email})
    return redirect("manage:user_edit", pk=user.pk)


@require_admin
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, services_users.user_deactivate, _("%(name)s can no longer log in."))


@require_admin
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, services_users.user_reactivate, _("%(name)s can log in again."))


@require_admin
@require_POST
def user_welcome(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(
        request, pk, services_users.user_welcome_resend, _("A new link to set a password was sent to %(email)s.")
    )


# --- Points -----------------------------------------------------------------------------------
@require_admin
def point_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    points = Point.objects.annotate(staff_count=Count("staff")).order_by("sort_order", "code")
    if q:
        points = points.filter(search_text__contains=fold(q))
    return render(request, "manage/point_list.html", {"points": points, "q": q})


@require_admin
def point_edit(request: HttpRequest, code: str) -> HttpResponse:
    point = get_object_or_404(Point, code=code)
    form = PointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services_manage.point_update(actor=_actor(request), point=point, changes=changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("manage:point_edit", code=point.code)
    staff = point.staff.order_by("-is_active", "-is_head", "full_name")
    return render(
        request, "manage/point_form.html", {"form": form, "point": point, "staff": staff, "events": events_for(point)}
    )


# --- Public holidays --------------------------------------------------------------------------
@require_admin
def holiday_list(request: HttpRequest) -> HttpResponse:
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            holiday = services_manage.holiday_add(
                actor=_actor(request),
                day=data["date"],
                name_vi=data["name_vi"],
                name_en=data["name_en"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The public holiday %(holiday)s was added.") % {"holiday": holiday})
            return redirect(f"{reverse('manage:holiday_list')}?year={holiday.date.year}")
    years = sorted({day.year for day in Holiday.objects.values_list("date", flat=True)} | {timezone.localdate().year})
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    holidays = Holiday.objects.filter(date__year=year).order_by("date")
    return render(
        request, "manage/holiday_list.html", {"form": form, "holidays": holidays, "year": year, "years": years}
    )


@require_admin
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(Holiday, pk=pk)
    year = holiday.date.year
    text = str(holiday)
    services_manage.holiday_delete(actor=_actor(request), holiday=holiday)
    messages.success(request, _("The public holiday %(holiday)s was removed.") % {"holiday": text})
    return redirect(f"{reverse('manage:holiday_list')}?year={year}")


# --- Event log --------------------------------------------------------------------------------
@require_admin
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = events_filtered(
        content_type=filters.get("object_type"),
        verb=filters.get("verb") or "",
        actor=filters.get("actor") or "",
        point=filters.get("point"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = _page(request, events, 50)
    events_attach_targets(page.object_list)
    return render(request, "manage/event_list.html", {"form": form, "page": page})


# --- Outbox -----------------------------------------------------------------------------------
@require_admin
def outbox_list(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    state = form.cleaned_data.get("state", "") if form.is_valid() else ""
    counts = dict(OutboxEmail.objects.order_by().values_list("state").annotate(n=Count("id")))
    states = [(value, label, counts.get(value, 0)) for value, label in OutboxEmail.State.choices]
    return render(
        request,
        "manage/outbox_list.html",
        {"form": form, "page": _page(request, outbox_filtered(state=state)), "states": states},
    )


@require_admin
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboxEmail, pk=pk)
    try:
        services_manage.outbox_email_retry(actor=_actor(request), email=email)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The e-mail to %(to)s is queued to be sent again.") % {"to": email.to})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("manage:outbox_list")
