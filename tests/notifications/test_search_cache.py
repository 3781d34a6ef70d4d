"""The search result cache and the anonymous visitors' page cache: served while current, discarded by
every kind of change to what they show (a saved or deleted notification, an import, a member, the
day), never for signed-in users or with messages pending, and never in the way when the cache fails."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache.backends import locmem
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network.models import WTOMember
from notifications import forms_search, views_search
from notifications import search as search_module
from notifications.importers import InputFile, import_files
from notifications.models import Notification
from notifications.search import LIST_FIELDS, SearchParams, search_cache_version, search_page
from tests.conftest import client_for
from tests.notifications import search_helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_caches_on")]
corpus = search_helpers.corpus
members = search_helpers.members
LIST = "/en/notifications/"


def symbols(page) -> list[str | None]:
    return [n.symbol for n in page.items]


def no_search(monkeypatch) -> None:
    """Fail if a search runs: what follows must come from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("searched instead of using the cache")

    monkeypatch.setattr(search_module, "_search_page", refuse)


# --- the result cache ------------------------------------------------------------------------------
def test_a_repeated_search_reads_only_the_rows(corpus, monkeypatch):
    params = SearchParams(q="toys")
    first = search_page(params, fields=LIST_FIELDS)
    assert first.count == 2 and symbols(first) == ["G/TBT/N/USA/1990", "G/TBT/N/EU/1100"]
    with monkeypatch.context() as patch:
        no_search(patch)
        with CaptureQueriesContext(connection) as queries:
            again = search_page(params, fields=LIST_FIELDS)
    assert len(queries) == 1  # the rows of the page, by id: no count, no text search
    assert (again.count, again.more, again.number, again.num_pages, again.sort) == (
        first.count,
        first.more,
        first.number,
        first.num_pages,
        first.sort,
    )
    assert symbols(again) == symbols(first)
    assert again.items[0].member.code == "USA"  # with its member, as the list shows it


def test_pages_and_parameters_are_kept_apart(corpus):
    assert search_page(SearchParams(q="toys"), page_size=5).count == 2
    assert search_page(SearchParams(q="cement"), page_size=5).count == 1
    assert search_page(SearchParams(), page=1, page_size=5).number == 1
    second = search_page(SearchParams(), page=2, page_size=5)
    assert second.number == 2 and len(second.items) == 2  # 7 public notifications
    assert search_page(SearchParams(q="toys"), page_size=5).count == 2


def test_a_saved_notification_shows_at_once(corpus):
    assert search_page(SearchParams(q="cement")).count == 1
    search_helpers.make_notification(symbol="G/TBT/N/KOR/1", member="KOR", title="Cement for roads")
    assert search_page(SearchParams(q="cement")).count == 2
    corpus["chn"].title = "Amendment 3 to the national standard for clinker"
    corpus["chn"].search_text = search_module.notification_search_text(corpus["chn"])
    corpus["chn"].save()
    assert symbols(search_page(SearchParams(q="cement"))) == ["G/TBT/N/KOR/1"]


def test_a_deleted_notification_goes_at_once(corpus):
    assert search_page(SearchParams(q="toys")).count == 2
    corpus["eu"].delete()
    page = search_page(SearchParams(q="toys"))
    assert page.count == 1 and symbols(page) == ["G/TBT/N/USA/1990"]


def test_an_import_shows_at_once(members):
    assert search_page(SearchParams(q="bicycles")).count == 0
    text = (
        "symbol,source,external_id,member,title,title_vi,summary_vi,description,products,hs_codes,ics_codes,"
        "objectives,keywords,distribution_date,comment_deadline,entry_into_force_date,document_link\n"
        "G/TBT/N/KOR/1000,wto,,KOR,Bicycles,,,,,,,,,2026-01-05,,,\n"
    ).encode("utf-8-sig")
    report = import_files("csv", [InputFile("n.csv", lambda: io.BytesIO(text))])
    assert report.created == 1
    assert symbols(search_page(SearchParams(q="bicycles"))) == ["G/TBT/N/KOR/1000"]


def test_open_for_comments_follows_the_day(corpus, monkeypatch):
    today = timezone.localdate()
    assert search_page(SearchParams(open=True)).count == 2  # tris (+30 days) and usa (+70 days)
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=40))
    assert symbols(search_page(SearchParams(open=True))) == ["G/TBT/N/USA/1990"]


def test_off_when_the_setting_is_zero(corpus, settings, monkeypatch):
    search_page(SearchParams(q="toys"))
    settings.NOTIFICATION_SEARCH_CACHE_SECONDS = 0
    calls = []
    real = search_module._search_page
    monkeypatch.setattr(search_module, "_search_page", lambda *a: calls.append(a) or real(*a))
    assert search_page(SearchParams(q="toys")).count == 2
    assert len(calls) == 1


