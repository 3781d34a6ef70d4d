"""Reference data of the network: loading it from the files in ``network/data/`` and reading it.

Loading is idempotent: rows are upserted by their natural key (GSO code, HS/ICS code, WTO code,
date, point code), only rows whose values differ from the file are written, and nothing is ever
deleted (administrators may add rows of their own). Each loader returns how many rows it created,
updated and left unchanged.

Points and holidays are the exception: administrators edit them (contacts of a point, the
Government's yearly holiday schedule), so existing points and already-seeded holiday years are only
rewritten from the files when asked (``overwrite=True``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q, QuerySet

from .models import Holiday, HSCode, ICSCode, Point, Province, WTOMember
from .permissions import is_official
from .text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 500


@dataclass
class LoadResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# --- Reading the files ------------------------------------------------------------------------
@lru_cache(maxsize=16)
def _read_csv(name: str) -> tuple[dict[str, str], ...]:
    # utf-8-sig: the HS file starts with a byte-order mark.
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _read_json(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@lru_cache(maxsize=1)
def hs_sections() -> dict[str, str]:
    """HS section (roman numeral) → its title, from ``sections.csv``."""
    return {row["section"]: row["name"] for row in _read_csv("sections.csv")}


# --- The upsert everyone uses -----------------------------------------------------------------
def reference_upsert(
    model: type[models.Model], *, kind: str, key: str, rows: Iterable[dict[str, Any]], fields: list[str]
) -> LoadResult:
    """Create the rows whose ``key`` is new, update those whose ``fields`` differ, count the rest.

    Bulk operations keep HS (6,939 rows) and ICS (1,381 rows) to a few seconds on SQLite; they skip
    ``save()``, so the rows must already carry every derived column (``search_text``).
    """
    result = LoadResult(kind)
    existing = {getattr(obj, key): obj for obj in model._default_manager.only(key, *fields)}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [field for field in fields if getattr(obj, field) != row[field]]
        if not changed:
            result.unchanged += 1
            continue
        for field in changed:
            setattr(obj, field, row[field])
        to_update.append(obj)
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    result.created, result.updated = len(to_create), len(to_update)
    return result


# --- Loaders ----------------------------------------------------------------------------------
def reference_load_provinces() -> LoadResult:
    rows = (
        {
            "gso_code": row["code"],
            "name_vi": row["name"],
            "name_en": row["name_en"],
            "full_name_vi": row["full_name"],
            "full_name_en": row["full_name_en"],
            "unit_type": int(row["administrative_unit_id"]),
        }
        for row in _read_csv("provinces.csv")
    )
    fields = ["name_vi", "name_en", "full_name_vi", "full_name_en", "unit_type"]
    return reference_upsert(Province, kind="provinces", key="gso_code", rows=rows, fields=fields)


@lru_cache(maxsize=1)
def _hs_rows() -> tuple[dict[str, Any], ...]:
    # Cached: the test suite loads the reference data once per test; folding 6,939 rows is the slow part.
    return tuple(_hs_rows_read())


def _hs_rows_read() -> Iterable[dict[str, Any]]:
    for row in _read_csv("harmonized-system-2022.csv"):
        code = row["hscode"]
        if not code.isdigit():  # the "TOTAL" root row of the file is not an HS code
            continue
        description = row["description"].strip()
        yield {
            "code": code,
            "description": description,
            "parent": row["parent"] if row["parent"].isdigit() else "",
            "level": int(row["level"]),
            # "9999"/"999999" (commodities not specified) sit in a pseudo-section "TOTAL".
            "section": row["section"] if row["section"] in hs_sections() else "",
            "search_text": fold(f"{code} {description}"),
        }


def reference_load_hs() -> LoadResult:
    fields = ["description", "parent", "level", "section", "search_text"]
    return reference_upsert(HSCode, kind="hs", key="code", rows=_hs_rows(), fields=fields)


@lru_cache(maxsize=1)
def _ics_rows() -> tuple[dict[str, Any], ...]:
    return tuple(_ics_rows_read())


def _ics_rows_read() -> Iterable[dict[str, Any]]:
    for row in _read_csv("ics-ed7.csv"):
        title, notes = row["title"].strip(), row["notes"].strip()
        yield {
            "code": row["code"],
            "level": int(row["level"]),
            "parent": row["parent"],
            "title": title,
            "title_full": row["title_full"].strip(),
            "notes": notes,
            # Not title_full: it repeats the parents' titles, so every child would match them.
            "search_text": fold(f"{row['code']} {title} {notes}"),
        }


def reference_load_ics() -> LoadResult:
    fields = ["level", "parent", "title", "title_full", "notes", "search_text"]
    return reference_upsert(ICSCode, kind="ics", key="code", rows=_ics_rows(), fields=fields)


def reference_load_wto_members() -> LoadResult:
    rows = (
        {
            "code": row["code"],
            "iso2": row["iso2"],
            "iso_numeric": row["iso_numeric"],
            "name_en": row["name_en"],
            "name_vi": row["name_vi"],
            "accession_date": date.fromisoformat(row["accession_date"]) if row["accession_date"] else None,
            "is_eu_state": row["is_eu_state"] == "1",
        }
        for row in _read_csv("wto_members.csv")
    )
    fields = ["iso2", "iso_numeric", "name_en", "name_vi", "accession_date", "is_eu_state"]
    return reference_upsert(WTOMember, kind="wto_members", key="code", rows=rows, fields=fields)


def reference_load_holidays(*, overwrite: bool = False) -> LoadResult:
    """Public holidays, seeded one calendar year at a time.

    Administrators own the calendar once a year is in the table (they correct provisional dates,
    add or delete days), so a year that already has holidays is left alone; a year of the file
    that the table lacks is added. ``overwrite=True`` upserts every date of the file instead.
    """
    rows: list[dict[str, Any]] = [
        {"date": date.fromisoformat(row["date"]), "name_vi": row["name_vi"], "name_en": row["name_en"]}
        for row in _read_csv("holidays.csv")
    ]
    fields = ["name_vi", "name_en"]
    if overwrite:
        return reference_upsert(Holiday, kind="holidays", key="date", rows=rows, fields=fields)
    seeded = {day.year for day in Holiday.objects.dates("date", "year")}
    new_rows = [row for row in rows if row["date"].year not in seeded]
    result = reference_upsert(Holiday, kind="holidays", key="date", rows=new_rows, fields=fields)
    result.unchanged += len(rows) - len(new_rows)
    return result


POINT_FIELDS = [
    "level", "name_vi", "name_en", "agency_vi", "agency_en", "unit_vi", "unit_en", "address", "phone", "email",
    "website", "duties_vi", "duties_en", "sort_order",
]  # fmt: skip


def _point_rows() -> list[dict[str, Any]]:
    data = _read_json(DATA_DIR / "points.json")
    duties = data["duties"]
    provinces = {p.gso_code: p for p in Province.objects.all()}
    rows = []
    for item in data["points"]:
        row = {field: item.get(field, "") for field in POINT_FIELDS}
        row["duties_vi"] = item.get("duties_vi") or duties[item["level"]]["vi"]
        row["duties_en"] = item.get("duties_en") or duties[item["level"]]["en"]
        row["sort_order"] = int(item.get("sort_order", 0))
        row["code"] = item["code"]
        row["province"] = provinces[item["province"]] if item.get("province") else None
        rows.append(row)
    return rows


def reference_load_points(*, overwrite: bool = False) -> LoadResult:
    """The 43 points of ``points.json`` (provinces must be loaded first); existing points keep
    administrators' edits unless ``overwrite``.

    Saved one by one through ``Point.save()``, which derives ``search_text``; 43 rows are cheap.
    """
    result = LoadResult("points")
    existing = {point.code: point for point in Point.objects.select_related("province")}
    for row in _point_rows():
        point = existing.get(row["code"])
        if point is None:
            Point(**row).save()
            result.created += 1
            continue
        changed = [field for field in [*POINT_FIELDS, "province"] if getattr(point, field) != row[field]]
        if not (overwrite and changed):
            result.unchanged += 1
            continue
        for field in changed:
            setattr(point, field, row[field])
        point.save(update_fields=changed)
        result.updated += 1
    return result


def reference_load_board_agencies() -> LoadResult:
    """The Board's member agencies (Đ10.1.d) from ``board/data/agencies.json``.

    Reached through the app registry so that ``network`` (the base app) never imports ``board``.
    """
    if not apps.is_installed("board"):
        return LoadResult("board_agencies")
    model = apps.get_model("board", "BoardAgency")
    data = _read_json(Path(apps.get_app_config("board").path) / "data" / "agencies.json")
    fields = ["name_vi", "name_en", "kind", "sort_order"]
    rows = ({"code": item["code"], **{field: item[field] for field in fields}} for item in data["agencies"])
    return reference_upsert(model, kind="board_agencies", key="code", rows=rows, fields=fields)


def reference_load_all(*, overwrite: bool = False) -> list[LoadResult]:
    """Everything, in dependency order, in one transaction (all or nothing). ``overwrite`` also
    rewrites what administrators edit (points, holidays) from the files."""
    loaders: list[Callable[[], LoadResult]] = [
        reference_load_provinces,
        lambda: reference_load_points(overwrite=overwrite),
        reference_load_wto_members,
        lambda: reference_load_holidays(overwrite=overwrite),
        reference_load_hs,
        reference_load_ics,
        reference_load_board_agencies,
    ]
    with transaction.atomic():
        return [load() for load in loaders]


# --- Who may browse ---------------------------------------------------------------------------
def reference_may_browse(user: Any) -> bool:
    """Officials of every point, the Board and administrators read the reference tables (HS, ICS,
    WTO members, provinces, holidays); businesses and anonymous visitors do not (the directory of
    points is their view of the network). The rule itself is the network policy's ``is_official``."""
    return is_official(user)


