"""ePing-style JSON: a list of notification objects (or an object holding that list under
``items``, ``results``, ``data`` or ``notifications``).

Fields read: documentSymbol, notifyingMember ("C" + ISO numeric, U918 for the EU, ISO code or
name; taken from the symbol when absent), distributionDate, commentDeadlineDate,
proposedEntryIntoForceDate (a date, or words such as "6 months after publication"), title,
description, productsFreeText, hsCodes, icsCodes, objectives, keywords, notifiedDocumentLink.
"""

from __future__ import annotations

import json
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
    member_id = (
        members.resolve(raw_member) if raw_member not in (None, "") else members.resolve(symbol_member_code(symbol))
    )
    if member_id is None:
        raise RowError("unknown_member", value=text_value(raw_member) or symbol_member_code(symbol))
    fields: dict[str, Any] = {
        "distribution_date": parse_date(data.get("distributionDate"), "distributionDate"),
        "comment_deadline": parse_date(data.get("commentDeadlineDate"), "commentDeadlineDate"),
        "title": text_value(data.get("title")),
        "description": text_value(data.get("description")),
        "products_text": text_value(data.get("productsFreeText")),
        "hs_codes": code_list(data.get("hsCodes")),
        "objectives": objective_codes(data.get("objectives")),
        "keywords": list_value(data.get("keywords")),
        "document_link": url_value(data.get("notifiedDocumentLink"), "notifiedDocumentLink"),
    }
    if "icsCodes" in data:
        fields["ics_codes"] = code_list(data.get("icsCodes"))
    entry = text_value(data.get("proposedEntryIntoForceDate"))
    if entry and not looks_like_date(entry) and not entry[:4].isdigit():
        fields["entry_into_force_date"] = None
        fields["entry_into_force_text"] = entry[:255]
    else:
        fields["entry_into_force_date"] = parse_date(entry, "proposedEntryIntoForceDate")
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


def read(files: list[InputFile], report: ImportReport, members: MemberResolver) -> list[NotificationRecord]:
    records: list[NotificationRecord] = []
    for item in files:
        text = decode(item, report)
        if text is None:
            continue
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            report.error(
                file=item.name,
                line=exc.lineno,
                code="bad_json",
                kind="notification",
                processed=False,
                detail=f"{exc.msg} (line {exc.lineno}, column {exc.colno})",
            )
            continue
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
