"""Vietnam's working-day calendar: weekends plus public holidays (Tết included).

Holidays come from the ``Holiday`` table (loaded as reference data, editable by administrators)
plus ``settings.EXTRA_HOLIDAYS`` (ISO dates, for days off decided after the data was loaded,
e.g. a bridging day announced by the Government).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from .models import Holiday

# The longest run of non-working days Vietnam has (Tết plus bridging days and weekends) is well
# under this; a wider window only costs a slightly larger query.
_WINDOW = timedelta(days=45)


def extra_holidays() -> set[date]:
    """``settings.EXTRA_HOLIDAYS`` as dates (a bad value fails loudly: it is configuration)."""
    return {date.fromisoformat(raw.strip()) for raw in settings.EXTRA_HOLIDAYS if raw.strip()}


def holidays_between(start: date, end: date) -> set[date]:
    """Every public holiday from ``start`` to ``end`` inclusive."""
    days = set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))
    days.update(d for d in extra_holidays() if start <= d <= end)
    return days


def is_working_day(day: date, holidays: set[date] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    if holidays is None:
        holidays = holidays_between(day, day)
    return day not in holidays


def _step(start: date, days: int, direction: int) -> date:
    if days < 0:
        raise ValueError("days must not be negative")
    span = timedelta(days=days * 2 + 10) + _WINDOW
    lo, hi = (start, start + span) if direction > 0 else (start - span, start)
    holidays = holidays_between(lo, hi)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=direction)
        if not lo <= current <= hi:  # pragma: no cover - only with absurdly long holiday runs
            lo, hi = min(lo, current - span), max(hi, current + span)
            holidays = holidays_between(lo, hi)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    return _step(start, days, +1)


def subtract_working_days(end: date, days: int) -> date:
    """The date ``days`` working days before ``end`` (``end`` itself not counted)."""
    return _step(end, days, -1)


def _roll(day: date, direction: int) -> date:
    lo, hi = (day, day + _WINDOW) if direction > 0 else (day - _WINDOW, day)
    holidays = holidays_between(lo, hi)
    while not is_working_day(day, holidays):
        day += timedelta(days=direction)
        if not lo <= day <= hi:  # pragma: no cover - only with absurdly long holiday runs
            lo, hi = min(lo, day - _WINDOW), max(hi, day + _WINDOW)
            holidays = holidays_between(lo, hi)
    return day


def roll_forward(day: date) -> date:
    """A time limit whose last day is not a working day ends on the next working day
    (Civil Code 2015, Art. 148(5)). ``day`` itself when it is a working day."""
    return _roll(day, +1)


def roll_back(day: date) -> date:
    """The last working day on or before ``day``: for duties due *before* a date (e.g. the
    Ministry's report to the Prime Minister, due before 25 December, Đ15.7)."""
    return _roll(day, -1)


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
