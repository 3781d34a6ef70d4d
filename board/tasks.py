"""Thin Celery tasks of the Board app: each takes an id, calls one service and is safe to run twice
(the PDF is stored only while its revision is still the pending one)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def board_minutes_render(meeting_id: int) -> bool:
    from .services import minutes_render

    return minutes_render(meeting_id=meeting_id)


@shared_task(ignore_result=True)
def board_recommendation_render(recommendation_id: int) -> bool:
    from .services import recommendation_render

    return recommendation_render(recommendation_id=recommendation_id)
