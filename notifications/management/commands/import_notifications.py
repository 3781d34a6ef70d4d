"""python manage.py import_notifications --format {eping,csv,tris} PATH…

Imports partners' notifications (and TRIS comments and detailed opinions) idempotently: a second
run with the same files changes nothing. Good rows go in; refused rows are listed with their line
and reason. The run is recorded as an ImportRun (visible on /notifications/import/).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from notifications.importers import FORMATS, SUFFIXES, from_paths
from notifications.importers.report import ImportReport, error_message
from notifications.importers.runs import import_run_for_paths, import_run_process


class Command(BaseCommand):
    help = "Import notifications: ePing-style JSON, the portal's CSV, or EU TRIS files (a directory or files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("paths", nargs="+", help="files, directories or ZIP archives")
        parser.add_argument("--max-errors", type=int, default=50, help="refused rows to print (default 50)")

    def handle(self, *args: Any, fmt: str, paths: list[str], max_errors: int, **options: Any) -> None:
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise CommandError(f"not found: {', '.join(missing)}")
        files = from_paths(paths, SUFFIXES[fmt])
        if not files:
            raise CommandError("no input files")
        run = import_run_for_paths(fmt=fmt, paths=[str(Path(p).resolve()) for p in paths])
        started = time.monotonic()
        verbosity = int(options.get("verbosity", 1))

        printed = [-1]

        def progress(report: ImportReport) -> None:
            # On stderr so that the summary on stdout stays machine-readable; a line per change.
            if verbosity >= 1 and report.total and report.processed != printed[0]:
                printed[0] = report.processed
                share = 100 * report.processed // report.total
                self.stderr.write(
                    f"progress: {report.processed:,} / {report.total:,} rows ({share} %), "
                    f"{report.error_count:,} refused, {time.monotonic() - started:.0f} s"
                )

        result = import_run_process(run.pk, files=files, on_progress=progress)
        if result is None:  # pragma: no cover - a run created just now is always pending
            raise CommandError("the import run was already claimed")
        run, report = result
        elapsed = time.monotonic() - started
        with translation.override("en"):
            if verbosity >= 1:
                for kind, counts in report.by_kind.items():
                    self.stdout.write(
                        f"{kind}: created {counts.created}, updated {counts.updated}, "
                        f"unchanged {counts.unchanged}, refused {counts.errors}"
                    )
                self.stdout.write(
                    f"total {report.total} rows: created {report.created}, updated {report.updated}, "
                    f"unchanged {report.unchanged}, refused {report.error_count} ({elapsed:.1f} s, run {run.public_id})"
                )
                for error in report.errors[:max_errors]:
                    where = f"{error['file']}:{error['line']}" if error.get("line") else error["file"]
                    self.stderr.write(f"{where}: {error_message(error)}")
                if report.error_count > max_errors:
                    self.stderr.write(f"… {report.error_count - max_errors} more refused rows")
        if run.state == run.State.FAILED:
            raise CommandError("the import failed; see the messages above")
