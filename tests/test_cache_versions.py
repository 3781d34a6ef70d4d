"""tbt_portal.cache_versions: entries kept under a version serve only while it is unchanged; the
benchmark report shows the list page with its caches on and off."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.db import transaction

from tbt_portal.bench.notifications import _markdown
from tbt_portal.cache_versions import CacheVersion, versioned

pytestmark = pytest.mark.usefixtures("own_cache")


def test_kept_until_the_version_changes():
    version = CacheVersion("test:v")
    calls = []

    def compute() -> str:
        calls.append(1)
        return f"value {len(calls)}"

    assert versioned(version, "test:k", compute, 60) == "value 1"
    assert versioned(version, "test:k", compute, 60) == "value 1"
    version.bump()
    assert versioned(version, "test:k", compute, 60) == "value 2"
    assert len(calls) == 2


def test_a_lost_version_never_comes_back_to_an_old_value():
    version = CacheVersion("test:v")
    first = version.read()
    assert first is not None
    cache.delete("test:v")  # evicted
    assert version.read() > first
    version.bump()
    cache.delete("test:v")
    version.bump()  # bumping a missing version sets a new one
    assert cache.get("test:v") > first


def test_none_is_returned_and_not_kept():
    version = CacheVersion("test:v")
    assert versioned(version, "test:k", lambda: None, 60) is None
    assert versioned(version, "test:k", lambda: "now", 60) == "now"


@pytest.mark.django_db(transaction=True)
def test_invalidate_bumps_now_and_at_commit():
    version = CacheVersion("test:v")
    start = version.read()
    seen = []
    with transaction.atomic():
        version.invalidate()
        seen.append(cache.get("test:v"))
    assert start < seen[0] < cache.get("test:v")


def test_an_unreachable_cache_does_not_fail_the_bump(monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(locmem.LocMemCache, "incr", down)
    monkeypatch.setattr(locmem.LocMemCache, "set", down)
    CacheVersion("test:v").bump()
    assert "Could not bump the cache version test:v" in caplog.text


def test_benchmark_report_shows_both_list_figures():
    http = {
        "hello": 2000.0,
        "list": 1600.0,
        "search_1pct": 1500.0,
        "list_uncached": 190.0,
        "search_1pct_uncached": 50.0,
        "ratio_list": 0.8,
        "ratio_search_1pct": 0.75,
        "ratio_list_uncached": 0.095,
        "ratio_search_1pct_uncached": 0.025,
        "workers": 2,
        "clients": 2,
        "seconds": 10.0,
    }
    report = _markdown({"rows": 500000}, {"queries": []}, http, 60)
    assert "| list page `/notifications/` | 1600.0 | 0.8 |" in report
    assert "| list page, search caches off | 190.0 | 0.095 |" in report
    assert "**met** (with the search caches off: not met)" in report
