"""The optional scheduled fetch of an ePing-compatible JSON feed (EPING_FETCH_URL, off by default)."""

from __future__ import annotations

import logging
import urllib.request
from urllib.parse import urlparse

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ..models import ImportRun

logger = logging.getLogger(__name__)


def eping_fetch_run() -> int | None:
    """Download the feed, record it as an ImportRun and process it; the run id, or None when off."""
    url = getattr(settings, "EPING_FETCH_URL", "")
    if not url or getattr(settings, "TESTING", False):
        return None
    if urlparse(url).scheme not in ("http", "https"):
        logger.error("EPING_FETCH_URL must be an http(s) URL")
        return None
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "tbt-portal"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=settings.EPING_FETCH_TIMEOUT) as response:  # noqa: S310 - scheme checked
        data = response.read(settings.EPING_FETCH_MAX_BYTES + 1)
    if len(data) > settings.EPING_FETCH_MAX_BYTES:
        logger.error("ePing feed larger than EPING_FETCH_MAX_BYTES; not imported")
        return None
    from .runs import import_run_process

    run = ImportRun.objects.create(format="eping")
    name = default_storage.save(f"imports/{run.public_id}/eping.json", ContentFile(data))
    run.filenames = name
    run.upload.name = name
    run.save(update_fields=["filenames", "upload"])
    import_run_process(run.pk)
    return run.pk
