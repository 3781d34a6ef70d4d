"""Search over public notifications, the same on PostgreSQL and SQLite.

Query language (``q``): words are matched whole, insensitive to case and Vietnamese diacritics
("tieu chuan" finds "tiêu chuẩn"), all must match; the last word also matches as a prefix ("choi"
… "chơi", "toy" … "toys"); ``-word`` excludes; a chunk with a slash, colon or dot between letters
or digits ("VNM/29", "TRIS:2020:0123", "8517.13") matches as a fragment anywhere in the symbol,
identifier or text.

- PostgreSQL: words go to ``search_vector @@ to_tsquery('tbt', 'w1 & w2 & last:*')`` (GIN; the
  ``tbt`` configuration unaccents, see migration 0002_search); fragments to ``search_text LIKE``
  (GIN trigram); relevance is ``ts_rank`` over at most NOTIFICATION_SEARCH_RANK_CANDIDATES of the most
  recent matches; HS/ICS prefixes are indexed tokens ("hs8517:*").
- SQLite: the folded ``search_text`` with word-boundary regular expressions; relevance scored in
  Python over the same bounded candidate set.
Counts are exact up to NOTIFICATION_SEARCH_COUNT_CAP and "cap+" beyond: counted over a
``LIMIT cap + 1`` subquery, never unbounded.

``search_page`` keeps what a search found (the count and the ids of the page) in Django's cache for
NOTIFICATION_SEARCH_CACHE_SECONDS, under a version that every change of a notification bumps (see
``search_cache_invalidate``); the rows themselves are read fresh each time.

``notification_search_text(n)`` gives the folded text kept in ``Notification.search_text``; every
code path that saves a notification's searchable fields calls it.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, QuerySet
from django.db.models.expressions import OrderBy, RawSQL
from django.utils import timezone

from network.text import fold
from tbt_portal.cache_versions import CacheVersion, versioned

from .models import Notification

logger = logging.getLogger(__name__)

SEARCH_FIELDS = ("symbol", "external_id", "title", "title_vi", "summary_vi", "description", "products_text", "keywords")
# ts_rank-like weights for the SQLite path (A = 1.0, B = 0.4, C = 0.2).
FIELD_WEIGHTS = {
    "symbol": 1.0,
    "external_id": 1.0,
    "title": 1.0,
    "title_vi": 1.0,
    "summary_vi": 0.4,
    "products_text": 0.4,
    "description": 0.2,
    "keywords": 0.2,
}
MAX_TERMS = 12
# Up to this many matches, a page sorted by date is cut from the matches' ids fetched first: a
# planner estimating a rare term as common would otherwise walk the whole date index for them.
SMALL_MATCH_SET = 2000
# Up to this many matches, a fragment search fetches the matches' ids first and counts them itself.
FEW_MATCHES = 200
MAX_QUERY_LENGTH = 200
TABLE = Notification._meta.db_table

SORT_NEWEST = "newest"
SORT_DEADLINE = "deadline"
SORT_RELEVANCE = "relevance"
SORTS = (SORT_NEWEST, SORT_DEADLINE, SORT_RELEVANCE)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value if v is not None)
    return str(value)


def notification_search_text(n: Any) -> str:
    """The folded text of a notification (symbol, source identifier, titles, Vietnamese summary,
    description, products, keywords) for the SQLite search path and the trigram index."""
    return fold(" ".join(_as_text(getattr(n, name, "")) for name in SEARCH_FIELDS))


# --- Query parsing ----------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W_]+")
_FRAGMENT = re.compile(r"[^\W_][/:.][^\W_]")


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    prefix: str = ""
    excluded: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.words or self.prefix or self.excluded or self.fragments)

    @property
    def positive(self) -> list[str]:
        return self.words + ([self.prefix] if self.prefix else [])

    def tsquery(self) -> str:
        """A to_tsquery() string built only from [^\\W_]+ tokens: no operator can be injected."""
        parts = list(self.words)
        if self.prefix:
            parts.append(f"{self.prefix}:*")
        parts += [f"!{w}" for w in self.excluded]
        return " & ".join(parts)


def parse_query(q: str) -> ParsedQuery:
    parsed = ParsedQuery()
    chunks = fold(q or "")[:MAX_QUERY_LENGTH].split()
    last_positive_chunk = -1
    for index, chunk in enumerate(chunks):
        negative = chunk.startswith("-") and len(chunk) > 1
        body = chunk[1:] if negative else chunk
        if not negative and _FRAGMENT.search(body):
            fragment = body.strip(".,;:!?\"'()[]")
            if len(fragment) >= 3:
                parsed.fragments.append(fragment)
                continue
        tokens = _WORD.findall(body)
        if negative:
            parsed.excluded += tokens
        else:
            parsed.words += tokens
            if tokens:
                last_positive_chunk = index
    # The word being typed last is matched as a prefix (two letters at least: "a:*" matches everything).
    if parsed.words and last_positive_chunk == len(chunks) - 1 and len(parsed.words[-1]) >= 2:
        parsed.prefix = parsed.words.pop()
    # Bounded work: at most MAX_TERMS terms, duplicates removed.
    parsed.words = list(dict.fromkeys(parsed.words))[:MAX_TERMS]
    parsed.excluded = list(dict.fromkeys(parsed.excluded))[:MAX_TERMS]
    parsed.fragments = list(dict.fromkeys(parsed.fragments))[:MAX_TERMS]
    return parsed


# --- Parameters -------------------------------------------------------------------------------------
@dataclass
class SearchParams:
    q: str = ""
    direction: str = ""
    source: str = ""
    member: str = ""  # WTOMember.code
    hs: str = ""
    ics: str = ""
    objective: str = ""
    open: bool = False
    dist_from: date | None = None
    dist_to: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != SORT_RELEVANCE or not parse_query(self.q).empty):
            return self.sort
        return SORT_RELEVANCE if not parse_query(self.q).empty else SORT_NEWEST


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def public_notifications() -> QuerySet[Notification]:
    """Partners' notifications, and Vietnam's once notified: drafts are never public."""
    return Notification.objects.filter(
        Q(direction=Notification.Direction.IN)
        | Q(direction=Notification.Direction.OUT, state=Notification.State.NOTIFIED)
    )


def _code_token(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(value))


def _raw(sql: str, params: list[Any], output_field: Any = None) -> RawSQL:
    """Raw SQL whose identifiers are this module's constants; user input only ever in ``params``."""
    return RawSQL(sql, params, output_field=output_field or BooleanField())  # noqa: S611


