"""The e-mail outbox: written in the caller's transaction, delivered by a worker with retries and
backoff, FAILED and visible after OUTBOX_MAX_ATTEMPTS, leases, concurrent runs, languages."""

from __future__ import annotations

import smtplib
import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.utils import timezone

from network import outbox, tasks
from network.models import OutboxEmail, Point
from network.outbox import email_enqueue, outbox_deliver_batch, outbox_retry

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class ReentrantBackend(LocmemBackend):
    """While this worker is sending, a second worker runs a whole delivery pass."""

    second_run: list[dict[str, int]] = []

    def send_messages(self, messages):
        if not ReentrantBackend.second_run:
            ReentrantBackend.second_run.append(outbox_deliver_batch())
        return super().send_messages(messages)


@pytest.fixture
def point(reference) -> Point:
    return Point.objects.get(code="bo-cong-thuong")


def enqueue(point: Point, language: str = "vi", to: str = "hoa.moit@example.vn") -> OutboxEmail:
    return email_enqueue(
        to=to,
        template="deadline_due",
        language=language,
        context={"title": "Gửi danh mục & báo cáo" if language == "vi" else "Send the list & report",
                 "point": point, "url": "http://localhost:8000/network/dashboard/", "deadline": None},
    )  # fmt: skip


def make_due(email: OutboxEmail) -> None:
    """As if the backoff delay had passed."""
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_enqueue_renders_in_the_recipients_language_without_html_escaping(point):
    vi = enqueue(point, "vi")
    en = enqueue(point, "en", to="an@example.vn")
    assert vi.state == OutboxEmail.State.PENDING and vi.attempts == 0
    assert vi.subject == 'Đến hạn hôm nay: "Gửi danh mục & báo cáo"'
    assert "Nhiệm vụ sau đây của" in vi.body_text and point.name_vi in vi.body_text
    assert "Thư này được gửi tự động" in vi.body_text
    assert en.subject == 'Due today: "Send the list & report"'
    assert "The following duty of" in en.body_text and point.name_en in en.body_text
    assert "&amp;" not in vi.body_text + vi.subject + en.body_text
    # An unknown language falls back to Vietnamese.
    assert enqueue(point, "fr").language == "vi"


