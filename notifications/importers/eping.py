"""ePing-style JSON: a list of notification objects (or an object holding that list under
``items``, ``results``, ``data`` or ``notifications``).

Fields read: documentSymbol, notifyingMember ("C" + ISO numeric, U918 for the EU, ISO code or
name; taken from the symbol when absent), distributionDate, commentDeadlineDate,
proposedEntryIntoForceDate (a date, or words such as "6 months after publication"), title,
description, productsFreeText, hsCodes, icsCodes, objectives, keywords, notifiedDocumentLink.
A field that is absent leaves the stored value unchanged on re-import; a field that is present but
null or empty clears it.

A file cut off in the middle (a download that stopped) keeps the complete records before the cut:
the reader then walks the list record by record and reports where it could read no further.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..models import Notification
from .files import InputFile, decode
from .members import MemberResolver
from .records import (
    NotificationRecord,
    RowError,
    code_list,
    followup_of,
    list_value,
    looks_like_date,
    normalise_symbol,
    objective_codes,
    parse_date,
    symbol_member_code,
    text_value,
    url_value,
)
from .report import ImportReport

LIST_KEYS = ("items", "results", "data", "notifications")
# ePing key → (model field, how its value is read), for the fields read as they are.
PLAIN_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "title": ("title", text_value),
    "description": ("description", text_value),
    "productsFreeText": ("products_text", text_value),
    "hsCodes": ("hs_codes", code_list),
    "icsCodes": ("ics_codes", code_list),
    "objectives": ("objectives", objective_codes),
    "keywords": ("keywords", list_value),
}
DATE_FIELDS = {"distributionDate": "distribution_date", "commentDeadlineDate": "comment_deadline"}
_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _records_of(payload: Any) -> list[Any] | None:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in LIST_KEYS:
            if isinstance(payload.get(key), list):
                return payload[key]
    return None


def notification_from_eping(
    data: dict[str, Any], *, file: str, line: int, members: MemberResolver
) -> NotificationRecord:
    symbol = normalise_symbol(data.get("documentSymbol"))
    raw_member = data.get("notifyingMember")
    given = raw_member not in (None, "")
    member_id = members.resolve(raw_member) if given else members.resolve(symbol_member_code(symbol))
    if member_id is None:
        raise RowError("unknown_member", value=text_value(raw_member) or symbol_member_code(symbol))
    if given:
        members.check_symbol(symbol, member_id)
    # Only the keys the record has: a feed that leaves a field out does not erase what is stored.
    fields: dict[str, Any] = {}
    for key, name in DATE_FIELDS.items():
        if key in data:
            fields[name] = parse_date(data[key], key)
    for key, (name, read_value) in PLAIN_FIELDS.items():
        if key in data:
            fields[name] = read_value(data[key])
    if "notifiedDocumentLink" in data:
        fields["document_link"] = url_value(data["notifiedDocumentLink"], "notifiedDocumentLink")
    if "proposedEntryIntoForceDate" in data:
        entry = text_value(data["proposedEntryIntoForceDate"])
        if entry and not looks_like_date(entry) and not entry[:4].isdigit():
            fields["entry_into_force_date"] = None
            fields["entry_into_force_text"] = entry[:255]
        else:
            fields["entry_into_force_date"] = parse_date(entry, "proposedEntryIntoForceDate")
            fields["entry_into_force_text"] = ""
    kind, number, parent = followup_of(symbol)
    fields.update({"followup_kind": kind, "followup_number": number, "followup_of_symbol": parent})
    return NotificationRecord(
        file=file,
        line=line,
        source=Notification.Source.WTO,
        symbol=symbol,
        external_id="",
        member_id=member_id,
        member_code=members.code_of(member_id),
        fields=fields,
    )


def _skip_space(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _list_start(text: str) -> int | None:
    """Where the list of records starts (just after its "["), in a file ``json.loads`` refused; None
    when the file is no list and no object holding one (as far as it can be read)."""
    pos = _skip_space(text, 0)
    if text.startswith("[", pos):
        return pos + 1
    if not text.startswith("{", pos):
        return None
    pos = _skip_space(text, pos + 1)
    while text.startswith('"', pos):
        try:
            key, pos = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError:
            return None
        pos = _skip_space(text, pos)
        if not text.startswith(":", pos):
            return None
        pos = _skip_space(text, pos + 1)
        if key in LIST_KEYS and text.startswith("[", pos):
            return pos + 1
        try:
            _value, pos = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError:
            return None
        pos = _skip_space(text, pos)
        if not text.startswith(",", pos):
            return None
        pos = _skip_space(text, pos + 1)
    return None


def _complete_records(text: str, start: int) -> tuple[list[Any], int, json.JSONDecodeError | None]:
    """The records of the list starting at ``start`` up to the first that cannot be read, the
    offset where that one starts and the decoder's error (None when the list itself is whole)."""
    records: list[Any] = []
    pos = _skip_space(text, start)
    if text.startswith("]", pos):
        return records, pos, None
    while True:
        try:
            record, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            return records, pos, exc
        records.append(record)
        after = _skip_space(text, end)
        if text.startswith("]", after):
            return records, after, None
        if not text.startswith(",", after):
            return records, after, json.JSONDecodeError("Expecting ',' delimiter", text, after)
        pos = _skip_space(text, after + 1)


def _payload(item: InputFile, text: str, report: ImportReport) -> list[Any] | None:
    """The records of one file: all of them, or those before the point where it was cut off."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        start = _list_start(text)
        if start is None:
            report.error(
                file=item.name,
                line=exc.lineno,
                code="bad_json",
                kind="notification",
                processed=False,
                detail=f"{exc.msg} (line {exc.lineno}, column {exc.colno})",
            )
            return None
        records, stop, problem = _complete_records(text, start)
        if problem is None:  # the list is whole: what follows it is not
            problem, stop = exc, exc.pos
        report.error(
            file=item.name,
            line=text.count("\n", 0, stop) + 1,
            code="json_cut",
            kind="notification",
            processed=False,
            detail=f"{problem.msg} (line {problem.lineno}, column {problem.colno})",
            count=len(records),
        )
        return records
    rows = _records_of(payload)
    if rows is None:
        report.error(
            file=item.name,
            line=None,
            code="bad_json",
            kind="notification",
            processed=False,
            detail="expected a list of notifications",
        )
    return rows


def read(files: list[InputFile], report: ImportReport, members: MemberResolver) -> list[NotificationRecord]:
    records: list[NotificationRecord] = []
    for item in files:
        text = decode(item, report)
        if text is None:
            continue
        rows = _payload(item, text, report)
        if rows is None:
            continue
        report.total += len(rows)
        for number, data in enumerate(rows, start=1):
            if not isinstance(data, dict):
                report.error(file=item.name, line=number, code="bad_record", kind="notification")
                continue
            try:
                records.append(notification_from_eping(data, file=item.name, line=number, members=members))
            except RowError as exc:
                report.error(file=item.name, line=number, code=exc.code, kind="notification", **exc.params)
    return records