def test_a_failing_cache_does_not_fail_the_search(corpus, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(locmem.LocMemCache, "get_many", broken)
    page = search_page(SearchParams(q="toys"))
    assert page.count == 2


def test_each_database_has_its_own_version(monkeypatch):
    key = search_cache_version().key
    monkeypatch.setitem(connection.settings_dict, "NAME", "another_database")
    assert search_cache_version().key != key


# --- the page for anonymous visitors ------------------------------------------------------------------
def test_the_cached_page_is_the_rendered_page(corpus, monkeypatch):
    for url, params in ((LIST, {}), (LIST, {"q": "toys"}), ("/notifications/", {"page": "1"})):
        first = Client().get(url, params)
        with monkeypatch.context() as patch:  # from the cache: no form, no search, no template
            patch.setattr(views_search, "render_to_string", None)
            no_search(patch)
            with CaptureQueriesContext(connection) as queries:
                second = Client().get(url, params)
        assert first.status_code == second.status_code == 200
        assert second.content == first.content
        assert len(queries) == 0
        for header in ("Content-Type", "Content-Language", "Vary"):
            assert first.get(header) == second.get(header)


def test_languages_and_queries_are_kept_apart(corpus):
    english = Client().get(LIST, {"q": "toys"}).content.decode()
    vietnamese = Client().get("/notifications/", {"q": "toys"}).content.decode()
    assert "Toys safety standard" in english and 'lang="en"' in english
    assert 'lang="vi"' in vietnamese
    cement = Client().get(LIST, {"q": "cement"}).content.decode()
    assert "Portland cement" in cement and "Toys safety standard" not in cement


def test_a_change_shows_on_the_next_anonymous_request(corpus):
    Client().get(LIST, {"q": "toys"})
    corpus["usa"].title = "Toys and games safety standard"
    corpus["usa"].search_text = search_module.notification_search_text(corpus["usa"])
    corpus["usa"].save()
    assert "Toys and games safety standard" in Client().get(LIST, {"q": "toys"}).content.decode()
    usa = WTOMember.objects.get(code="USA")
    usa.name_en = "United States of America"
    usa.save()
    assert "United States of America" in Client().get(LIST, {"q": "toys"}).content.decode()


def test_signed_in_users_get_their_own_page(corpus, national_officer, monkeypatch):
    Client().get(LIST)  # cached for anonymous visitors
    officer = client_for(national_officer)
    with monkeypatch.context() as patch:
        calls = []
        real = views_search._search_html
        patch.setattr(views_search, "_search_html", lambda request: calls.append(request) or real(request))
        body = officer.get(LIST).content.decode()
    assert len(calls) == 1
    assert "Log out" in body and "Notification work" in body


def test_only_the_search_parameters_are_kept(corpus, monkeypatch):
    calls = []
    real = views_search._search_html
    monkeypatch.setattr(views_search, "_search_html", lambda request: calls.append(request) or real(request))
    for params in ({"q": "toys", "utm_source": "mail"}, {"q": ["toys", "cement"]}, {"q": "toys", "x": "y" * 1100}):
        Client().get(LIST, params)
        Client().get(LIST, params)
    assert len(calls) == 6  # every one rendered, none kept
    Client().get(LIST, {"q": "toys", "page": "1", "sort": "newest"})
    Client().get(LIST, {"q": "toys", "page": "1", "sort": "newest"})
    assert len(calls) == 7


def test_pending_messages_are_shown_not_cached(corpus):
    Client().get(LIST)
    storage = CookieStorage(HttpRequest())
    storage.add(messages.SUCCESS, "Your comment was received.")
    carrier = HttpResponse()
    storage.update(carrier)
    client = Client()
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    assert "Your comment was received." in client.get(LIST).content.decode()
    assert "Your comment was received." not in client.get(LIST).content.decode()
    assert "Your comment was received." not in Client().get(LIST).content.decode()


def test_the_page_survives_a_failing_cache(corpus, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(locmem.LocMemCache, "get_many", broken)
    response = Client().get(LIST, {"q": "toys"})
    assert response.status_code == 200
    assert "Toys safety standard" in response.content.decode()


def test_drafts_stay_hidden_from_the_cached_page(corpus):
    for _ in range(2):
        body = Client().get(LIST, {"q": "toys"}).content.decode()
        assert "Secret draft" not in body


def test_writes_without_signals_show_after_the_lifetime(corpus, monkeypatch):
    """A change that bypasses the models (SQL by hand) does not bump the version: the page rows are
    read fresh at once, the kept count and ids once NOTIFICATION_SEARCH_CACHE_SECONDS have passed."""
    assert search_page(SearchParams(q="cement")).count == 1
    chn = corpus["chn"]
    Notification.objects.filter(pk=chn.pk).update(distribution_date=date(2019, 1, 1))
    assert search_page(SearchParams(q="cement")).items[0].distribution_date == date(2019, 1, 1)
    chn.title = "Amendment 3 to the national standard for clinker"
    Notification.objects.filter(pk=chn.pk).update(
        title=chn.title, search_text=search_module.notification_search_text(chn)
    )
    assert search_page(SearchParams(q="cement")).count == 1  # the kept count
    real_time = locmem.time.time
    monkeypatch.setattr(locmem.time, "time", lambda: real_time() + 301)
    assert search_page(SearchParams(q="cement")).count == 0


def test_the_member_list_of_the_form_checks_the_members_at_most_every_few_seconds(settings):
    """The search form's members: one small query per process every NOTIFICATION_MEMBER_CHECK_SECONDS
    instead of one per request; a member saved in this process shows at once."""
    settings.NOTIFICATION_MEMBER_CHECK_SECONDS = 60
    forms_search.forget_members_fingerprint()
    forms_search.member_choices()
    with CaptureQueriesContext(connection) as queries:
        first = forms_search.member_choices()
        forms_search.member_choices()
    assert queries.captured_queries == []  # within the interval: neither the check nor the list
    WTOMember.objects.create(code="ZZZ", name_en="Zetland", name_vi="Zetland")  # the signal forgets
    codes = [code for code, _label in forms_search.member_choices()]
    assert "ZZZ" in codes and len(codes) == len(first) + 1
    settings.NOTIFICATION_MEMBER_CHECK_SECONDS = 0  # under tests: checked on every form
    with CaptureQueriesContext(connection) as queries:
        forms_search.member_choices()
    assert len(queries.captured_queries) == 1
