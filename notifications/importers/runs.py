"""Import runs: the upload screen and the command record each import as an ImportRun, processed
by one call that claims the run (pending → running) so that a task delivered twice does nothing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from network.events import event_record
from network.models import User

from ..models import ImportRun
from . import import_files, run_note
from .files import InputFile
from .report import ImportReport

logger = logging.getLogger(__name__)

# How often (seconds) the progress counters are written while a run works.
PROGRESS_EVERY = 1.0


def import_run_create(*, fmt: str, uploads: list[UploadedFile], user: User | None) -> ImportRun:
    """Store the uploaded files and record a pending run (the task is queued after commit)."""
    with transaction.atomic():
        run = ImportRun.objects.create(format=fmt, started_by=user)
        names = []
        for upload in uploads:
            safe = get_valid_filename(Path(upload.name or "upload").name) or "upload"
            names.append(default_storage.save(f"imports/{run.public_id}/{safe}", upload))
        run.filenames = "\n".join(names)
        run.upload.name = names[0] if names else ""
        run.save(update_fields=["filenames", "upload"])
        event_record(
            obj=run,
            actor=user,
            verb="import_requested",
            to_state=run.state,
            note=", ".join(Path(n).name for n in names),
        )
    return run


def import_run_for_paths(*, fmt: str, paths: list[str], user: User | None = None) -> ImportRun:
    """A run for files given on the command line (already on disk)."""
    run = ImportRun.objects.create(format=fmt, filenames="\n".join(paths), started_by=user)
    event_record(obj=run, actor=user, verb="import_requested", to_state=run.state, note=", ".join(paths))
    return run


def _storage_files(run: ImportRun) -> list[InputFile]:
    return [
        InputFile(name, partial(default_storage.open, name, "rb"))
        for name in run.filenames.splitlines()
        if name.strip()
    ]


def import_run_process(
    run_id: int,
    *,
    files: list[InputFile] | None = None,
    on_progress: Callable[[ImportReport], None] | None = None,
) -> tuple[ImportRun, ImportReport] | None:
    """Claim a pending run and process it; None when it was not pending (already done or running).
    ``on_progress`` is called with the report at most every PROGRESS_EVERY seconds (and at the end
    of each phase), e.g. by the command to print progress on the terminal."""
    claimed = ImportRun.objects.filter(pk=run_id, state=ImportRun.State.PENDING).update(
        state=ImportRun.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = ImportRun.objects.get(pk=run_id)
    event_record(
        obj=run, actor=None, verb="import_started", from_state=ImportRun.State.PENDING, to_state=ImportRun.State.RUNNING
    )
    last = [0.0]

    def progress(report: ImportReport) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY and report.processed < report.total:
            return
        last[0] = now
        if on_progress is not None:
            on_progress(report)
        ImportRun.objects.filter(pk=run_id).update(
            total=report.total,
            processed=report.processed,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )

    report = ImportReport(progress=progress)
    state = ImportRun.State.DONE
    try:
        import_files(
            run.format,
            files if files is not None else _storage_files(run),
            report=report,
            actor=run.started_by,
            note=run_note(run),
        )
    except Exception as exc:  # noqa: BLE001 - recorded on the run for the administrator, then logged
        logger.exception("import run %s failed", run.public_id)
        state = ImportRun.State.FAILED
        report.error(
            file="", line=None, code="failed", processed=False, detail=f"{exc.__class__.__name__}: {exc}"[:300]
        )
    with transaction.atomic():
        ImportRun.objects.filter(pk=run_id).update(
            state=state,
            total=report.total,
            processed=report.processed,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            errors=report.stored_errors(),
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        event_record(
            obj=run,
            actor=None,
            verb="import_finished",
            from_state=ImportRun.State.RUNNING,
            to_state=state,
            note=f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
            f"refused {report.error_count}",
        )
    return run, report