# --- Reads ------------------------------------------------------------------------------------
HS_CODE_RE = re.compile(r"^\d[\d.]*$")
ICS_CODE_RE = re.compile(r"^\d{2}(\.\d{0,3}){0,2}$")
WORD_SPLIT_RE = re.compile(r"[\s(),;.'-]+")


def _split_query(q: str, code_re: re.Pattern[str]) -> tuple[list[str], list[str]]:
    """Words of a query: those that look like a code, and the others (folded)."""
    codes, words = [], []
    for token in (q or "").split()[:10]:
        if code_re.match(token):
            codes.append(token)
        else:
            words.extend(fold(token).split())
    return codes, words


def _word_starts(word: str) -> Q:
    """``word`` starts a word of ``search_text`` (folded, space-separated): "te" finds "y te" but
    not "viet"; a plain substring match would find far too much for short words."""
    return Q(search_text__startswith=word) | Q(search_text__contains=f" {word}") | Q(search_text__contains=f"({word}")


def _words_filter(qs: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    for word in words:
        qs = qs.filter(_word_starts(word))
    return qs


def points_search(q: str = "", *, level: str = "") -> QuerySet[Point]:
    """Active points; ``q`` matches without diacritics ("ha noi" finds "Hà Nội")."""
    qs = Point.objects.filter(is_active=True).select_related("province")
    if level:
        qs = qs.filter(level=level)
    return _words_filter(qs, fold(q).split()[:10])


def hs_search(q: str = "", *, level: int | None = None, parent: str = "") -> QuerySet[HSCode]:
    """HS codes by code prefix ("8517", "8517.13", "85.17") and/or words of the description."""
    codes, words = _split_query(q, HS_CODE_RE)
    qs = HSCode.objects.all()
    for code in codes:
        qs = qs.filter(code__startswith=code.replace(".", ""))
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent=parent)
    return _words_filter(qs, words)


