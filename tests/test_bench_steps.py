"""`python -m tbt_portal.bench notifications --step S` asked for by a person runs that one step on
the bench database, in its own process, as the whole benchmark does; a step's own process (the
mark set) runs it where it is."""

from __future__ import annotations

import json

import pytest

from tbt_portal.bench import notifications as bench


@pytest.fixture
def recorded(monkeypatch):
    calls = []
    monkeypatch.delenv(bench._CHILD_MARK, raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db.example:5432/tbt_portal")
    monkeypatch.setattr(bench, "BENCH_DB", "tbt_bench_x")
    monkeypatch.setattr(bench, "_database_exists", lambda base: True)
    monkeypatch.setattr(bench, "_child", lambda step, url, *extra: calls.append((step, url, extra)) or {"step": step})
    return calls


def test_a_step_asked_for_runs_on_the_bench_database(recorded, capsys):
    bench.main(["--step", "http", "--seconds", "3", "--workers", "4", "--clients", "3"])
    assert recorded == [
        ("http", "postgres://postgres@db.example:5432/tbt_bench_x", ("--seconds=3.0", "--workers=4", "--clients=3"))
    ]
    assert json.loads(capsys.readouterr().out) == {"step": "http"}


def test_the_child_environment_carries_the_mark_and_the_bench_database():
    env = bench._child_env("postgres://h/tbt_bench_x")
    assert env[bench._CHILD_MARK] == "1"
    assert env["DATABASE_URL"] == "postgres://h/tbt_bench_x"


def test_a_step_without_the_bench_database_is_refused(recorded, monkeypatch):
    monkeypatch.setattr(bench, "_database_exists", lambda base: False)
    with pytest.raises(SystemExit, match="tbt_bench_x does not exist"):
        bench.main(["--step", "queries"])
    assert recorded == []


def test_inside_a_step_process_the_step_runs_in_place(recorded, monkeypatch, capsys):
    monkeypatch.setenv(bench._CHILD_MARK, "1")
    monkeypatch.setattr(bench, "step_queries", lambda repeat: {"repeat": repeat})
    bench.main(["--step", "queries", "--repeat", "2"])
    assert recorded == []
    assert json.loads(capsys.readouterr().out) == {"repeat": 2}
