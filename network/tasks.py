"""Thin Celery tasks of the network app: each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def outbox_deliver() -> dict[str, int]:
    from .outbox import outbox_deliver_batch

    return outbox_deliver_batch()


@shared_task(ignore_result=True)
def deadlines_scan() -> dict[str, int]:
    from .deadlines import deadlines_scan as scan

    result = scan()
    return {"reminders": result.reminders, "overdue": result.overdue, "escalated": result.escalated}


@shared_task(ignore_result=True)
def annual_reports_open() -> int:
    from .services import annual_reports_open_for_year

    return annual_reports_open_for_year()
