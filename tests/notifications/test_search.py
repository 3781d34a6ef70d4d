"""Search semantics (run on SQLite and on PostgreSQL: the same expectations hold on both)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from notifications.search import (
    SearchParams,
    count_capped,
    filtered,
    notification_search_text,
    ordered,
    parse_query,
    public_notifications,
    search_page,
)
from tests.notifications import search_helpers
from tests.notifications.search_helpers import PUBLIC_KEYS, make_notification

pytestmark = pytest.mark.django_db
corpus = search_helpers.corpus
members = search_helpers.members


def keys(corpus: dict[str, Notification], **params: object) -> set[str]:
    found = set(filtered(SearchParams(**params)).values_list("pk", flat=True))  # type: ignore[arg-type]
    return {k for k, n in corpus.items() if n.pk in found}


def test_search_text_is_folded(corpus):
    assert "do choi tre em" in corpus["tris"].search_text
    assert notification_search_text(corpus["chn"]).startswith("g/tbt/n/chn/1278")


@pytest.mark.parametrize("q", ["tieu chuan", "TIÊU CHUẨN", "Tiêu Chuan", "tiêu chuẩn"])
def test_diacritics_and_case_do_not_matter(corpus, q):
    assert keys(corpus, q=q) == {"chn", "usa"}


def test_do_choi_finds_do_choi_but_never_a_draft(corpus):
    assert keys(corpus, q="do choi") == {"tris"}
    assert keys(corpus, q="đồ chơi") == {"tris"}


def test_last_word_matches_as_prefix(corpus):
    assert keys(corpus, q="xi mang poo") == {"chn"}
    assert keys(corpus, q="toy") == {"usa", "eu"}
    assert keys(corpus, q="biolog") == {"jpn"}


def test_other_words_match_whole(corpus):
    # "cho" is not the last word: it must be a whole word, and "choi" is not "cho".
    assert keys(corpus, q="cho tre") == set()
    assert keys(corpus, q="choi tre") == {"tris"}


def test_all_words_must_match(corpus):
    assert keys(corpus, q="toys safety") == {"usa"}
    assert keys(corpus, q="toys cement") == set()


def test_excluded_word(corpus):
    assert keys(corpus, q="tieu chuan -portland") == {"usa"}


def test_symbol_fragments(corpus):
    assert keys(corpus, q="VNM/29") == {"vnm29", "vnm298"}
    assert keys(corpus, q="G/TBT/N/CHN/1278") == {"chn"}
    assert keys(corpus, q="tbt/n/jpn") == {"jpn"}


def test_tris_identifier(corpus):
    assert keys(corpus, q="TRIS:2020:0123") == {"tris"}
    assert keys(corpus, q="2020 0123") == {"tris"}


def test_empty_query_lists_every_public_notification(corpus):
    assert keys(corpus) == PUBLIC_KEYS


def test_drafts_are_never_public(corpus):
    public = set(public_notifications().values_list("pk", flat=True))
    for key, n in corpus.items():
        assert (n.pk in public) == (key in PUBLIC_KEYS), key
    assert keys(corpus, q="bi mat") == set()
    assert keys(corpus, direction="out") == {"vnm298", "vnm29"}


def test_filters(corpus):
    today = timezone.localdate()
    assert keys(corpus, direction="in") == {"jpn", "chn", "tris", "usa", "eu"}
    assert keys(corpus, source="tris") == {"tris"}
    assert keys(corpus, member="FRA") == {"tris"}
    assert keys(corpus, member="VNM") == {"vnm298", "vnm29"}
    assert keys(corpus, hs="8517") == {"vnm298"}
    assert keys(corpus, hs="8517.13") == {"vnm298"}
    assert keys(corpus, hs="2523.2") == {"chn"}
    assert keys(corpus, hs="25") == {"chn"}
    assert keys(corpus, hs="9") == set()
    assert keys(corpus, ics="91.100") == {"chn"}
    assert keys(corpus, objective="human_health") == {"jpn", "usa"}
    assert keys(corpus, objective="consumer_information") == {"usa"}
    assert keys(corpus, open=True) == {"tris", "usa"}
    assert keys(corpus, dist_from=date(2018, 1, 1), dist_to=date(2018, 12, 31)) == {"jpn", "chn"}
    assert keys(corpus, deadline_from=today, deadline_to=today + timedelta(days=40)) == {"tris"}
    assert keys(corpus, q="toys", open=True) == {"usa"}


def test_parse_query():
    parsed = parse_query("Tiêu chuẩn -xi G/TBT/N/VNM/29 đồ chơ")
    assert parsed.words == ["tieu", "chuan", "do"]
    assert parsed.prefix == "cho"
    assert parsed.excluded == ["xi"]
    assert parsed.fragments == ["g/tbt/n/vnm/29"]
    # Operators of to_tsquery never come from the user.
    assert parse_query("a & b | !c <-> dd:*").tsquery() == "a & b & c & dd:*"
    assert parse_query("   ").empty


def test_sort_newest_and_deadline(corpus):
    page = search_page(SearchParams(sort="newest"), 1, 100)
    dates = [n.distribution_date for n in page.items]
    assert dates == sorted(dates, reverse=True)
    page = search_page(SearchParams(sort="deadline"), 1, 100)
    deadlines = [n.comment_deadline for n in page.items]
    with_deadline = [d for d in deadlines if d is not None]
    assert with_deadline == sorted(with_deadline)
    assert deadlines[-len(deadlines) + len(with_deadline) :] == [None] * (len(deadlines) - len(with_deadline))


def test_relevance_puts_title_matches_first(corpus):
    page = search_page(SearchParams(q="toys"), 1, 10)
    assert page.sort == "relevance"
    assert [n.pk for n in page.items] == [corpus["usa"].pk, corpus["eu"].pk]


@pytest.mark.parametrize("sort", ["newest", "deadline"])
def test_few_matches_are_ordered_from_their_ids_with_the_same_result(corpus, monkeypatch, sort):
    """Up to SMALL_MATCH_SET matches, the page is cut from the matches' ids (a plan that stays
    fast for rare terms on a large table); the pages are the same as on the general path."""
    from notifications import search

    def pages() -> list[list[int]]:
        return [[n.pk for n in search_page(SearchParams(sort=sort), number, 3).items] for number in (1, 2, 3)]

    monkeypatch.setattr(search, "SMALL_MATCH_SET", 0)
    general = pages()
    monkeypatch.setattr(search, "SMALL_MATCH_SET", 100)
    with CaptureQueriesContext(connection) as queries:
        small = pages()
    assert small == general and sum(len(p) for p in small) == 7
    assert any(" IN (" in q["sql"].upper() for q in queries.captured_queries)


def no_count_query(*args: object) -> None:
    raise AssertionError("a separate count query")


@pytest.mark.parametrize("sort", ["relevance", "newest", "deadline"])
def test_a_fragment_search_with_few_matches_counts_its_ids_without_a_count_query(corpus, monkeypatch, sort):
    from notifications import search

    params = SearchParams(q="TBT/N", sort=sort)
    monkeypatch.setattr(search, "FEW_MATCHES", 0)
    monkeypatch.setattr(search, "SMALL_MATCH_SET", 0)
    general = search_page(params, 1, 10)
    monkeypatch.setattr(search, "FEW_MATCHES", 200)
    monkeypatch.setattr(search, "count_capped", no_count_query)
    few = search_page(params, 1, 10)
    assert [n.pk for n in few.items] == [n.pk for n in general.items] and len(few.items) > 2
    assert (few.count, few.more) == (general.count, general.more) == (len(few.items), False)


def test_default_sort_without_query_is_newest(corpus):
    assert search_page(SearchParams(), 1).sort == "newest"
    assert search_page(SearchParams(sort="relevance"), 1).sort == "newest"


def test_pagination(corpus):
    first = search_page(SearchParams(sort="newest"), 1, 3)
    second = search_page(SearchParams(sort="newest"), 2, 3)
    last = search_page(SearchParams(sort="newest"), 99, 3)
    assert first.count == 7 and first.num_pages == 3 and first.has_next and not first.has_previous
    assert {n.pk for n in first.items}.isdisjoint({n.pk for n in second.items})
    assert last.number == 3 and len(last.items) == 1 and not last.has_next


def test_count_is_exact_up_to_the_cap_and_capped_beyond(corpus, settings):
    qs = public_notifications()
    assert count_capped(qs, 10) == (7, False)
    assert count_capped(qs, 7) == (7, False)
    assert count_capped(qs, 6) == (6, True)
    with CaptureQueriesContext(connection) as queries:
        count_capped(qs, 6)
    sql = queries.captured_queries[-1]["sql"].upper()
    assert "COUNT(" in sql and "LIMIT 7" in sql  # never an unbounded count
    settings.NOTIFICATION_SEARCH_COUNT_CAP = 5
    page = search_page(SearchParams(), 1, 2)
    assert (page.count, page.more, page.num_pages) == (5, True, 3)
    # a condition nothing can meet is counted without a query
    with CaptureQueriesContext(connection) as queries:
        assert count_capped(qs.filter(pk__in=[]), 6) == (0, False)
    assert queries.captured_queries == []
    assert count_capped(qs.filter(member__code="NONE"), 6) == (0, False)


def test_relevance_ranks_a_bounded_candidate_set(corpus, settings):
    settings.NOTIFICATION_SEARCH_RANK_CANDIDATES = 50
    for i in range(60):
        make_notification(
            symbol=f"G/TBT/N/KOR/{i + 1}",
            member="KOR",
            title=f"Toys rule {i}",
            distribution_date=date(2010, 1, 1) + timedelta(days=i),
        )
    page = search_page(SearchParams(q="toys"), 1, 20)
    assert page.count == 62 and page.ranked_only == 50 and page.num_pages == 3
    assert search_page(SearchParams(q="toys"), 3, 20).items  # the last ranked page is listed
    assert search_page(SearchParams(q="toys", sort="newest"), 4, 20).items  # newest lists them all


def test_new_vietnamese_text_is_searchable_after_saving(members):
    n = make_notification(symbol="G/TBT/N/THA/700", member="THA", title="Rice")
    assert not filtered(SearchParams(q="gao")).exists()
    n.title_vi = "Gạo"
    n.search_text = notification_search_text(n)
    n.save()
    assert list(filtered(SearchParams(q="gao"))) == [n]


def test_relevance_candidates_are_the_matches_not_the_newest_rows(members, settings):
    # Regression: the ranking subquery must filter its own rows (not the outer query's).
    settings.NOTIFICATION_SEARCH_RANK_CANDIDATES = 50
    for i in range(60):
        make_notification(
            symbol=f"G/TBT/N/IND/{i + 1}",
            member="IND",
            title=f"Steel bars {i}",
            distribution_date=date(2025, 1, 1) + timedelta(days=i),
        )
    older = [
        make_notification(
            symbol=f"G/TBT/N/PER/{i + 1}",
            member="PER",
            title="Quinoa labelling",
            distribution_date=date(2001, 1, 1) + timedelta(days=i),
        )
        for i in range(3)
    ]
    page = search_page(SearchParams(q="quinoa"), 1, 20)
    assert [n.pk for n in page.items] == [n.pk for n in reversed(older)]
    assert search_page(SearchParams(q="quinoa", hs="", objective=""), 1, 20).count == 3


@pytest.mark.parametrize("sort", ["relevance", "newest", "deadline"])
def test_a_word_search_orders_its_matches_as_the_database_would(members, settings, monkeypatch, sort):
    """Up to the count cap a word search reads its matches' ids and dates in one pass and orders them
    itself: the pages, with equal dates and missing dates, are those of the database's order."""
    from notifications import search

    dates = [date(2024, 3, 1), date(2024, 3, 1), None, date(2023, 1, 9), None, date(2025, 6, 30)]
    for i in range(18):
        make_notification(
            symbol=f"G/TBT/N/BRA/{i + 1}",
            member="BRA",
            title=f"Tyres {'and tubes ' * (i % 3)}{i}",
            distribution_date=dates[i % len(dates)],
            comment_deadline=dates[(i + 2) % len(dates)],
        )
    make_notification(symbol="G/TBT/N/BRA/99", member="BRA", title="Cement")
    settings.NOTIFICATION_SEARCH_RANK_CANDIDATES = 12

    def pages(q: str) -> list[tuple[int, bool, list[int]]]:
        found = [search_page(SearchParams(q=q, sort=sort), number, 5) for number in (1, 2, 3, 4)]
        return [(p.count, p.more, [n.pk for n in p.items]) for p in found]

    with monkeypatch.context() as patch:
        patch.setattr(search, "count_capped", no_count_query)
        with CaptureQueriesContext(connection) as queries:
            one_pass = pages("tyres")
    # Per page: the matches (counted and ordered at once), the ranking of the candidates, the rows.
    assert len(queries) == 4 * (3 if sort == "relevance" else 2)
    settings.NOTIFICATION_SEARCH_COUNT_CAP = 10  # more matches than the cap: the general path
    capped = pages("tyres")
    assert capped[0][:2] == (10, True)
    params = SearchParams(q="tyres", sort=sort)
    if sort == "relevance":  # the database's order: ranked by SQL from the candidates by SQL
        expected = search._ranked_ids(filtered(params), parse_query("tyres"))
    else:
        expected = list(ordered(params).values_list("pk", flat=True))
    last = math.ceil((12 if sort == "relevance" else 18) / 5)  # pages past the last show the last
    assert [p[2] for p in one_pass] == [expected[(min(n, last) - 1) * 5 : min(n, last) * 5] for n in (1, 2, 3, 4)]
    listed = {pk for p in one_pass for pk in p[2]}
    assert one_pass[0][0] == 18 and len(listed) == (12 if sort == "relevance" else 18)
    assert [p[2] for p in capped[:2]] == [expected[0:5], expected[5:10]]  # two pages of 10 (later ones: the last)


def test_the_search_vector_is_kept_in_the_row_on_postgresql(members):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL storage only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'notifications_notification'::regclass "
            "AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)  # MAIN: compressed in place, out of line only as a last resort
