"""Symbol assignment under concurrency: two officers notifying at once never get the same number.

Real concurrency needs real row locks: these tests run on PostgreSQL (skipped on SQLite, whose
single writer serialises transactions anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from notifications import services
from notifications.models import Notification, SymbolCounter
from tests.notifications.workflow_helpers import accepted, today

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def _in_threads(count: int, work) -> tuple[list, list]:
    results: list = []
    errors: list = []
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_symbol_next_is_unique_under_concurrency(reference) -> None:
    Notification.objects.create(direction="out", state="notified", symbol="G/TBT/N/VNM/41")
    symbols, errors = _in_threads(8, lambda i: services.symbol_next())
    assert errors == []
    assert sorted(symbols, key=lambda s: int(s.rsplit("/", 1)[1])) == [f"G/TBT/N/VNM/{n}" for n in range(42, 50)]
    assert SymbolCounter.objects.get(prefix="G/TBT/N/VNM").last_number == 49


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_notify_gives_distinct_consecutive_symbols(ministry_officer, national_officer) -> None:
    dossiers = [accepted(ministry_officer, national_officer) for _ in range(5)]
    results, errors = _in_threads(
        5,
        lambda i: (
            services.dossier_notify(notification=dossiers[i], actor=national_officer, distribution_date=today()).symbol
        ),
    )
    assert errors == []
    assert sorted(results) == sorted(f"G/TBT/N/VNM/{n}" for n in range(1, 6))


@pytest.mark.django_db
def test_sequential_symbols_use_the_counter_row(reference) -> None:
    assert services.symbol_next() == "G/TBT/N/VNM/1"
    assert services.symbol_next() == "G/TBT/N/VNM/2"
    counter = SymbolCounter.objects.get(prefix="G/TBT/N/VNM")
    counter.last_number = 10
    counter.save()
    assert services.symbol_next() == "G/TBT/N/VNM/11"
