"""Small helpers shared by the Board's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise

if TYPE_CHECKING:
    from network.models import User

T = TypeVar("T")


def actor_of(request: HttpRequest) -> User:
    """The signed-in user acting (the views reach here only after the login check)."""
    return cast("User", request.user)


def call_service(request: HttpRequest, form: forms.BaseForm | None, call: Callable[[], T]) -> T | None:
    """Run one service; a refusal becomes a form error (or a message) and None."""
    try:
        return call()
    except ValidationError as exc:
        for message in exc.messages:
            if form is not None:
                form.add_error(None, message)
            else:
                messages.error(request, message)
        return None


def is_post(request: HttpRequest) -> bool:
    return request.method == "POST"


def post_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def form_submit(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], T],
    *,
    success: str | Promise | Callable[[T], str],
    next_url: str | Callable[[T], str],
) -> HttpResponse | None:
    """The POST half of a form view: on a valid POST run the service; when it succeeds, say so and
    redirect. None means: show the form (again, with its errors or the service's refusal)."""
    if request.method != "POST" or not form.is_valid():
        return None
    result = call_service(request, form, lambda: call(form.cleaned_data))
    if result is None:
        return None
    message = success if isinstance(success, (str, Promise)) else success(result)
    messages.success(request, str(message))
    return redirect(next_url if isinstance(next_url, str) else next_url(result))