def _column(name: str) -> str:
    # Unqualified on purpose: inside a subquery Django aliases the table (U0), and a name qualified
    # with the table would then point at the outer query. The names are unique to this table.
    return f'"{name}"'


SEARCH_VECTOR = _column("search_vector")


def _json_list_has(column: str, value: str, *, prefix: bool = False) -> RawSQL:
    """EXISTS an element of a JSON list column equal to (or, for codes, starting with) value."""
    col = _column(column)
    if _postgres():
        if prefix:
            sql = (
                "EXISTS (SELECT 1 FROM jsonb_array_elements_text(" + col + ") AS e "  # noqa: S608
                "WHERE lower(regexp_replace(e, '[^0-9A-Za-z]', '', 'g')) LIKE %s)"
            )
            return _raw(sql, [value + "%"])
        return _raw(col + " @> jsonb_build_array(%s::text)", [value])
    if prefix:
        sql = (
            "EXISTS (SELECT 1 FROM json_each(" + col + ") "  # noqa: S608
            "WHERE lower(replace(replace(replace(value, '.', ''), ' ', ''), '-', '')) LIKE %s)"
        )
        return _raw(sql, [value + "%"])
    return _raw("EXISTS (SELECT 1 FROM json_each(" + col + ") WHERE value = %s)", [value])  # noqa: S608


