"""What an import did: counts, progress and the rows it refused (file, line, reason).

Reasons are stored as a code and parameters, not as text, so that the progress page shows them in
the reader's language (see ``error_message``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# Errors kept in full on the ImportRun row; beyond this only the count grows.
MAX_STORED_ERRORS = 1000


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0


@dataclass
class ImportReport:
    total: int = 0
    processed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    # Per kind of record ("notification", "comment", "opinion"), for the command's summary.
    by_kind: dict[str, Counts] = field(default_factory=dict)
    progress: Callable[[ImportReport], None] | None = None

    def kind(self, name: str) -> Counts:
        return self.by_kind.setdefault(name, Counts())

    def error(
        self, *, file: str, line: int | None, code: str, kind: str = "", processed: bool = True, **params: Any
    ) -> None:
        """Record a refused row (``processed``: the row counts as handled in the progress)."""
        self.error_count += 1
        if kind:
            self.kind(kind).errors += 1
        if processed:
            self.processed += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(
                {"file": file, "line": line, "code": code, "params": {k: _jsonable(v) for k, v in params.items()}}
            )

    def count(self, kind: str, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        counts = self.kind(kind)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        self.processed += 1

    def tick(self) -> None:
        if self.progress is not None:
            self.progress(self)

    def stored_errors(self) -> list[dict[str, Any]]:
        errors = list(self.errors)
        if self.error_count > len(errors):
            errors.append(
                {"file": "", "line": None, "code": "more_errors", "params": {"count": self.error_count - len(errors)}}
            )
        return errors


def refused_count(errors: list[dict[str, Any]] | None) -> int:
    """How many rows a run refused, from its stored errors (the last entry may stand for many)."""
    total = 0
    for error in errors or []:
        total += int((error.get("params") or {}).get("count", 0)) if error.get("code") == "more_errors" else 1
    return total


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return str(value)


def error_message(error: dict[str, Any]) -> str:
    """The reason of one refused row, in the active language."""
    params = dict(error.get("params") or {})
    for key, value in params.items():
        if isinstance(value, list):
            params[key] = ", ".join(str(v) for v in value)
    messages = {
        "missing_file": _("Missing file: %(name)s."),
        "unknown_file": _("Not a file of this format (unrecognised columns): %(name)s."),
        "missing_columns": _("Missing columns: %(columns)s. The file was not imported."),
        "incomplete_row": _("Incomplete row (%(found)s of %(expected)s columns): the file looks truncated."),
        "bad_csv": _("Unreadable CSV: %(detail)s. The rest of the file was not imported."),
        "bad_json": _("Unreadable JSON: %(detail)s. The file was not imported."),
        "bad_encoding": _("The file is not UTF-8 text."),
        "bad_record": _("The record is not an object with fields."),
        "bad_date": _("Invalid date in %(field)s: “%(value)s” (expected YYYY-MM-DD or DD/MM/YYYY)."),
        "missing_value": _("Missing value: %(field)s."),
        "bad_value": _("Invalid value in %(field)s: “%(value)s”."),
        "bad_symbol": _("Invalid WTO TBT symbol: “%(value)s”."),
        "unknown_member": _("Unknown member: “%(value)s”."),
        "duplicate": _("Duplicate of line %(first_line)s in this import (%(key)s): ignored."),
        "conflict": _("The symbol and the identifier point to two different notifications (%(key)s)."),
        "managed_in_portal": _("%(key)s is Vietnam's notification managed in the portal: not overwritten."),
        "unknown_notification": _("Unknown notification: %(value)s."),
        "database": _("The database refused the row: %(detail)s."),
        "failed": _("The import stopped: %(detail)s."),
        "more_errors": _("… and %(count)s more rows refused."),
    }
    template = messages.get(str(error.get("code")), _("Refused row (%(code)s)."))
    try:
        return template % {"code": error.get("code"), **params}
    except (KeyError, TypeError, ValueError):
        return template.replace("%(", "(")
