"""Thin Celery tasks of the network app: each calls one service and is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def outbox_deliver() -> dict[str, int]:
    from .outbox import outbox_deliver_batch

    return outbox_deliver_batch()


@shared_task(ignore_result=True)
def deadlines_scan() -> dict[str, int]:
    from .deadlines import deadlines_scan as scan
    from .services import annual_duties_ensure

    # The year's annual lists and reports first: their deadlines are then reminded in this pass.
    # A failure there is logged and must not stop the reminders of every other duty.
    try:
        annual_duties_ensure()
    except Exception:  # noqa: BLE001
        log.exception("deadlines_scan: opening the year's annual lists and reports failed")
    result = scan()
    return {
        "reminders": result.reminders,
        "overdue": result.overdue,
        "escalated": result.escalated,
        "errors": result.errors,
    }


@shared_task(ignore_result=True)
def annual_reports_open() -> int:
    from .services import annual_reports_open_for_year

    return annual_reports_open_for_year()


@shared_task(ignore_result=True)
def annual_lists_open() -> int:
    """Create this year's AWAITING annual lists of the ministry points (daily; idempotent)."""
    from django.utils import timezone

    from .services import annual_lists_ensure_year

    return annual_lists_ensure_year(year=timezone.localdate().year)
