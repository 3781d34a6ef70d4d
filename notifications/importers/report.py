"""What an import did: counts, progress and the rows it refused (file, line, reason).

Reasons are stored as a code and parameters, not as text, so that the progress page shows them in
the reader's language (see ``error_message``). A warning (e.g. a column the importer ignored) is
stored the same way with ``"level": "warning"``: it is listed with the refusals but refuses no row,
so it counts in neither ``error_count`` nor ``refused_count``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .records import clean_text

# Errors kept in full on the ImportRun row; beyond this only the count grows.
MAX_STORED_ERRORS = 1000
# The "level" of a stored entry that refuses no row.
WARNING = "warning"


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
    warning_count: int = 0
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
            self.errors.append(_entry(file, line, code, params))

    def warning(self, *, file: str, line: int | None, code: str, **params: Any) -> None:
        """Record a note about a file that refuses no row (e.g. a column that was ignored)."""
        self.warning_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({**_entry(file, line, code, params), "level": WARNING})

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
        kept = sum(1 for e in errors if e.get("level") != WARNING)
        if self.error_count > kept:
            errors.append(
                {"file": "", "line": None, "code": "more_errors", "params": {"count": self.error_count - kept}}
            )
        return errors


def refused_count(errors: list[dict[str, Any]] | None) -> int:
    """How many rows a run refused, from its stored errors (the last entry may stand for many;
    warnings refuse nothing)."""
    total = 0
    for error in errors or []:
        if error.get("level") == WARNING:
            continue
        total += int((error.get("params") or {}).get("count", 0)) if error.get("code") == "more_errors" else 1
    return total


def _entry(file: str, line: int | None, code: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"file": _jsonable(file), "line": line, "code": code, "params": {k: _jsonable(v) for k, v in params.items()}}


def _jsonable(value: Any) -> Any:
    # Values quoted from the input may hold NUL and other control characters: PostgreSQL's jsonb
    # refuses "\u0000", which would lose the whole run's record of what it refused.
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return clean_text(str(value))


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
        "unclosed_quote": _("A quote opened on line %(line)s is never closed: this row was not imported."),
        "unclosed_quote_skipped": _(
            "A quote opened on line %(line)s is never closed: this row was not imported, nor the lines after "
            "it up to line %(last)s, which cannot be read as rows."
        ),
        "bad_quote": _(
            "Misplaced quote on line %(line)s (a quoted value must end just before a comma or the end of the "
            "line): this row was not imported."
        ),
        "bad_quote_skipped": _(
            "Misplaced quote on line %(line)s (a quoted value must end just before a comma or the end of the "
            "line): this row was not imported, nor the lines after it up to line %(last)s, which cannot be read as "
            "rows."
        ),
        "unknown_columns": _(
            "Columns the importer does not know were ignored: %(columns)s. The columns it reads are: %(known)s."
        ),
        "bad_csv": _("Unreadable CSV: %(detail)s. The rest of the file was not imported."),
        "bad_json": _("Unreadable JSON: %(detail)s. The file was not imported."),
        "json_cut": _(
            "The JSON cannot be read from line %(line)s on (%(detail)s): the file looks cut off. The %(count)s "
            "complete records before it were read; the rest of the file was not."
        ),
        "bad_encoding": _("The file is not UTF-8 text."),
        "bad_record": _("The record is not an object with fields."),
        "bad_date": _("Invalid date in %(field)s: “%(value)s” (expected YYYY-MM-DD or DD/MM/YYYY)."),
        "missing_value": _("Missing value: %(field)s."),
        "bad_value": _("Invalid value in %(field)s: “%(value)s”."),
        "bad_symbol": _("Invalid WTO TBT symbol: “%(value)s”."),
        "symbol_member": _(
            "The symbol %(symbol)s belongs to member %(symbol_member)s, but the member given is %(member)s."
        ),
        "too_long": _("Value too long in %(field)s: %(length)s characters, at most %(limit)s allowed."),
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
        # The entry's line is there for the messages that name it ("a quote opened on line 12…").
        return template % {"code": error.get("code"), "line": error.get("line"), **params}
    except (KeyError, TypeError, ValueError):
        return template.replace("%(", "(")
