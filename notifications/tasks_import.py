"""Thin Celery tasks of the imports: each takes an id (or nothing), is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=3600, time_limit=3700)
def import_run_task(run_id: int) -> None:
    """Process an uploaded import; a second delivery finds the run claimed and does nothing."""
    from .importers.runs import import_run_process

    import_run_process(run_id)


@shared_task(ignore_result=True, soft_time_limit=1800, time_limit=1900)
def eping_fetch() -> int | None:
    """Scheduled only when EPING_FETCH_URL is set (see settings); never fetches under TESTING."""
    from .importers.fetch import eping_fetch_run

    return eping_fetch_run()
