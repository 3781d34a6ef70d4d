"""The public search page: everyone may use it, in both languages; drafts never appear."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.notifications import search_helpers

pytestmark = pytest.mark.django_db
corpus = search_helpers.corpus
members = search_helpers.members

ROLES = [
    "anonymous",
    "national",
    "ministry",
    "other_ministry",
    "provincial",
    "board_member",
    "board_secretary",
    "admin",
    "business",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_search_and_no_one_sees_drafts_there(cast, corpus, role):
    response = client_for(cast[role]).get(reverse("notifications:search"), {"q": "do choi"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "TRIS:2020:0123:FR:N" in body
    assert "Secret draft" not in body and "bí mật" not in body


def test_search_page_urls(corpus):
    assert reverse("notifications:search") == "/notifications/"
    client = client_for(None)
    english = client.get("/en/notifications/", {"q": "toys"})
    assert english.status_code == 200
    body = english.content.decode()
    assert "G/TBT/N/USA/1990" in body and "G/TBT/N/EU/1100" in body
    assert '<html lang="en">' in body


def test_results_link_to_the_detail_page_and_tools_keep_the_search(corpus):
    body = client_for(None).get("/notifications/", {"q": "toys", "open": "on"}).content.decode()
    assert corpus["usa"].get_absolute_url() in body
    assert corpus["eu"].get_absolute_url() not in body  # closed
    for name in ("export_csv", "export_xlsx", "feed_atom", "feed_ical"):
        assert f"{reverse('notifications:' + name)}?q=toys&amp;open=on" in body


def test_filters_and_invalid_values(corpus):
    client = client_for(None)
    body = client.get("/notifications/", {"member": "VNM"}).content.decode()
    assert "G/TBT/N/VNM/298" in body and "G/TBT/N/JPN/586" not in body
    # An invalid date is reported next to its field, the rest of the search still applies.
    response = client.get("/notifications/", {"q": "cement", "dist_from": "31/31/2020", "page": "x"})
    body = response.content.decode()
    assert response.status_code == 200 and "G/TBT/N/CHN/1278" in body and "errorlist" in body


def test_count_cap_is_shown(corpus, settings):
    settings.NOTIFICATION_SEARCH_COUNT_CAP = 5
    client = client_for(None)
    client.cookies["django_language"] = "en"
    body = client.get("/en/notifications/").content.decode()
    assert "5+ notifications" in body
    assert "5+ thông báo" in client_for(None).get("/notifications/").content.decode()
    body = client.get("/en/notifications/", {"q": "toys"}).content.decode()
    assert "2 notifications" in body


def test_empty_result(corpus):
    body = client_for(None).get("/en/notifications/", {"q": "zzzzqqq"}).content.decode()
    assert "No notification matches this search." in body


def test_a_query_longer_than_the_box_is_cut_and_the_page_says_so(corpus):
    """Only a hand-made address can be longer than the box's 200 characters: its first 200 are
    searched (not dropped, which would list everything), in both languages."""
    client = client_for(None)
    long_query = "cement" + " " * 250 + "zzzz"
    body = client.get("/en/notifications/", {"q": long_query}).content.decode()
    assert "Only the first 200 characters of the search were used." in body
    assert "G/TBT/N/CHN/1278" in body and "G/TBT/N/JPN/586" not in body
    body = client.get("/notifications/", {"q": long_query}).content.decode()
    assert "Chỉ 200 ký tự đầu tiên của nội dung tìm kiếm được sử dụng." in body
    export = client.get(reverse("notifications:export_csv"), {"q": long_query})
    rows = b"".join(export.streaming_content).decode()
    assert "G/TBT/N/CHN/1278" in rows and "G/TBT/N/JPN/586" not in rows


@pytest.mark.parametrize("query", ["(", "'", "!!!", ":*", "&|!"])
def test_a_query_with_nothing_to_look_for_says_so(corpus, query):
    body = client_for(None).get("/en/notifications/", {"q": query}).content.decode()
    assert "The search has no letters or digits to look for: every notification is listed." in body
    assert "G/TBT/N/CHN/1278" in body and "G/TBT/N/JPN/586" in body


def test_codes_and_date_ranges_that_cannot_be_are_reported_by_their_fields(corpus):
    client = client_for(None)
    body = client.get("/en/notifications/", {"hs": "abc", "ics": "xyz"}).content.decode()
    assert "An HS code is made of digits, for example 8517 or 8517.13." in body
    assert "An ICS code is made of digits and dots, for example 13.220 or 13.220.20." in body
    assert "G/TBT/N/CHN/1278" in body  # the other filters (none) still apply
    body = client.get("/notifications/", {"hs": "abc"}).content.decode()
    assert "Mã HS gồm các chữ số, ví dụ 8517 hoặc 8517.13." in body
    body = client.get(
        "/en/notifications/", {"dist_from": "2018-01-01", "dist_to": "2017-01-01", "q": "cement"}
    ).content.decode()
    assert "This date is before the start date; it was not applied." in body
    assert "G/TBT/N/CHN/1278" in body
    for hs in ("85", "8517", "8517.13", "8517 13"):
        assert "An HS code is made of digits" not in client.get("/en/notifications/", {"hs": hs}).content.decode()
    for ics in ("13", "13.220", "13.220.20", "97.200.50"):
        assert "An ICS code" not in client.get("/en/notifications/", {"ics": ics}).content.decode()
