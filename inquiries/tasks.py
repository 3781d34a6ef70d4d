"""Thin Celery tasks of the enquiry service: each re-reads ids and calls one service; safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Inquiry


@shared_task(ignore_result=True)
def inquiries_retention() -> int:
    """Remove the asker's personal data from finished enquiries past INQUIRY_RETENTION_DAYS (or whose
    asker asked for erasure); also forget blocked-submission records after the same period."""
    from .services import erasable_inquiry_ids, inquiry_erase_personal_data, submission_blocks_purge

    erased = sum(1 for pk in erasable_inquiry_ids() if inquiry_erase_personal_data(inquiry_id=pk))
    submission_blocks_purge(older_than_days=settings.INQUIRY_RETENTION_DAYS)
    return erased


@shared_task(ignore_result=True)
def inquiries_autoclose() -> int:
    """Close enquiries answered more than INQUIRY_AUTO_CLOSE_DAYS ago."""
    from .services import inquiry_autoclose

    limit = timezone.now() - timedelta(days=settings.INQUIRY_AUTO_CLOSE_DAYS)
    ids = Inquiry.objects.filter(state=Inquiry.State.ANSWERED, answered_at__lte=limit).values_list("pk", flat=True)
    return sum(1 for pk in list(ids) if inquiry_autoclose(inquiry_id=pk))
