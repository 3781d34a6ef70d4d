"""Small helpers shared by the Board's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

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
