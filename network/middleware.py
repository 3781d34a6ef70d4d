"""Administrators must pass a second factor (TOTP) before using the portal, unless relaxed."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths an administrator without a verified second factor may still reach.
_ALLOWED_PREFIXES = ("/accounts/", "/en/accounts/", "/static/", "/healthz", "/i18n/", "/jsi18n/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.OTP_REQUIRED_FOR_ADMINS
            and user is not None
            and user.is_authenticated
            and getattr(user, "is_portal_admin", False)
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            return redirect("accounts:otp_verify")
        return self.get_response(request)
