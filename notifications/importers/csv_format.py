"""The portal's CSV format for notifications (also what the CSV export writes, so an export can be
imported back). UTF-8 (a BOM is accepted), comma-separated, one header row. Column names:

  symbol                 WTO symbol, e.g. G/TBT/N/USA/1234/Add.1 (required unless external_id is given)
  source                 wto | tris | other (default: wto when a symbol is given, else other)
  external_id            identifier in the source system (required when there is no symbol)
  member                 notifying member: ISO alpha-3 or WTO code (EU), alpha-2, C + ISO numeric, or name (required)
  title, description     text
  title_vi, summary_vi   Vietnamese title and summary (never overwrite a verified translation)
  products               products covered, in words
  hs_codes, ics_codes, objectives, keywords   lists separated by ";"
  distribution_date, comment_deadline, entry_into_force_date   YYYY-MM-DD or DD/MM/YYYY
  document_link          http(s) URL of the notified text

The read-only columns the export adds (direction, member_name, url…) are ignored; any other column
is ignored too, with a warning naming it (a misspelt "coment_deadline" would otherwise look as if the
file had no deadlines). A column that is absent leaves that field unchanged on re-import; a column
that is present but empty clears it. A symbol naming another member than the member column
(G/TBT/N/KOR/1 given as China's) refuses the row.
"""

from __future__ import annotations

from typing import Any

from ..exports import COLUMNS as EXPORT_COLUMNS
from ..models import Notification
from .files import ROW_ERROR, InputFile, decode, read_csv
from .members import MemberResolver
from .records import (
    NotificationRecord,
    RowError,
    code_list,
    followup_of,
    list_value,
    normalise_symbol,
    objective_codes,
    parse_date,
    text_value,
    url_value,
)
from .report import ImportReport

COLUMNS = (
    "symbol",
    "source",
    "external_id",
    "member",
    "title",
    "title_vi",
    "summary_vi",
    "description",
    "products",
    "hs_codes",
    "ics_codes",
    "objectives",
    "keywords",
    "distribution_date",
    "comment_deadline",
    "entry_into_force_date",
    "document_link",
)
REQUIRED = ("member",)
# Columns read without a word: the importer's own and the export's read-only ones.
KNOWN = frozenset(COLUMNS) | frozenset(EXPORT_COLUMNS)
SOURCES = {choice.value for choice in Notification.Source}


def _split(value: Any) -> list[str]:
    """A list column: items separated by ";" (commas may occur inside an item)."""
    return [item.strip() for item in str(value or "").split(";") if item.strip()]


def notification_from_row(row: dict[str, Any], *, file: str, line: int, members: MemberResolver) -> NotificationRecord:
    raw_symbol = text_value(row.get("symbol"))
    symbol = normalise_symbol(raw_symbol) if raw_symbol else None
    external_id = text_value(row.get("external_id"))
    if len(external_id) > 80:
        raise RowError("too_long", field="external_id", length=len(external_id), limit=80)
    source = text_value(row.get("source")).lower() or (Notification.Source.WTO if symbol else Notification.Source.OTHER)
    if source not in SOURCES:
        raise RowError("bad_value", field="source", value=source)
    if not symbol and not external_id:
        raise RowError("missing_value", field="symbol / external_id")
    if source == Notification.Source.WTO and not symbol:
        raise RowError("missing_value", field="symbol")
    raw_member = text_value(row.get("member"))
    if not raw_member:
        raise RowError("missing_value", field="member")
    member_id = members.resolve(raw_member)
    if member_id is None:
        raise RowError("unknown_member", value=raw_member)
    if symbol:
        members.check_symbol(symbol, member_id)
    fields: dict[str, Any] = {}
    simple = {
        "title": "title",
        "description": "description",
        "products": "products_text",
        "title_vi": "title_vi",
        "summary_vi": "summary_vi",
    }
    for column, name in simple.items():
        if column in row:
            fields[name] = text_value(row[column])
    for column in ("hs_codes", "ics_codes"):
        if column in row:
            fields[column] = code_list(_split(row[column]))
    if "objectives" in row:
        fields["objectives"] = objective_codes(_split(row["objectives"]))
    if "keywords" in row:
        fields["keywords"] = list_value(_split(row["keywords"]))
    for column in ("distribution_date", "comment_deadline", "entry_into_force_date"):
        if column in row:
            fields[column] = parse_date(row[column], column)
    if "document_link" in row:
        fields["document_link"] = url_value(row["document_link"], "document_link")
    if symbol:
        kind, number, parent = followup_of(symbol)
        fields.update({"followup_kind": kind, "followup_number": number, "followup_of_symbol": parent})
    return NotificationRecord(
        file=file,
        line=line,
        source=source,
        symbol=symbol,
        external_id=external_id,
        member_id=member_id,
        member_code=members.code_of(member_id),
        fields=fields,
    )


def read(files: list[InputFile], report: ImportReport, members: MemberResolver) -> list[NotificationRecord]:
    records: list[NotificationRecord] = []
    for item in files:
        text = decode(item, report)
        if text is None:
            continue
        table = read_csv(item, text, report, required=REQUIRED, kind="notification")
        if table is None:
            continue
        if "symbol" not in table.header and "external_id" not in table.header:
            report.error(
                file=item.name,
                line=1,
                code="missing_columns",
                kind="notification",
                processed=False,
                columns=["symbol", "external_id"],
            )
            continue
        unknown = [column for column in table.header if column and column not in KNOWN]
        if unknown:
            report.warning(file=item.name, line=1, code="unknown_columns", columns=unknown, known=list(COLUMNS))
        # Lines whose first cell starts with "#" are notes (the export's cap note): not rows.
        rows = [
            (line, row)
            for line, row in table.rows
            if ROW_ERROR in row or not str(row.get(table.header[0], "")).startswith("#")
        ]
        report.total += len(rows)
        for line, row in rows:
            try:
                if ROW_ERROR in row:
                    raise row[ROW_ERROR]
                records.append(notification_from_row(row, file=item.name, line=line, members=members))
            except RowError as exc:
                report.error(file=item.name, line=line, code=exc.code, kind="notification", **exc.params)
    return records
