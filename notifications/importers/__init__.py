"""Importers of partners' notifications: ePing-style JSON, the portal's CSV and EU TRIS files.

``import_files(fmt, files)`` reads, validates and upserts; it never stops at a bad row: good rows go
in, bad ones are reported with file, line and reason (see ``report.error_message``).
"""

from __future__ import annotations

from network.models import User

from ..models import ImportRun
from . import csv_format, eping, tris
from .files import InputFile, expand, from_paths
from .members import MemberResolver
from .report import ImportReport, error_message
from .upsert import CommentUpserter, NotificationUpserter

FORMATS = ("eping", "csv", "tris")
SUFFIXES = {"eping": (".json",), "csv": (".csv",), "tris": (".csv",)}

__all__ = ["FORMATS", "ImportReport", "InputFile", "error_message", "expand", "from_paths", "import_files"]


def import_files(
    fmt: str, files: list[InputFile], *, report: ImportReport | None = None, actor: User | None = None, note: str = ""
) -> ImportReport:
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}")
    report = report or ImportReport()
    members = MemberResolver()
    files = expand(files)
    comments: list = []
    if fmt == "eping":
        notifications = eping.read(files, report, members)
    elif fmt == "csv":
        notifications = csv_format.read(files, report, members)
    else:
        notifications, comments = tris.read(files, report, members)
    report.tick()
    NotificationUpserter(report=report, actor=actor, note=note).run(notifications)
    if comments:
        CommentUpserter(report=report).run(comments)
    report.tick()
    return report


def run_note(run: ImportRun) -> str:
    return f"import {run.format} {run.public_id}"
