from __future__ import annotations

from django import template

from network.reference import hs_display

register = template.Library()


@register.filter
def hs_code(code: str) -> str:
    """{{ row.code|hs_code }}: "8517" → "85.17", "851713" → "8517.13"."""
    return hs_display(code or "")
