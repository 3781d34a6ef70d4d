"""The short paths of the deadline engine for an object created in the same transaction: they
write the same rows (deadline, events) as the general open/close, with fewer queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction

from network.deadlines import deadline_close, deadline_open, deadline_open_done, deadlines_for
from network.events import events_for
from network.models import AnnualList, Deadline, Event, Point

pytestmark = pytest.mark.django_db
TODAY = date(2031, 3, 11)


@pytest.fixture
def duty(reference) -> AnnualList:
    return AnnualList.objects.create(point=Point.objects.get(code="bo-cong-thuong"), year=2031)


def _rows(deadline: Deadline) -> list[tuple[str, str, str, str, int | None]]:
    return list(events_for(deadline).values_list("verb", "from_state", "to_state", "note", "point_id"))


def _open(duty: AnnualList, **extra) -> Deadline:
    return deadline_open(
        obj=duty,
        kind="annual_list",
        title_vi="Gửi danh mục",
        title_en="Send the list",
        point=duty.point,
        due_date=TODAY + timedelta(days=3),
        **extra,
    )


def test_open_new_writes_what_the_general_open_writes(duty, ministry_officer):
    with transaction.atomic():
        deadline = _open(duty, new=True, actor=ministry_officer)
    assert list(deadlines_for(duty)) == [deadline]
    assert deadline.state == Deadline.State.OPEN
    assert _rows(deadline) == [("deadline_opened", "", "open", "14/03/2031", duty.point_id)]
    assert events_for(deadline).get().actor == ministry_officer
    # The general path still finds and updates it afterwards.
    assert _open(duty).pk == deadline.pk


def test_open_done_equals_open_then_close(duty, ministry_officer):
    other = AnnualList.objects.create(point=duty.point, year=2032)
    general = deadline_open(
        obj=other, kind="ack", title_vi="v", title_en="e", point=other.point, due_date=TODAY, actor=ministry_officer
    )
    deadline_close(obj=other, kind="ack", actor=ministry_officer)
    general.refresh_from_db()
    with transaction.atomic():
        short = deadline_open_done(
            obj=duty, kind="ack", title_vi="v", title_en="e", point=duty.point, due_date=TODAY, actor=ministry_officer
        )
    short.refresh_from_db()
    assert (short.state, short.point_id, short.due_date) == (general.state, general.point_id, general.due_date)
    assert short.state == Deadline.State.DONE and short.closed_at is not None
    assert _rows(short) == _rows(general)
    assert [e.actor for e in events_for(short)] == [ministry_officer, ministry_officer]
    # Closing it again is the usual no-op.
    assert deadline_close(obj=duty, kind="ack") == short
    assert Event.objects.filter(object_id=str(short.pk), verb="deadline_done").count() == 1
