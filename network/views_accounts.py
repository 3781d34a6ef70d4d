"""Accounts: login (with lockout and the second factor), passwords, registration, profile, TOTP."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import forms_accounts as forms
from . import services_accounts as svc
from .models import User

BACKUP_CODES_SESSION_KEY = "accounts_new_backup_codes"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _with_next(viewname: str, target: str) -> str:
    return f"{reverse(viewname)}?{urlencode({'next': target})}"


def _home_for(user: Any) -> str:
    """Officials land on their point's dashboard, businesses on the home page."""
    if getattr(user, "is_business", False):
        return reverse("home")
    return reverse(settings.LOGIN_REDIRECT_URL)


# --- Login ----------------------------------------------------------------------------------------
class PortalLoginView(auth_views.LoginView):
    """Django's LoginView (so django-axes sees the request) plus the second-factor step."""

    form_class = forms.LoginForm
    template_name = "accounts/login.html"

    def get_default_redirect_url(self) -> str:
        return _home_for(self.request.user)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        target = self.get_success_url()
        step = svc.second_factor_step(self.request.user)
        if step is svc.SecondFactorStep.VERIFY:
            return redirect(_with_next("accounts:otp_verify", target))
        if step is svc.SecondFactorStep.SETUP:
            messages.warning(self.request, _("Administrators must protect their account with a second factor."))
            return redirect(_with_next("accounts:two_factor", target))
        return HttpResponseRedirect(target)


login_view = PortalLoginView.as_view()
logout_view = auth_views.LogoutView.as_view()


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of login for anyone with an authenticator: a code or a backup code."""
    user: User = request.user  # type: ignore[assignment]
    target = _safe_next(request, _home_for(user))
    if svc.second_factor_step(request.user) is not svc.SecondFactorStep.VERIFY:
        return HttpResponseRedirect(target)
    form = forms.OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, device = svc.otp_check(user=user, token=form.cleaned_data["code"])
        if result is svc.OTPResult.OK and device is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            if device.__class__.__name__ == "StaticDevice":
                messages.warning(
                    request,
                    _("You used a backup code. Backup codes left: %(count)s.") % {"count": svc.backup_codes_left(user)},
                )
            return HttpResponseRedirect(target)
        if result is svc.OTPResult.THROTTLED:
            form.add_error("code", _("Too many wrong codes. Wait a minute and try again."))
        else:
            form.add_error("code", _("The code is not correct."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": target})


# --- Passwords ------------------------------------------------------------------------------------
class PortalPasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PortalPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


password_change = PortalPasswordChangeView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    form_class=forms.PortalPasswordResetForm,
    template_name="accounts/password_reset.html",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=forms.PortalSetPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# --- Registration of businesses -------------------------------------------------------------------
@sensitive_post_parameters("password1", "password2")
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        svc.business_register(
            full_name=data["full_name"],
            organisation=data["organisation"],
            email=data["email"],
            phone=data["phone"],
            language=data["language"],
            password=data["password1"],
        )
        return render(request, "accounts/register_done.html", {"email": data["email"]})
    return render(request, "accounts/register.html", {"form": form})


@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    found = svc.verification_token_read(token)
    if isinstance(found, svc.TokenProblem):
        return render(request, "accounts/verify.html", {"problem": found.value}, status=400)
    result = svc.account_verify(user=found)
    return render(request, "accounts/verify.html", {"result": result.value, "account": found})


@never_cache
def verify_resend(request: HttpRequest) -> HttpResponse:
    form = forms.ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        svc.verification_resend(email=form.cleaned_data["email"])
        return render(request, "accounts/verify_resend.html", {"sent": True, "email": form.cleaned_data["email"]})
    return render(request, "accounts/verify_resend.html", {"form": form})


# --- Profile --------------------------------------------------------------------------------------
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = forms.ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        if svc.profile_update(user=user, changes=form.changes()):
            messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "may_use_2fa": svc.may_use_second_factor(user),
        "totp": svc.totp_device_confirmed(user),
        "backup_left": svc.backup_codes_left(user),
        "language_now": (get_language() or "vi")[:2],
    }
    return render(request, "accounts/profile.html", context)


# --- Second factor --------------------------------------------------------------------------------
def official_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The second-factor screens belong to officials; for anyone else they do not exist."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not svc.may_use_second_factor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _may_disable(user: User) -> bool:
    return not (settings.OTP_REQUIRED_FOR_ADMINS and user.is_portal_admin)


@never_cache
@official_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Status, or set-up: QR code and secret of a pending authenticator, confirmed by a code."""
    user: User = request.user  # type: ignore[assignment]
    totp = svc.totp_device_confirmed(user)
    if totp is not None:
        return _two_factor_status(request, user, totp)
    device = svc.totp_device_pending(user=user)
    form = forms.TwoFactorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = svc.two_factor_enable(user=user, device_id=device.pk, token=form.cleaned_data["code"])
        except svc.AccountError as exc:
            form.add_error("code", str(exc))
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, _("The second factor is now enabled."))
            return redirect(_with_next("accounts:two_factor_backup_codes", _safe_next(request, "")))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "provisioning": svc.totp_provisioning(device),
            "next": _safe_next(request, ""),
        },
    )


@never_cache
@official_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """The new backup codes, shown once: they leave the session as they are displayed."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor_backup_codes.html",
        {"codes": codes, "next": _safe_next(request, reverse("accounts:profile"))},
    )


@sensitive_post_parameters("password")
@require_POST
@official_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not _may_disable(user):
        messages.error(request, _("Administrators cannot turn off the second factor."))
        return redirect("accounts:two_factor")
    form = forms.PasswordConfirmForm(user, request.POST)
    if form.is_valid():
        svc.two_factor_disable(user=user)
        messages.success(request, _("The second factor has been turned off."))
        return redirect("accounts:profile")
    return _two_factor_refused(request, user, disable_form=form)


@sensitive_post_parameters("password")
@require_POST
@official_required
def two_factor_regenerate(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = forms.PasswordConfirmForm(user, request.POST)
    if form.is_valid():
        try:
            request.session[BACKUP_CODES_SESSION_KEY] = svc.backup_codes_regenerate(user=user)
        except svc.AccountError as exc:
            messages.error(request, str(exc))
            return redirect("accounts:two_factor")
        return redirect("accounts:two_factor_backup_codes")
    return _two_factor_refused(request, user, regenerate_form=form)


def _two_factor_refused(request: HttpRequest, user: User, **bad_forms: Any) -> HttpResponse:
    totp = svc.totp_device_confirmed(user)
    if totp is None:
        return redirect("accounts:two_factor")
    return _two_factor_status(request, user, totp, status=400, **bad_forms)


def _two_factor_status(request: HttpRequest, user: User, totp: Any, status: int = 200, **forms_: Any) -> HttpResponse:
    context = {
        "totp": totp,
        "backup_left": svc.backup_codes_left(user),
        "may_disable": _may_disable(user),
        "disable_form": forms.PasswordConfirmForm(user),
        "regenerate_form": forms.PasswordConfirmForm(user),
        **forms_,
    }
    return render(request, "accounts/two_factor.html", context, status=status)
