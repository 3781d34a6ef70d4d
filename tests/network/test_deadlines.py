"""The deadline engine: open/close/move, reminders before and on the due date, escalation after it,
idempotence (run twice, two schedulers) and crashes between claim and send."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from network import deadlines as engine
from network import tasks
from network.deadlines import deadline_close, deadline_open, deadlines_for, deadlines_scan
from network.events import events_for
from network.models import AnnualList, Deadline, Event, OutboxEmail, Point, Reminder, User
from network.outbox import outbox_deliver_batch
from tests.conftest import PASSWORD

# A Tuesday far from the public holidays in the reference data; the scan takes "today" explicitly.
TODAY = date(2031, 3, 11)


@pytest.fixture
def moit(reference) -> Point:
    return Point.objects.get(code="bo-cong-thuong")


@pytest.fixture
def duty(moit) -> AnnualList:
    """Any model can carry a deadline; an annual list is a realistic one."""
    return AnnualList.objects.create(point=moit, year=2031)


def open_duty(duty: AnnualList, due: date, **extra) -> Deadline:
    return deadline_open(
        obj=duty,
        kind="annual_list",
        title_vi="Gửi danh mục văn bản năm 2031",
        title_en="Send the 2031 list",
        point=duty.point,
        due_date=due,
        url=duty.get_absolute_url(),
        **extra,
    )


def reminders(kind: str | None = None) -> list[tuple[str, str]]:
    qs = Reminder.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return sorted(qs.values_list("recipient", "kind"))


def verbs(deadline: Deadline) -> list[str]:
    return list(events_for(deadline).values_list("verb", flat=True))


# --- open / close / move ------------------------------------------------------------------------
def test_deadline_open_creates_one_deadline_with_an_event(duty, ministry_officer):
    deadline = open_duty(duty, TODAY + timedelta(days=10), actor=ministry_officer)
    assert deadline.state == Deadline.State.OPEN
    assert deadline.point == duty.point
    assert list(deadlines_for(duty)) == [deadline]
    event = events_for(deadline).get()
    assert (event.verb, event.to_state, event.actor) == ("deadline_opened", "open", ministry_officer)
    assert event.note == (TODAY + timedelta(days=10)).strftime("%d/%m/%Y")


def test_deadline_open_again_with_the_same_date_changes_nothing(duty):
    first = open_duty(duty, TODAY + timedelta(days=10))
    again = open_duty(duty, TODAY + timedelta(days=10))
    assert again.pk == first.pk
    assert Deadline.objects.count() == 1
    assert verbs(first) == ["deadline_opened"]


def test_moving_a_deadline_restarts_its_reminders(duty, ministry_officer):
    deadline = open_duty(duty, TODAY + timedelta(days=2))
    deadlines_scan(today=TODAY)
    assert reminders() == [(ministry_officer.email, "before")]
    moved = open_duty(duty, TODAY + timedelta(days=20))
    assert moved.pk == deadline.pk
    assert moved.due_date == TODAY + timedelta(days=20)
    assert Reminder.objects.count() == 0
    assert verbs(deadline) == ["deadline_opened", "deadline_moved"]
    # The new cycle reminds again when the new date comes near.
    deadlines_scan(today=TODAY + timedelta(days=18))
    assert reminders() == [(ministry_officer.email, "before")]


def test_moving_an_escalated_deadline_reopens_it(duty, national_officer, ministry_officer):
    deadline = open_duty(duty, TODAY - timedelta(days=1))
    deadlines_scan(today=TODAY)
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.ESCALATED
    reopened = open_duty(duty, TODAY + timedelta(days=30))
    assert reopened.state == Deadline.State.OPEN
    event = events_for(deadline).filter(verb="deadline_moved").get()
    assert (event.from_state, event.to_state) == ("escalated", "open")


def test_deadline_close_is_idempotent(duty, ministry_officer):
    open_duty(duty, TODAY + timedelta(days=5))
    done = deadline_close(obj=duty, kind="annual_list", actor=ministry_officer)
    assert done is not None and done.state == Deadline.State.DONE and done.closed_at is not None
    again = deadline_close(obj=duty, kind="annual_list", actor=ministry_officer)
    assert again is not None and again.closed_at == done.closed_at
    assert verbs(done) == ["deadline_opened", "deadline_done"]
    assert deadline_close(obj=duty, kind="no_such_kind") is None


def test_a_done_deadline_gets_no_reminders(duty, ministry_officer, national_officer):
    open_duty(duty, TODAY)
    deadline_close(obj=duty, kind="annual_list")
    result = deadlines_scan(today=TODAY + timedelta(days=5))
    assert (result.reminders, result.overdue, result.escalated) == (0, 0, 0)
    assert Reminder.objects.count() == OutboxEmail.objects.count() == 0


# --- reminders ----------------------------------------------------------------------------------
def test_nothing_is_sent_long_before_the_due_date(duty, ministry_officer, settings):
    settings.REMINDER_DAYS_BEFORE = 3
    open_duty(duty, TODAY + timedelta(days=4))
    assert deadlines_scan(today=TODAY).reminders == 0
    assert OutboxEmail.objects.count() == 0


def test_before_reminder_is_sent_once_to_each_officer_of_the_point(duty, ministry_officer, settings):
    settings.REMINDER_DAYS_BEFORE = 3
    colleague = User.objects.create_user(
        email="an.moit@example.vn", password=PASSWORD, full_name="Ngô Văn An",
        role=User.Role.MINISTRY_OFFICER, point=duty.point, language="en",
    )  # fmt: skip
    open_duty(duty, TODAY + timedelta(days=3))
    first = deadlines_scan(today=TODAY)
    assert first.reminders == 2
    assert reminders() == sorted([(ministry_officer.email, "before"), (colleague.email, "before")])
    emails = {e.to: e for e in OutboxEmail.objects.all()}
    assert set(emails) == {ministry_officer.email, colleague.email}
    assert emails[ministry_officer.email].template == "deadline_before"
    # Each in the recipient's language.
    assert "Nhắc việc" in emails[ministry_officer.email].subject
    assert "Gửi danh mục văn bản năm 2031" in emails[ministry_officer.email].subject
    assert emails[colleague.email].subject.startswith("Reminder")
    assert "Send the 2031 list" in emails[colleague.email].subject
    assert "/en/network/annual-lists/" in emails[colleague.email].body_text
    assert "http://" in emails[ministry_officer.email].body_text
    assert "/en/" not in emails[ministry_officer.email].body_text
    # Every reminder row points at its e-mail.
    assert all(r.outbox_id for r in Reminder.objects.all())

    second = deadlines_scan(today=TODAY)
    third = deadlines_scan(today=TODAY + timedelta(days=1))
    assert second.reminders == third.reminders == 0
    assert second.skipped == 2
    assert OutboxEmail.objects.count() == 2


def test_due_reminder_on_the_due_date(duty, ministry_officer):
    open_duty(duty, TODAY)
    assert deadlines_scan(today=TODAY).reminders == 1
    assert reminders() == [(ministry_officer.email, "due")]
    email = OutboxEmail.objects.get()
    assert email.template == "deadline_due"
    assert "Đến hạn hôm nay" in email.subject
    assert deadlines_scan(today=TODAY).reminders == 0
    assert OutboxEmail.objects.count() == 1


def test_a_personal_deadline_reminds_only_that_person(duty, ministry_officer, reference):
    colleague = User.objects.create_user(
        email="an.moit@example.vn", password=PASSWORD, full_name="Ngô Văn An",
        role=User.Role.MINISTRY_OFFICER, point=duty.point,
    )  # fmt: skip
    open_duty(duty, TODAY, person=colleague)
    deadlines_scan(today=TODAY)
    assert reminders() == [(colleague.email, "due")]


def test_a_point_without_staff_is_reminded_at_its_public_address(reference):
    national = Point.objects.get(code="national")
    assert national.email
    duty = AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=2031)
    deadline_open(obj=duty, kind="x", title_vi="Việc", title_en="Duty", point=national, due_date=TODAY)
    deadlines_scan(today=TODAY)
    assert reminders() == [(national.email.lower(), "due")]


# --- overdue and escalation ---------------------------------------------------------------------
def test_after_the_due_date_the_deadline_is_escalated_to_the_national_point(
    duty, ministry_officer, national_officer, national_clerk
):
    deadline = open_duty(duty, TODAY - timedelta(days=1))
    result = deadlines_scan(today=TODAY)
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.ESCALATED
    assert (result.overdue, result.escalated, result.reminders) == (1, 1, 3)
    assert verbs(deadline) == ["deadline_opened", "deadline_overdue", "deadline_escalated"]
    overdue, escalated = events_for(deadline).filter(verb__in=["deadline_overdue", "deadline_escalated"])
    assert (overdue.from_state, overdue.to_state, overdue.actor) == ("open", "overdue", None)
    assert (escalated.from_state, escalated.to_state) == ("overdue", "escalated")
    assert escalated.point == duty.point
    # The national point's officers and the responsible point are told.
    assert reminders("escalation") == sorted(
        [(national_officer.email, "escalation"), (national_clerk.email, "escalation"),
         (ministry_officer.email, "escalation")]
    )  # fmt: skip
    assert {e.template for e in OutboxEmail.objects.all()} == {"deadline_escalation"}
    assert "Quá hạn" in OutboxEmail.objects.filter(to=national_officer.email).get().subject

    again = deadlines_scan(today=TODAY)
    later = deadlines_scan(today=TODAY + timedelta(days=7))
    assert (again.overdue, again.escalated, again.reminders) == (0, 0, 0)
    assert (later.overdue, later.escalated, later.reminders) == (0, 0, 0)
    assert OutboxEmail.objects.count() == 3
    assert verbs(deadline) == ["deadline_opened", "deadline_overdue", "deadline_escalated"]


def test_a_deadline_of_the_national_point_is_not_escalated_to_itself_twice(national_officer):
    national = national_officer.point
    duty = AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=2031)
    deadline_open(obj=duty, kind="pm", title_vi="Báo cáo", title_en="Report", point=national, due_date=TODAY)
    deadlines_scan(today=TODAY + timedelta(days=1))
    assert reminders("escalation") == [(national_officer.email, "escalation")]


def test_the_celery_task_scans_and_running_it_twice_sends_nothing_more(duty, ministry_officer, monkeypatch):
    # The task also opens the year's annual lists and reports (tested in test_reports); here only
    # the scan of this one duty is counted.
    monkeypatch.setattr("network.services.annual_duties_ensure", lambda **kw: 0)
    open_duty(duty, timezone.localdate())
    first = tasks.deadlines_scan()
    second = tasks.deadlines_scan()
    assert first["reminders"] == 1
    assert second["reminders"] == 0
    assert OutboxEmail.objects.count() == 1


# --- two schedulers and crashes -----------------------------------------------------------------
def test_two_schedulers_interleaved_send_one_reminder_per_recipient(duty, ministry_officer, monkeypatch):
    """Scheduler B has chosen its deadlines when scheduler A runs a whole scan; B then finds every
    reminder claimed."""
    open_duty(duty, TODAY)
    real = engine._recipients
    other_ran: list = []
    started: list = []

    def recipients_then_other_scheduler(point, person):
        found = real(point, person)
        if not started:
            started.append(True)
            other_ran.append(deadlines_scan(today=TODAY))
        return found

    monkeypatch.setattr(engine, "_recipients", recipients_then_other_scheduler)
    b = deadlines_scan(today=TODAY)
    assert other_ran[0].reminders == 1
    assert (b.reminders, b.skipped) == (0, 1)
    assert reminders() == [(ministry_officer.email, "due")]
    assert OutboxEmail.objects.count() == 1


def test_two_schedulers_interleaved_escalate_once(duty, ministry_officer, national_officer, monkeypatch):
    open_duty(duty, TODAY - timedelta(days=2))
    real = engine._overdue_and_escalate
    inner: list = []
    started: list = []

    def other_scheduler_first(deadline_id, national, result):
        if not started:
            started.append(True)
            inner.append(deadlines_scan(today=TODAY))
        return real(deadline_id, national, result)

    monkeypatch.setattr(engine, "_overdue_and_escalate", other_scheduler_first)
    outer = deadlines_scan(today=TODAY)
    assert (inner[0].escalated, outer.escalated, outer.reminders) == (1, 0, 0)
    assert Event.objects.filter(verb="deadline_escalated").count() == 1
    assert OutboxEmail.objects.count() == Reminder.objects.count() == 2


def test_a_crash_inside_the_claim_transaction_loses_nothing(duty, ministry_officer, monkeypatch):
    """The outbox row is written, then the process fails before the claim commits: both the reminder
    and the e-mail roll back, and the next scan sends it."""
    open_duty(duty, TODAY)
    real = engine.email_enqueue

    def enqueue_then_crash(**kwargs):
        real(**kwargs)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(engine, "email_enqueue", enqueue_then_crash)
    crashed = deadlines_scan(today=TODAY)
    assert crashed.errors == 1 and crashed.reminders == 0
    assert Reminder.objects.count() == OutboxEmail.objects.count() == 0

    monkeypatch.setattr(engine, "email_enqueue", real)
    retried = deadlines_scan(today=TODAY)
    assert retried.reminders == 1
    assert reminders() == [(ministry_officer.email, "due")]
    assert OutboxEmail.objects.count() == 1


def test_a_crash_inside_the_escalation_rolls_the_whole_escalation_back(
    duty, ministry_officer, national_officer, monkeypatch
):
    deadline = open_duty(duty, TODAY - timedelta(days=1))
    monkeypatch.setattr(engine, "email_enqueue", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("down")))
    assert deadlines_scan(today=TODAY).errors == 1
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.OPEN
    assert verbs(deadline) == ["deadline_opened"]
    assert Reminder.objects.count() == OutboxEmail.objects.count() == 0
    monkeypatch.undo()
    deadlines_scan(today=TODAY)
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.ESCALATED
    assert Reminder.objects.count() == OutboxEmail.objects.count() == 2


def test_a_crash_after_the_claim_committed_is_delivered_later(duty, ministry_officer, settings):
    """The claim committed but the delivery never happened (the worker died, or SMTP was down):
    the outbox row waits; the next scan does not duplicate it; the next delivery run sends it."""
    settings.EMAIL_BACKEND = "tests.network.test_outbox.FailingBackend"
    open_duty(duty, TODAY)
    deadlines_scan(today=TODAY)
    assert outbox_deliver_batch() == {"sent": 0, "retry": 1, "failed": 0}
    email = OutboxEmail.objects.get()
    assert email.state == OutboxEmail.State.PENDING
    assert deadlines_scan(today=TODAY).reminders == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=email.next_attempt_at - timedelta(hours=1))
    assert outbox_deliver_batch()["sent"] == 1
    assert [m.to for m in mail.outbox] == [[ministry_officer.email]]
    assert OutboxEmail.objects.get().state == OutboxEmail.State.SENT


def test_one_broken_deadline_does_not_stop_the_others(duty, ministry_officer, reference, monkeypatch):
    other = AnnualList.objects.create(point=duty.point, year=2032)
    open_duty(duty, TODAY)
    deadline_open(obj=other, kind="annual_list", title_vi="Khác", title_en="Other", point=duty.point, due_date=TODAY)
    real = engine._claim_and_enqueue

    def broken_for_first(deadline, kind, to, language):
        if deadline.object_id == str(duty.pk):
            raise RuntimeError("broken template")
        return real(deadline, kind, to, language)

    monkeypatch.setattr(engine, "_claim_and_enqueue", broken_for_first)
    result = deadlines_scan(today=TODAY)
    assert (result.errors, result.reminders) == (1, 1)
    assert "broken template" in result.details[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL row locks")
def test_two_schedulers_at_the_same_time_on_postgresql(duty, ministry_officer, national_officer):
    open_duty(duty, TODAY)
    late = AnnualList.objects.create(point=duty.point, year=2032)
    deadline_open(obj=late, kind="annual_list", title_vi="Trễ", title_en="Late", point=duty.point,
                  due_date=TODAY - timedelta(days=3))  # fmt: skip
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            barrier.wait()
            deadlines_scan(today=TODAY)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert reminders() == sorted(
        [(ministry_officer.email, "due"), (ministry_officer.email, "escalation"),
         (national_officer.email, "escalation")]
    )  # fmt: skip
    assert OutboxEmail.objects.count() == 3
    assert Event.objects.filter(verb="deadline_escalated").count() == 1
