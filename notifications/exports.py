"""Exports of a search: CSV (streamed, the portal's import format plus a few read-only columns) and
XLSX. Both list at most NOTIFICATION_EXPORT_MAX_ROWS rows, in the search's order (newest first
when the search is sorted by relevance), and say so in a last row when the cap cut the list."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from network.text import printable

from .models import Notification
from .search import SearchParams, ordered

# The import CSV columns first (an export can be imported back), then read-only ones.
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
    "direction",
    "member_name",
    "url",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _list(value: Any) -> str:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def row_of(n: Notification) -> list[Any]:
    member = n.member
    return [
        n.symbol or "",
        n.source,
        n.external_id,
        member.code if member else "",
        n.title,
        n.title_vi,
        n.summary_vi,
        n.description,
        n.products_text,
        _list(n.hs_codes),
        _list(n.ics_codes),
        _list(n.objectives),
        _list(n.keywords),
        _date(n.distribution_date),
        _date(n.comment_deadline),
        _date(n.entry_into_force_date),
        n.document_link,
        n.direction,
        member.name_en if member else "",
        settings.SITE_URL + n.get_absolute_url(),
    ]


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas (CSV injection): a leading apostrophe, which the CSV
    importer strips again."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_rows(params: SearchParams) -> Iterator[Notification]:
    limit = settings.NOTIFICATION_EXPORT_MAX_ROWS
    qs = ordered(params).select_related("member")[:limit]
    yield from qs.iterator(chunk_size=2000)


def _filename(extension: str) -> str:
    return f"notifications-{timezone.localdate().isoformat()}.{extension}"


def _cap_note() -> str:
    return _("The export stops at %(count)s rows: narrow the search to export the rest.") % {
        "count": settings.NOTIFICATION_EXPORT_MAX_ROWS
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(params: SearchParams) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)  # BOM: spreadsheet programs then read UTF-8
    count = 0
    for n in export_rows(params):
        count += 1
        yield writer.writerow([safe_cell(v) for v in row_of(n)])
    if count >= settings.NOTIFICATION_EXPORT_MAX_ROWS:
        yield writer.writerow(["# " + _cap_note()])


def csv_response(params: SearchParams) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(params), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_bytes(params: SearchParams) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Notifications")[:31])
    sheet.append(list(COLUMNS))
    count = 0
    for n in export_rows(params):
        count += 1
        cells = []
        for value in row_of(n):
            cell = WriteOnlyCell(sheet, value=printable(value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    if count >= settings.NOTIFICATION_EXPORT_MAX_ROWS:
        sheet.append([_cap_note()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(params: SearchParams) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(params), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