def _code_prefix(column: str, token_prefix: str, value: str) -> Any:
    code = _code_token(value)
    if not code:
        return None
    if _postgres():
        # Indexed: the trigger stores "hs851713" / "ics1322020" tokens in search_vector.
        return _raw(SEARCH_VECTOR + " @@ to_tsquery('simple', %s)", [f"{token_prefix}{code}:*"])
    return _json_list_has(column, code, prefix=True)


def _word_regex(word: str, *, prefix: bool = False) -> str:
    return rf"(?<![^\W_]){re.escape(word)}" + ("" if prefix else r"(?![^\W_])")


def _text_filter(qs: QuerySet[Notification], parsed: ParsedQuery) -> QuerySet[Notification]:
    for fragment in parsed.fragments:
        qs = qs.filter(search_text__contains=fragment)
    if not (parsed.words or parsed.prefix or parsed.excluded):
        return qs
    if _postgres():
        return qs.filter(_raw(SEARCH_VECTOR + " @@ to_tsquery('tbt', %s)", [parsed.tsquery()]))
    for word in parsed.words:
        qs = qs.filter(search_text__contains=word, search_text__regex=_word_regex(word))
    if parsed.prefix:
        qs = qs.filter(search_text__contains=parsed.prefix, search_text__regex=_word_regex(parsed.prefix, prefix=True))
    for word in parsed.excluded:
        qs = qs.exclude(search_text__regex=_word_regex(word))
    return qs


def filtered(params: SearchParams, base: QuerySet[Notification] | None = None) -> QuerySet[Notification]:
    """Public notifications matching the query and the filters (unordered)."""
    qs = public_notifications() if base is None else base
    if params.direction:
        qs = qs.filter(direction=params.direction)
    if params.source:
        qs = qs.filter(source=params.source)
    if params.member:
        qs = qs.filter(member__code=params.member)
    for column, token, value in (("hs_codes", "hs", params.hs), ("ics_codes", "ics", params.ics)):
        if value:
            condition = _code_prefix(column, token, value)
            if condition is not None:
                qs = qs.filter(condition)
    if params.objective:
        qs = qs.filter(_json_list_has("objectives", params.objective))
    if params.open:
        qs = qs.filter(comment_deadline__gte=timezone.localdate())
    if params.dist_from:
        qs = qs.filter(distribution_date__gte=params.dist_from)
    if params.dist_to:
        qs = qs.filter(distribution_date__lte=params.dist_to)
    if params.deadline_from:
        qs = qs.filter(comment_deadline__gte=params.deadline_from)
    if params.deadline_to:
        qs = qs.filter(comment_deadline__lte=params.deadline_to)
    return _text_filter(qs, parse_query(params.q))


def newest_order() -> list[OrderBy | str]:
    return [F("distribution_date").desc(nulls_last=True), "-id"]


def deadline_order() -> list[OrderBy | str]:
    return [F("comment_deadline").asc(nulls_last=True), "id"]


def ordered(params: SearchParams, qs: QuerySet[Notification] | None = None) -> QuerySet[Notification]:
    """The matches in list order; "relevance" lists newest first here (exports, feeds)."""
    qs = filtered(params) if qs is None else qs
    if params.effective_sort == SORT_DEADLINE:
        return qs.order_by(*deadline_order())
    return qs.order_by(*newest_order())


def count_capped(qs: QuerySet[Any], cap: int | None = None) -> tuple[int, bool]:
    """(count, more): exact up to cap; (cap, True) when there are more. SELECT COUNT(*) FROM
    (... LIMIT cap + 1): the database stops after cap + 1 rows."""
    cap = cap or settings.NOTIFICATION_SEARCH_COUNT_CAP
    # The SQL written out rather than through QuerySet.count(): the same statement, without the
    # ORM's aggregation machinery on the list page's every request.
    try:
        inner, params = qs.order_by().values("pk")[: cap + 1].query.sql_with_params()
    except EmptyResultSet:  # a condition nothing can meet (an empty id list): no query to run
        return 0, False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({inner}) capped", params)  # noqa: S608 - Django's own SQL
        row = cursor.fetchone()
    n = int(row[0]) if row else 0
    return (cap, True) if n > cap else (n, False)


