"""The e-mail outbox: every message to a person goes through here.

``email_enqueue`` renders the message in the recipient's language and writes an ``OutboxEmail``
row in the caller's transaction (so the e-mail exists if and only if the change that caused it
was committed), then asks a worker to deliver after commit. ``outbox_deliver_batch`` claims due
rows with a conditional update and a lease, sends each with a timeout, and retries with
exponential backoff until ``OUTBOX_MAX_ATTEMPTS``, after which the row is visibly FAILED.

Delivery is at-least-once: a worker that dies after the SMTP server accepted a message but before
marking the row SENT leaves it SENDING; once its lease expires another run sends it again. That is
the price of never losing one.

Templates: ``templates/emails/<name>.subject.txt``, ``<name>.txt`` and optionally ``<name>.html``,
rendered under ``translation.override(language)``.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxEmail

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 50


def _render(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    ctx = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", ctx).split())
        text: str = render_to_string(f"emails/{template}.txt", ctx)
        html: str
        try:
            html = render_to_string(f"emails/{template}.html", ctx)
        except TemplateDoesNotExist:
            html = ""
    return subject, text, html


def email_enqueue(
    *, to: str, template: str, context: dict[str, Any], language: str = "vi", reply_to: str = ""
) -> OutboxEmail:
    """Write one outgoing e-mail in the current transaction; delivery is queued after commit.
    ``reply_to``: where answers go (a point's address), for correspondence that expects one."""
    language = language if language in {"vi", "en"} else "vi"
    subject, text, html = _render(template, {**context, "reply_to": reply_to}, language)
    row = OutboxEmail.objects.create(
        to=to,
        reply_to=reply_to,
        language=language,
        template=template,
        subject=subject[:255],
        body_text=text,
        body_html=html,
    )
    from .tasks import outbox_deliver

    # robust: a broker outage must not turn a committed change into an error page; the beat
    # schedule runs outbox_deliver every minute anyway.
    transaction.on_commit(lambda: outbox_deliver.delay(), robust=True)
    return row


def _claim(now: Any, limit: int) -> list[int]:
    """Claim due rows exactly once: a conditional UPDATE per row, so two workers never share one.

    The attempt is counted when claimed, so a row whose worker keeps dying mid-send (its lease
    expires and it is reclaimed) still ends FAILED after OUTBOX_MAX_ATTEMPTS instead of looping."""
    lease = now + LEASE
    # A row whose worker died on every one of its attempts is given up, visibly.
    OutboxEmail.objects.filter(
        state=OutboxEmail.State.SENDING, lease_until__lt=now, attempts__gte=settings.OUTBOX_MAX_ATTEMPTS
    ).update(state=OutboxEmail.State.FAILED, lease_until=None, last_error="Delivery interrupted (lease expired).")
    due = (
        OutboxEmail.objects.filter(
            Q(state=OutboxEmail.State.PENDING, next_attempt_at__lte=now)
            | Q(state=OutboxEmail.State.SENDING, lease_until__lt=now)  # a worker died mid-send
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", "state", "lease_until")[:limit]
    )
    claimed: list[int] = []
    for row_id, state, lease in due:
        won = OutboxEmail.objects.filter(id=row_id, state=state, lease_until=lease).update(
            state=OutboxEmail.State.SENDING, lease_until=lease, attempts=F("attempts") + 1
        )
        if won:
            claimed.append(row_id)
    return claimed


def outbox_deliver_batch(*, limit: int = BATCH) -> dict[str, int]:
    """Send what is due. Safe to run concurrently and repeatedly."""
    now = timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    ids = _claim(now, limit)
    if not ids:
        return counts
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    for row in OutboxEmail.objects.filter(id__in=ids).order_by("id"):
        message = EmailMultiAlternatives(
            row.subject,
            row.body_text,
            settings.DEFAULT_FROM_EMAIL,
            [row.to],
            connection=connection,
            reply_to=[row.reply_to] if row.reply_to else None,
        )
        if row.body_html:
            message.attach_alternative(row.body_html, "text/html")
        attempts = row.attempts  # already counted by _claim
        # Only while our lease holds: if it expired and another run reclaimed the row, that run owns it.
        mine = OutboxEmail.objects.filter(id=row.id, state=OutboxEmail.State.SENDING, lease_until=row.lease_until)
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any transport error means "try again later"
            log.warning("outbox: sending %s to %s failed: %s", row.id, row.to, exc)
            failed = attempts >= settings.OUTBOX_MAX_ATTEMPTS
            mine.update(
                state=OutboxEmail.State.FAILED if failed else OutboxEmail.State.PENDING,
                last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
                next_attempt_at=now + timedelta(minutes=2**attempts),
                lease_until=None,
            )
            counts["failed" if failed else "retry"] += 1
            continue
        mine.update(state=OutboxEmail.State.SENT, sent_at=timezone.now(), lease_until=None, last_error="")
        counts["sent"] += 1
    return counts


def outbox_retry(*, email: OutboxEmail) -> None:
    """An administrator puts a FAILED e-mail back in the queue."""
    OutboxEmail.objects.filter(id=email.id, state=OutboxEmail.State.FAILED).update(
        state=OutboxEmail.State.PENDING, next_attempt_at=timezone.now(), attempts=0, lease_until=None
    )
