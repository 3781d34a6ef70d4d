from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def other_language_url(context: dict[str, Any], lang: str) -> str:
    """The same page in the other language (Vietnamese unprefixed, English under /en/)."""
    request = context.get("request")
    if request is None:
        return "/" if lang == "vi" else "/en/"
    full_path = request.get_full_path()
    url = translate_url(full_path, lang)
    if url == full_path:
        # translate_url gives up on a path that does not resolve (a 404 page): switch the prefix
        # by hand, so the switcher works on every page, error pages included.
        url = _switch_prefix(full_path, lang)
    return url


def _switch_prefix(path: str, lang: str) -> str:
    """'/en/x/' <-> '/x/': English lives under /en/, Vietnamese (the default) is unprefixed."""
    default = settings.LANGUAGE_CODE
    prefixes = [code for code, _name in settings.LANGUAGES if code != default]
    bare = path
    for code in prefixes:
        if path == f"/{code}" or path.startswith(f"/{code}/") or path.startswith(f"/{code}?"):
            bare = path[len(code) + 1 :] or "/"
            break
    if not bare.startswith("/"):
        bare = "/" + bare
    return bare if lang == default else f"/{lang}{bare}"


@register.filter
def tr(obj: Any, field: str) -> str:
    """{{ point|tr:"name" }}: the column for the active language, falling back to Vietnamese."""
    lang = (get_language() or "vi")[:2]
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_vi", "")
