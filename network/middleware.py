"""The second factor before anything else.

After the password, a person who has an authenticator must enter a code from it (or a backup
code) before using the portal; an administrator without one must set one up first when
``settings.OTP_REQUIRED_FOR_ADMINS`` is on (the demo relaxes it and says so in the banner).
Until then only the screens needed to do that (and logging out, the language switch, the health
check) answer; static files are served before this middleware runs.

The allowed screens are named, not matched by path prefix: a person who has typed the password
but not the code must not reach, say, the profile page where the second factor is turned off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse

from .services_accounts import SecondFactorStep, second_factor_step

_ALWAYS = {
    ("", "healthz"),
    ("", "set_language"),
    ("", "javascript-catalog"),
    ("accounts", "logout"),
    ("accounts", "login"),
}
_WHILE_VERIFYING = _ALWAYS | {("accounts", "otp_verify")}
_WHILE_SETTING_UP = _ALWAYS | {("accounts", "two_factor"), ("accounts", "two_factor_backup_codes")}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        step = second_factor_step(user)
        if step is SecondFactorStep.NONE:
            return None
        match = request.resolver_match
        name = (match.namespace, match.url_name) if match is not None else ("", "")
        allowed, target = (
            (_WHILE_VERIFYING, "accounts:otp_verify")
            if step is SecondFactorStep.VERIFY
            else (_WHILE_SETTING_UP, "accounts:two_factor")
        )
        if name in allowed:
            return None
        if request.path_info.startswith("/api/"):
            return HttpResponseForbidden("Second factor required.")
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(target)}?{query}" if query else reverse(target))