# --- Relevance --------------------------------------------------------------------------------------
def _ranked_ids(qs: QuerySet[Notification], parsed: ParsedQuery) -> list[int]:
    """Ids of the rank candidates (the most recent matches, bounded) best first."""
    limit = settings.NOTIFICATION_SEARCH_RANK_CANDIDATES
    return _rank(qs.order_by(*newest_order()).values("pk")[:limit], parsed)


def _rank(candidates: QuerySet[Any] | list[int], parsed: ParsedQuery) -> list[int]:
    """The candidates (a query of their ids, or the ids newest first) best first; equal scores keep
    the newest first."""
    if _postgres():
        if not (parsed.words or parsed.prefix):
            return list(candidates.values_list("pk", flat=True)) if isinstance(candidates, QuerySet) else candidates
        rank = _raw("ts_rank(" + SEARCH_VECTOR + ", to_tsquery('tbt', %s))", [parsed.tsquery()], FloatField())
        return list(
            Notification.objects.filter(pk__in=candidates)
            .annotate(rank=rank)
            .order_by("-rank", *newest_order())
            .values_list("pk", flat=True)
        )
    rows = list(Notification.objects.filter(pk__in=candidates).order_by(*newest_order()).values("pk", *SEARCH_FIELDS))
    terms = parsed.positive + parsed.fragments

    def score(row: dict[str, Any]) -> float:
        total = 0.0
        for term in terms:
            best = 0.0
            for name, weight in FIELD_WEIGHTS.items():
                if weight > best and term in fold(_as_text(row.get(name))):
                    best = weight
            total += best
        return total

    # Stable: equal scores keep the newest-first order of the candidates.
    return [row["pk"] for row in sorted(rows, key=score, reverse=True)]


# --- The page ---------------------------------------------------------------------------------------
@dataclass
class SearchPage:
    items: list[Notification]
    count: int
    more: bool  # more than ``count`` matches (count is the cap)
    number: int
    num_pages: int
    page_size: int
    sort: str
    ranked_only: int | None = None  # relevance: only this many candidates are listed

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return 0 if not self.items else (self.number - 1) * self.page_size + 1

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.page_size + len(self.items)


def _match_ids(qs: QuerySet[Notification], limit: int) -> list[int] | None:
    """The ids of all the matches when there are at most ``limit`` of them, else None."""
    ids = list(qs.order_by().values_list("pk", flat=True)[: limit + 1])
    return ids if len(ids) <= limit else None


Match = tuple[int, date | None, date | None]  # id, distribution date, comment deadline
_ORDER_SQL = {
    SORT_NEWEST: "distribution_date DESC NULLS LAST, id DESC",  # newest_order()
    SORT_DEADLINE: "comment_deadline ASC NULLS LAST, id ASC",  # deadline_order()
}


