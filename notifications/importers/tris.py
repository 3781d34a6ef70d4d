"""EU TRIS data (github.com/jfjelstul/eutr): notifications.csv, comments.csv, opinions.csv.

Each file is recognised by its columns, so a directory, the three files or a ZIP of them will do.
- notifications: notification_ID ("TRIS:1986:0106:FR:N") → external_id (source "tris"),
  notification_by_code → member (UK → United Kingdom, EL → Greece, EC → the EU), start_date →
  distribution date, end_date (end of the standstill period) → final date for comments.
- comments / opinions: comment_ID / opinion_ID → external_id of a NotificationComment between other
  members (kind comment / detailed opinion), comment_by_code / opinion_by_code → member (EFTA is kept
  by name), received on the notification's start date.
"""

from __future__ import annotations

from typing import Any

from ..models import Notification, NotificationComment
from .files import ROW_ERROR, CsvTable, InputFile, decode, read_csv
from .members import TRIS_NON_MEMBERS, MemberResolver
from .records import CommentRecord, NotificationRecord, RowError, parse_date, text_value
from .report import ImportReport

NOTIFICATION_COLUMNS = ("notification_ID", "notification_by_code", "start_date", "end_date")
COMMENT_COLUMNS = ("comment_ID", "notification_ID", "comment_by", "comment_by_code", "start_date")
OPINION_COLUMNS = ("opinion_ID", "notification_ID", "opinion_by", "opinion_by_code", "start_date")
# Companion files of the data set (codebook, entity codes): read nothing from them, report nothing.
COMPANIONS = {"entity-codes.csv", "variables.csv"}
KINDS = {"notification": NOTIFICATION_COLUMNS, "comment": COMMENT_COLUMNS, "opinion": OPINION_COLUMNS}
# Identifiers are stored in external_id columns of this length (checked here: SQLite would keep a
# longer one, PostgreSQL would refuse the whole batch).
ID_LENGTH = 80


def _kind_of(text: str) -> str | None:
    first = text.split("\n", 1)[0].lower()
    if "opinion_id" in first:
        return "opinion"
    if "comment_id" in first:
        return "comment"
    if "notification_id" in first:
        return "notification"
    return None


def notification_from_row(row: dict[str, Any], *, file: str, line: int, members: MemberResolver) -> NotificationRecord:
    external_id = text_value(row.get("notification_id"))
    if not external_id:
        raise RowError("missing_value", field="notification_ID")
    if len(external_id) > ID_LENGTH:
        raise RowError("too_long", field="notification_ID", length=len(external_id), limit=ID_LENGTH)
    code = text_value(row.get("notification_by_code"))
    member_id = members.resolve_tris(code)
    if member_id is None:
        raise RowError("unknown_member", value=code or text_value(row.get("notification_by")))
    start = parse_date(row.get("start_date"), "start_date")
    if start is None:
        raise RowError("missing_value", field="start_date")
    fields = {"distribution_date": start, "comment_deadline": parse_date(row.get("end_date"), "end_date")}
    return NotificationRecord(
        file=file,
        line=line,
        source=Notification.Source.TRIS,
        symbol=None,
        external_id=external_id,
        member_id=member_id,
        member_code=members.code_of(member_id),
        fields=fields,
    )


def comment_from_row(row: dict[str, Any], *, kind: str, file: str, line: int, members: MemberResolver) -> CommentRecord:
    external_id = text_value(row.get(f"{kind}_id"))
    if not external_id:
        raise RowError("missing_value", field=f"{kind}_ID")
    if len(external_id) > ID_LENGTH:
        raise RowError("too_long", field=f"{kind}_ID", length=len(external_id), limit=ID_LENGTH)
    notification_id = text_value(row.get("notification_id"))
    if not notification_id:
        raise RowError("missing_value", field="notification_ID")
    if len(notification_id) > ID_LENGTH:
        raise RowError("too_long", field="notification_ID", length=len(notification_id), limit=ID_LENGTH)
    code = text_value(row.get(f"{kind}_by_code"))
    name = text_value(row.get(f"{kind}_by"))[:120]
    member_id = members.resolve_tris(code)
    if member_id is None and code.upper() not in TRIS_NON_MEMBERS:
        raise RowError("unknown_member", value=code or name)
    return CommentRecord(
        file=file,
        line=line,
        kind=NotificationComment.Kind.COMMENT if kind == "comment" else NotificationComment.Kind.DETAILED_OPINION,
        external_id=external_id,
        notification_source=Notification.Source.TRIS,
        notification_external_id=notification_id,
        member_id=member_id,
        by_name=name,
        received_on=parse_date(row.get("start_date"), "start_date"),
    )


def read(
    files: list[InputFile], report: ImportReport, members: MemberResolver
) -> tuple[list[NotificationRecord], list[CommentRecord]]:
    tables: dict[str, list[CsvTable]] = {"notification": [], "comment": [], "opinion": []}
    for item in files:
        if item.name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() in COMPANIONS:
            continue
        text = decode(item, report)
        if text is None:
            continue
        kind = _kind_of(text)
        if kind is None:
            report.error(file=item.name, line=1, code="unknown_file", processed=False, name=item.name)
            continue
        table = read_csv(item, text, report, required=KINDS[kind], kind=kind)
        if table is not None:
            tables[kind].append(table)
            report.total += len(table.rows)
    notifications: list[NotificationRecord] = []
    comments: list[CommentRecord] = []
    for kind, kind_tables in tables.items():
        for table in kind_tables:
            for line, row in table.rows:
                try:
                    if ROW_ERROR in row:
                        raise row[ROW_ERROR]
                    if kind == "notification":
                        notifications.append(notification_from_row(row, file=table.name, line=line, members=members))
                    else:
                        comments.append(comment_from_row(row, kind=kind, file=table.name, line=line, members=members))
                except RowError as exc:
                    report.error(file=table.name, line=line, code=exc.code, kind=kind, **exc.params)
    return notifications, comments
