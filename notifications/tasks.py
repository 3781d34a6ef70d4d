"""Thin Celery tasks of the notifications workflow: each takes an id and calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def notification_form_pdf(notification_id: int) -> bool:
    """Render the WTO notification form of a notified notification (a second run does nothing)."""
    from .pdf import notification_form_generate

    return notification_form_generate(notification_id=notification_id) is not None
