"""Vietnam's working-day calendar: weekends plus public holidays (Tết included).

Holidays come from the ``Holiday`` table (loaded as reference data, editable by administrators)
plus ``settings.EXTRA_HOLIDAYS``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from .models import Holiday


def holidays_between(start: date, end: date) -> set[date]:
    days = set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))
    for raw in settings.EXTRA_HOLIDAYS:
        extra = date.fromisoformat(raw)
        if start <= extra <= end:
            days.add(extra)
    return days


def is_working_day(day: date, holidays: set[date] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    if holidays is None:
        holidays = holidays_between(day, day)
    return day not in holidays


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    holidays = holidays_between(start, start + timedelta(days=days * 3 + 30))
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def subtract_working_days(end: date, days: int) -> date:
    """The date ``days`` working days before ``end``."""
    holidays = holidays_between(end - timedelta(days=days * 3 + 30), end)
    current = end
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def roll_forward(day: date) -> date:
    """A time limit whose last day is not a working day ends on the next working day
    (Civil Code 2015, Art. 148(5))."""
    holidays = holidays_between(day, day + timedelta(days=30))
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    holidays = holidays_between(start, end)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            count += 1
    return count
