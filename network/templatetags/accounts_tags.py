"""Small template helpers of the accounts screens."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django import template

register = template.Library()


@register.filter
def minutes(value: Any) -> int:
    """A duration in whole minutes, rounded up (the lockout page says how long to wait)."""
    if isinstance(value, timedelta):
        return max(1, math.ceil(value.total_seconds() / 60))
    return 0