def _text_matches(
    qs: QuerySet[Notification], limit: int, sort: str, offset: int, size: int
) -> tuple[int, list[int] | None]:
    """(count, the ids from ``offset`` to ``offset + size`` in ``sort`` order) when at most ``limit``
    rows match, else (``limit`` + 1, None). A text search's matches lie scattered over the table: one
    pass of the text index fetches them (never more than ``limit`` + 1) and serves as the count and
    the order. On PostgreSQL they are counted and ordered in the database and only the ids asked for
    come back."""
    matches = qs.order_by().values("id", "distribution_date", "comment_deadline")[: limit + 1]
    if _postgres():
        inner, params = matches.query.sql_with_params()
        sql = (
            f"WITH m AS ({inner}) SELECT (SELECT COUNT(*) FROM m), "  # noqa: S608 - Django's SQL, fixed order
            f"ARRAY(SELECT id FROM m ORDER BY {_ORDER_SQL[sort]} LIMIT %s OFFSET %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, size, offset])
            row = cursor.fetchone()
        count, ids = row if row is not None else (0, [])
        return (count, None) if count > limit else (count, list(ids))
    rows: list[Match] = [(m["id"], m["distribution_date"], m["comment_deadline"]) for m in matches]
    if len(rows) > limit:
        return len(rows), None
    return len(rows), _in_order(rows, sort)[offset : offset + size]


def _in_order(matches: list[Match], sort: str) -> list[int]:
    """The ids in the order of newest_order() or deadline_order() (nulls last, then by id)."""
    if sort == SORT_DEADLINE:
        return [m[0] for m in sorted(matches, key=lambda m: (m[2] is None, m[2].toordinal() if m[2] else 0, m[0]))]
    return [m[0] for m in sorted(matches, key=lambda m: (m[1] is None, -m[1].toordinal() if m[1] else 0, -m[0]))]


# What the list page shows of each item (notifications/templatetags/notif_search.py): the long
# texts (descriptions, the search text and vector) are left in the database.
LIST_FIELDS = (
    "public_id",
    "direction",
    "source",
    "external_id",
    "symbol",
    "followup_kind",
    "member",
    "title",
    "title_vi",
    "products_text",
    "hs_codes",
    "comment_deadline",
    "distribution_date",
)


def search_page(
    params: SearchParams, page: int = 1, page_size: int | None = None, *, fields: tuple[str, ...] = ()
) -> SearchPage:
    """One page of matches; ``fields`` (e.g. LIST_FIELDS) limits the columns read for the items.

    What the search found is served from the result cache when it is on and still current."""
    page_size = page_size or settings.NOTIFICATION_SEARCH_PAGE_SIZE
    if settings.NOTIFICATION_SEARCH_CACHE_SECONDS <= 0:
        return _search_page(params, page, page_size, fields)
    try:
        return _search_page_cached(params, page, page_size, fields)
    except Exception:  # the cache unreachable: search as without it
        logger.warning("Search result cache unavailable", exc_info=True)
        return _search_page(params, page, page_size, fields)


# --- the result cache ---------------------------------------------------------------------------
# Keyed by the database (a benchmark database and the portal's may share a cache), the parameters,
# the page and today's date ("open for comments" moves with it) and the settings that shape a page.
# The version lives under a key of the same database, so a change in one never serves another's.
def _cache_prefix() -> str:
    db = connection.settings_dict
    where = f"{db['ENGINE']}|{db.get('HOST')}|{db.get('PORT')}|{db['NAME']}"
    return "notif-search:" + hashlib.sha256(where.encode()).hexdigest()[:16]


def search_cache_version() -> CacheVersion:
    return CacheVersion(_cache_prefix() + ":version")


def search_cache_invalidate(*, using: str | None = None, **_kwargs: Any) -> None:
    """Discard every cached search: a post_save/post_delete receiver of Notification (apps.py), and
    called by the code that writes notifications in bulk (imports), which sends no signals."""
    search_cache_version().invalidate(using=using)


def _search_page_cached(params: SearchParams, page: int, page_size: int, fields: tuple[str, ...]) -> SearchPage:
    shape = (
        params,
        page,
        page_size,
        timezone.localdate(),
        settings.NOTIFICATION_SEARCH_COUNT_CAP,
        settings.NOTIFICATION_SEARCH_RANK_CANDIDATES,
    )
    version = search_cache_version()
    key = f"{version.key}:result:{hashlib.sha256(repr(shape).encode()).hexdigest()}"
    computed: list[SearchPage] = []

    def found() -> tuple[dict[str, Any], list[int]]:
        result = _search_page(params, page, page_size, fields)
        computed.append(result)
        meta = {name: getattr(result, name) for name in _PAGE_META}
        return meta, [n.pk for n in result.items]

    kept = versioned(version, key, found, settings.NOTIFICATION_SEARCH_CACHE_SECONDS)
    if computed:
        return computed[0]
    assert kept is not None
    meta, ids = kept
    return SearchPage(items=_items(ids, fields), **meta)


_PAGE_META = ("count", "more", "number", "num_pages", "page_size", "sort", "ranked_only")


def _items(ids: list[int], fields: tuple[str, ...]) -> list[Notification]:
    """The notifications of ``ids`` in that order, with their member (``fields`` only, if given)."""
    if not ids:
        return []
    rows = Notification.objects.select_related("member")
    if fields:
        rows = rows.only(*fields, "member__code", "member__name_en", "member__name_vi")
    by_id = rows.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _search_page(params: SearchParams, page: int, page_size: int, fields: tuple[str, ...]) -> SearchPage:
    qs = filtered(params)
    parsed = parse_query(params.q)
    sort = params.effective_sort
    rank_limit = settings.NOTIFICATION_SEARCH_RANK_CANDIDATES
    # A text search up to the count cap (a fragment, whose trigram candidates are rechecked: up to
    # FEW_MATCHES) is counted and ordered from one pass of its matches (_text_matches). Otherwise
    # (more matches, or filters only) the capped count, then the page in the database's order.
    limit = FEW_MATCHES if parsed.fragments else (settings.NOTIFICATION_SEARCH_COUNT_CAP if parsed.positive else 0)
    wanted = max(1, page)
    found: list[int] | None = None
    if limit:
        if sort == SORT_RELEVANCE:  # the rank candidates: the most recent matches
            count, found = _text_matches(qs, limit, SORT_NEWEST, 0, rank_limit)
        else:
            count, found = _text_matches(qs, limit, sort, (wanted - 1) * page_size, page_size)
        more = False
        if found is None and limit == settings.NOTIFICATION_SEARCH_COUNT_CAP:
            count, more = limit, True  # more than the count cap: "cap+"
        elif found is None:  # more than a fragment search reads at once: counted the general way
            count, more = count_capped(qs)
    else:
        count, more = count_capped(qs)
    ranked_only = None
    listable = count
    if sort == SORT_RELEVANCE:
        ranked_only = rank_limit
        listable = min(count, ranked_only)
    num_pages = max(1, math.ceil(listable / page_size))
    number = min(wanted, num_pages)
    offset = (number - 1) * page_size
    if found is not None and sort == SORT_RELEVANCE:
        items = _items(_rank(found, parsed)[offset : offset + page_size], fields)
    elif found is not None:
        if number != wanted:  # a page past the last: the last page instead
            found = _text_matches(qs, limit, sort, offset, page_size)[1] or []
        items = _items(found, fields)
    elif sort == SORT_RELEVANCE:
        items = _items(_ranked_ids(qs, parsed)[offset : offset + page_size], fields)
    else:
        # Few matches of the filters: fetch their ids through the indexes, then order only them
        # (see SMALL_MATCH_SET). Never more than SMALL_MATCH_SET + 1 ids.
        ids = _match_ids(qs, SMALL_MATCH_SET) if count <= SMALL_MATCH_SET and not more else None
        base = Notification.objects.filter(pk__in=ids) if ids is not None else qs
        rows = ordered(params, base).select_related("member")
        if fields:
            rows = rows.only(*fields, "member__code", "member__name_en", "member__name_vi")
        items = list(rows[offset : offset + page_size])
    return SearchPage(
        items=items,
        count=count,
        more=more,
        number=number,
        num_pages=num_pages,
        page_size=page_size,
        sort=sort,
        ranked_only=ranked_only if (ranked_only is not None and count > ranked_only) else None,
    )
