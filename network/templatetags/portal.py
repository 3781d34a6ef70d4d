from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def other_language_url(context: dict[str, Any], lang: str) -> str:
    """The same page in the other language (Vietnamese unprefixed, English under /en/)."""
    request = context.get("request")
    if request is None:
        return "/" if lang == "vi" else "/en/"
    url = translate_url(request.get_full_path(), lang)
    return url


@register.filter
def tr(obj: Any, field: str) -> str:
    """{{ point|tr:"name" }}: the column for the active language, falling back to Vietnamese."""
    lang = (get_language() or "vi")[:2]
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_vi", "")
