"""Version numbers for cached pages and results, kept in Django's cache.

A cached entry is stored as ``(version, value)`` and used only while the shared version number is
unchanged; a change to the data behind it bumps the number (a model's post_save/post_delete, or the
code that writes in bulk). The number is bumped at the change and again once it is committed, so an
entry computed by another request between the two is discarded too. Versions are time-based: one lost
from the cache (evicted, a cache restart) never comes back to an old value.

Also the pieces shared by the pages kept for anonymous visitors (the enquiry form, the notification
search): when a page may be kept, and what its key depends on besides its data.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
T = TypeVar("T")


class CacheVersion:
    def __init__(self, key: str) -> None:
        self.key = key

    def read(self, found: dict[str, Any] | None = None) -> int | None:
        """The current version (from ``found``, the result of a ``get_many`` that asked for
        ``self.key``, when given), set if missing. Read it before the data it guards."""
        version = found.get(self.key) if found is not None else cache.get(self.key)
        if version is None:
            cache.add(self.key, time.time_ns(), None)
            version = cache.get(self.key)
        return version

    def bump(self) -> None:
        try:
            try:
                cache.incr(self.key)
            except ValueError:  # not in the cache (evicted, or never set)
                cache.set(self.key, time.time_ns(), None)
        except Exception:  # an unreachable cache must not fail the write; entries expire anyway
            logger.warning("Could not bump the cache version %s", self.key, exc_info=True)

    def invalidate(self, *, using: str | None = None, **_kwargs: Any) -> None:
        """Bump now and again once the current transaction commits (a signal receiver)."""
        self.bump()
        transaction.on_commit(self.bump, using=using or DEFAULT_DB_ALIAS)


def versioned(version: CacheVersion, key: str, compute: Callable[[], T | None], seconds: int) -> T | None:
    """The value kept under ``key`` while ``version`` is unchanged, else ``compute()``'s, kept for
    ``seconds`` (a ``None`` from ``compute`` is returned and not kept). One cache round trip on a hit."""
    found = cache.get_many([version.key, key])
    current = version.read(found)  # before computing: a change meanwhile leaves a stale version
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return cast(T, entry[1])
    value = compute()
    if value is not None and current is not None:
        cache.set(key, (current, value), seconds)
    return value


# This process's boot: part of every kept page's key, so a new release (templates, translations,
# static file names) never serves a page rendered by the old one.
BOOT = uuid.uuid4().hex


def page_for_anyone(request: HttpRequest) -> bool:
    """An anonymous visitor without pending messages: the page is the same for every such visitor."""
    if request.user.is_authenticated:
        return False
    # len() reads the pending messages without marking them as shown (iterating would).
    return not len(messages.get_messages(request))


def page_digest(request: HttpRequest, *parts: Any) -> str:
    """What such a page depends on besides its data: the address (path, parameters and language),
    the demo banner, this process's boot, and ``parts``."""
    shape = (
        request.get_full_path(),
        get_language(),
        settings.DEMO_MODE,
        settings.OTP_REQUIRED_FOR_ADMINS,
        BOOT,
        *parts,
    )
    return hashlib.sha256(repr(shape).encode()).hexdigest()
