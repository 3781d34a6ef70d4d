"""Every access decision of the network app: one policy per model (see STYLE.md).

Rules: not allowed to read → 404 (the same answer for "missing" and "not yours");
allowed to read but not to act → 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse


def require_admin(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Administrators only; everyone else who is logged in gets 404 (the screen is not theirs)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_portal_admin", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def deny() -> None:
    raise PermissionDenied
