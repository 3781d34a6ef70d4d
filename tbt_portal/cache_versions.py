"""Version numbers for cached pages and results, kept in Django's cache.

A cached entry is stored as ``(version, value)`` and used only while the shared version number is
unchanged; a change to the data behind it bumps the number (a model's post_save/post_delete, or the
code that writes in bulk). The number is bumped at the change and again once it is committed, so an
entry computed by another request between the two is discarded too. Versions are time-based: one lost
from the cache (evicted, a cache restart) never comes back to an old value.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)
T = TypeVar("T")


class CacheVersion:
    def __init__(self, key: str) -> None:
        self.key = key

    def read(self, found: dict[str, Any] | None = None) -> int | None:
        """The current version (from ``found``, the result of a ``get_many`` that asked for
        ``self.key``, when given), set if missing. Read it before the data it guards."""
        version = (found or {}).get(self.key) if found is not None else cache.get(self.key)
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