def ics_search(q: str = "", *, level: int | None = None, parent: str = "") -> QuerySet[ICSCode]:
    """ICS codes by code prefix ("13", "13.040", "13.040.20") and/or words of the title and notes."""
    codes, words = _split_query(q, ICS_CODE_RE)
    qs = ICSCode.objects.all()
    for code in codes:
        qs = qs.filter(code__startswith=code)
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent=parent)
    return _words_filter(qs, words)


def _small_table_search(qs: QuerySet[Any], q: str, text: Callable[[Any], str]) -> QuerySet[Any]:
    """Diacritic-insensitive search over a small table (166 WTO members, 34 provinces) that has no
    ``search_text`` column: fold in Python, then filter by primary key to stay a queryset. Each word
    of the query must start a word of the row ("eu" finds the European Union, not "DEU")."""
    words = [w for w in WORD_SPLIT_RE.split(fold(q)) if w][:10]
    if not words:
        return qs
    ids = []
    for obj in qs:
        row_words = WORD_SPLIT_RE.split(fold(text(obj)))
        if all(any(rw.startswith(word) for rw in row_words) for word in words):
            ids.append(obj.pk)
    return qs.filter(pk__in=ids)


def wto_members_search(q: str = "") -> QuerySet[WTOMember]:
    return _small_table_search(
        WTOMember.objects.all(), q, lambda m: f"{m.code} {m.iso2} {m.iso_numeric} {m.name_en} {m.name_vi}"
    )


def provinces_search(q: str = "") -> QuerySet[Province]:
    qs = Province.objects.select_related("point")
    return _small_table_search(
        qs, q, lambda p: f"{p.gso_code} {p.name_vi} {p.name_en} {p.full_name_vi} {p.full_name_en}"
    )


def holidays_list(year: int | None = None) -> QuerySet[Holiday]:
    qs = Holiday.objects.all()
    return qs.filter(date__year=year) if year else qs


def hs_display(code: str) -> str:
    """HS notation: chapter "85", heading "85.17", subheading "8517.13"."""
    if len(code) == 4:
        return f"{code[:2]}.{code[2:]}"
    if len(code) == 6:
        return f"{code[:4]}.{code[4:]}"
    return code