def test_delivery_is_queued_after_commit_and_sends_with_the_locmem_backend(point, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            email = enqueue(point)
        assert mail.outbox == []  # nothing leaves before the change is committed
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.state == OutboxEmail.State.SENT and email.sent_at is not None and email.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hoa.moit@example.vn"]
    assert mail.outbox[0].subject == email.subject


def test_correspondence_carries_a_reply_to_and_says_where_replies_go(point):
    """A message that expects an answer (Viet Nam's comment to a partner's enquiry point) names
    where replies go, instead of the no-reply notice."""
    email = email_enqueue(
        to="tbt@partner.example",
        template="deadline_due",
        language="en",
        context={"title": "Comments", "point": point, "url": "http://localhost:8000/", "deadline": None},
        reply_to="tbt@stameq.example.vn",
    )
    assert email.reply_to == "tbt@stameq.example.vn"
    assert "Replies to this message reach tbt@stameq.example.vn." in email.body_text
    assert "do not reply" not in email.body_text
    outbox_deliver_batch()
    assert mail.outbox[-1].reply_to == ["tbt@stameq.example.vn"]
    plain = enqueue(point, language="en")
    assert plain.reply_to == "" and "please do not reply" in plain.body_text
    outbox_deliver_batch()
    assert mail.outbox[-1].reply_to == []


def test_a_rolled_back_change_sends_nothing(point, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        enqueue(point)
        raise RuntimeError("the change failed")
    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


def test_delivering_twice_sends_once(point):
    enqueue(point)
    assert outbox_deliver_batch() == {"sent": 1, "retry": 0, "failed": 0}
    assert outbox_deliver_batch() == {"sent": 0, "retry": 0, "failed": 0}
    assert tasks.outbox_deliver() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_smtp_error_is_retried_with_exponential_backoff(point, settings):
    settings.EMAIL_BACKEND = "tests.network.test_outbox.FailingBackend"
    email = enqueue(point)
    before = timezone.now()
    assert outbox_deliver_batch() == {"sent": 0, "retry": 1, "failed": 0}
    email.refresh_from_db()
    assert email.state == OutboxEmail.State.PENDING
    assert email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    assert email.lease_until is None
    assert before + timedelta(minutes=2) <= email.next_attempt_at <= timezone.now() + timedelta(minutes=2)
    # Not due yet: the next run leaves it alone.
    assert outbox_deliver_batch() == {"sent": 0, "retry": 0, "failed": 0}
    make_due(email)
    outbox_deliver_batch()
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at >= timezone.now() + timedelta(minutes=3)  # 4 minutes after the 2nd failure
    # The server is back: the message goes out and the error is cleared.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(email)
    assert outbox_deliver_batch()["sent"] == 1
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (OutboxEmail.State.SENT, 3, "")
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_email_is_failed_and_visible(point, settings):
    settings.EMAIL_BACKEND = "tests.network.test_outbox.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = enqueue(point)
    results = []
    for _ in range(3):
        make_due(email)
        results.append(outbox_deliver_batch())
    assert results == [{"sent": 0, "retry": 1, "failed": 0}] * 2 + [{"sent": 0, "retry": 0, "failed": 1}]
    email.refresh_from_db()
    assert email.state == OutboxEmail.State.FAILED and email.attempts == 3
    assert list(OutboxEmail.objects.filter(state=OutboxEmail.State.FAILED)) == [email]
    make_due(email)
    assert outbox_deliver_batch() == {"sent": 0, "retry": 0, "failed": 0}
    # An administrator puts it back in the queue once the server is fixed.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_retry(email=email)
    assert outbox_deliver_batch()["sent"] == 1
    email.refresh_from_db()
    assert email.state == OutboxEmail.State.SENT


def test_a_row_whose_worker_died_is_reclaimed_when_its_lease_expires(point):
    email = enqueue(point)
    now = timezone.now()
    OutboxEmail.objects.filter(pk=email.pk).update(
        state=OutboxEmail.State.SENDING, attempts=1, lease_until=now + timedelta(minutes=3)
    )
    assert outbox_deliver_batch()["sent"] == 0  # the lease still holds: another worker is on it
    OutboxEmail.objects.filter(pk=email.pk).update(lease_until=now - timedelta(seconds=1))
    assert outbox_deliver_batch()["sent"] == 1
    email.refresh_from_db()
    assert (email.state, email.attempts, email.lease_until) == (OutboxEmail.State.SENT, 2, None)
    assert len(mail.outbox) == 1


def test_a_row_whose_worker_keeps_dying_ends_failed(point, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = enqueue(point)
    OutboxEmail.objects.filter(pk=email.pk).update(
        state=OutboxEmail.State.SENDING, attempts=2, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox_deliver_batch()["sent"] == 0
    email.refresh_from_db()
    assert email.state == OutboxEmail.State.FAILED
    assert "lease expired" in email.last_error
    assert mail.outbox == []


def test_two_workers_claiming_the_same_rows_get_each_row_once(point):
    first, second = enqueue(point), enqueue(point, to="an@example.vn")
    now = timezone.now()
    claimed_by_a = outbox._claim(now, 50)
    claimed_by_b = outbox._claim(now, 50)
    assert sorted(claimed_by_a) == sorted([first.pk, second.pk])
    assert claimed_by_b == []


def test_a_second_delivery_run_during_a_send_sends_nothing_twice(point, settings):
    settings.EMAIL_BACKEND = "tests.network.test_outbox.ReentrantBackend"
    ReentrantBackend.second_run = []
    enqueue(point)
    assert outbox_deliver_batch()["sent"] == 1
    assert ReentrantBackend.second_run == [{"sent": 0, "retry": 0, "failed": 0}]
    assert len(mail.outbox) == 1


def test_the_delivery_task_can_run_twice(point):
    enqueue(point)
    assert tasks.outbox_deliver()["sent"] == 1
    assert tasks.outbox_deliver()["sent"] == 0
    assert len(mail.outbox) == 1


def test_due_dates_in_reminders_are_dd_mm_yyyy_in_both_languages(point):
    deadline = type("D", (), {"due_date": date(2031, 3, 9)})
    context = {"title": "Danh mục", "point": point, "url": "http://x/", "deadline": deadline}
    vi = email_enqueue(to="a@example.vn", template="deadline_before", language="vi", context=context)
    en = email_enqueue(to="b@example.vn", template="deadline_before", language="en", context=context)
    assert vi.subject == 'Nhắc việc: "Danh mục" đến hạn ngày 09/03/2031'
    assert en.subject == 'Reminder: "Danh mục" is due on 09/03/2031'


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_concurrent_delivery_runs_on_postgresql_send_each_email_once():
    # Rows written directly: in autocommit mode email_enqueue would deliver each one at once.
    for i in range(20):
        OutboxEmail.objects.create(to=f"user{i}@example.vn", template="t", subject=f"S{i}", body_text="B")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            outbox_deliver_batch()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(mail.outbox) == 20
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"user{i}@example.vn" for i in range(20))
    assert OutboxEmail.objects.filter(state=OutboxEmail.State.SENT).count() == 20
