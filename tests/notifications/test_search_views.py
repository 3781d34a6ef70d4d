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
    assert "More than 5 notifications" in body
    body = client.get("/en/notifications/", {"q": "toys"}).content.decode()
    assert "2 notifications" in body


def test_empty_result(corpus):
    body = client_for(None).get("/en/notifications/", {"q": "zzzzqqq"}).content.decode()
    assert "No notification matches this search." in body
