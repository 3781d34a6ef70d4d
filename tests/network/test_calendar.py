"""Vietnam's working-day calendar: weekends, public holidays (table and EXTRA_HOLIDAYS), Art. 148(5)."""

from __future__ import annotations

from datetime import date

import pytest

from network.calendar import (
    add_working_days,
    holidays_between,
    is_working_day,
    roll_back,
    roll_forward,
    subtract_working_days,
    working_days_between,
)
from network.models import Holiday

pytestmark = pytest.mark.django_db

# 2031 is a year the reference data does not cover, so only the holidays made here count.
FRI = date(2031, 1, 3)
SAT = date(2031, 1, 4)
SUN = date(2031, 1, 5)
MON = date(2031, 1, 6)
TUE = date(2031, 1, 7)


def holiday(day: date, name: str = "Ngày nghỉ") -> Holiday:
    return Holiday.objects.create(date=day, name_vi=name, name_en="Day off")


def test_weekends_are_not_working_days():
    assert FRI.weekday() == 4
    assert is_working_day(FRI)
    assert not is_working_day(SAT)
    assert not is_working_day(SUN)
    assert is_working_day(MON)


def test_a_holiday_from_the_table_is_not_a_working_day():
    holiday(MON)
    assert not is_working_day(MON)
    assert holidays_between(FRI, TUE) == {MON}


def test_extra_holidays_from_settings_are_not_working_days(settings):
    settings.EXTRA_HOLIDAYS = ["2031-01-07"]
    assert not is_working_day(TUE)
    assert holidays_between(FRI, TUE) == {TUE}
    assert holidays_between(FRI, MON) == set()


def test_a_bad_extra_holiday_fails_loudly(settings):
    settings.EXTRA_HOLIDAYS = ["7/1/2031"]
    with pytest.raises(ValueError):
        is_working_day(TUE)


def test_add_working_days_skips_weekends_and_holidays(settings):
    assert add_working_days(FRI, 1) == MON  # the start is not counted
    assert add_working_days(FRI, 0) == FRI
    holiday(MON)
    settings.EXTRA_HOLIDAYS = ["2031-01-07"]
    assert add_working_days(FRI, 1) == date(2031, 1, 8)
    assert add_working_days(FRI, 5) == date(2031, 1, 14)


def test_add_working_days_rejects_negative_days():
    with pytest.raises(ValueError):
        add_working_days(FRI, -1)


def test_add_working_days_crosses_a_long_tet_break():
    # A Tết-like run: Friday 24 January to Sunday 2 February 2031 all off.
    for day in range(24, 32):
        holiday(date(2031, 1, day), "Tết Nguyên đán")
    assert add_working_days(date(2031, 1, 23), 1) == date(2031, 2, 3)
    assert roll_forward(date(2031, 1, 25)) == date(2031, 2, 3)
    assert roll_back(date(2031, 2, 1)) == date(2031, 1, 23)


def test_subtract_working_days(settings):
    assert subtract_working_days(MON, 1) == FRI
    settings.EXTRA_HOLIDAYS = ["2031-01-03"]
    assert subtract_working_days(MON, 1) == date(2031, 1, 2)


def test_roll_forward_follows_civil_code_article_148_5():
    """A time limit whose last day is a day off ends on the next working day."""
    assert roll_forward(FRI) == FRI
    assert roll_forward(SAT) == MON
    assert roll_forward(SUN) == MON
    holiday(MON)
    assert roll_forward(SAT) == TUE


def test_roll_back_for_duties_due_before_a_date(settings):
    # 24 December 2033 is a Saturday: "before 25 December" means Friday the 23rd.
    assert date(2033, 12, 24).weekday() == 5
    assert roll_back(date(2033, 12, 24)) == date(2033, 12, 23)
    settings.EXTRA_HOLIDAYS = ["2033-12-23"]
    assert roll_back(date(2033, 12, 24)) == date(2033, 12, 22)
    assert roll_back(date(2033, 12, 21)) == date(2033, 12, 21)


def test_working_days_between():
    holiday(MON)
    assert working_days_between(FRI, TUE) == 1
    assert working_days_between(TUE, FRI) == -1
    assert working_days_between(FRI, FRI) == 0
