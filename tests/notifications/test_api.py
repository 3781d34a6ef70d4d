"""The read-only notifications API: /api/notifications/ and /api/notifications/<id>/."""

from __future__ import annotations

import pytest

from tests.conftest import client_for
from tests.notifications import search_helpers

pytestmark = pytest.mark.django_db
corpus = search_helpers.corpus
members = search_helpers.members


@pytest.mark.parametrize("role", ["anonymous", "business", "ministry", "national", "admin"])
def test_list_with_the_search_parameters(cast, corpus, role):
    response = client_for(cast[role]).get("/api/notifications/", {"q": "tieu chuan", "sort": "newest"})
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["count_is_capped"], data["sort"]) == (2, False, "newest")
    assert [r["symbol"] for r in data["results"]] == ["G/TBT/N/USA/1990", "G/TBT/N/CHN/1278"]
    usa = data["results"][0]
    assert usa["member"] == {"code": "USA", "name_en": "United States", "name_vi": "Hoa Kỳ"}
    assert usa["id"] == str(corpus["usa"].public_id)
    assert usa["url"].endswith(corpus["usa"].get_absolute_url())
    assert "state" not in usa


def test_filters_paging_and_cap(corpus, settings):
    client = client_for(None)
    assert [r["symbol"] for r in client.get("/api/notifications/", {"member": "FRA"}).json()["results"]] == [None]
    page = client.get("/api/notifications/", {"page_size": 3, "page": 2, "sort": "newest"}).json()
    assert page["num_pages"] == 3 and len(page["results"]) == 3 and page["next"] and page["previous"]
    settings.NOTIFICATION_SEARCH_COUNT_CAP = 4
    capped = client.get("/api/notifications/").json()
    assert (capped["count"], capped["count_is_capped"]) == (4, True)


def test_invalid_parameters(corpus):
    response = client_for(None).get("/api/notifications/", {"dist_from": "yesterday"})
    assert response.status_code == 400 and "dist_from" in response.json()["errors"]


def test_a_long_query_is_cut_and_the_answer_says_so(corpus):
    client = client_for(None)
    client.cookies["django_language"] = "en"
    answer = client.get("/api/notifications/", {"q": "cement" + " " * 250 + "zzzz"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["symbol"] for r in answer["results"]] == ["G/TBT/N/CHN/1278"]
    assert len(answer["notices"]) == 1 and "200" in answer["notices"][0]
    assert client.get("/api/notifications/", {"q": "cement"}).json()["notices"] == []
    wrong = client.get("/api/notifications/", {"hs": "abc", "dist_from": "2020-01-02", "dist_to": "2020-01-01"})
    assert wrong.status_code == 400 and set(wrong.json()["errors"]) == {"hs", "dist_to"}


def test_detail_of_public_notifications_only(corpus):
    client = client_for(None)
    response = client.get(f"/api/notifications/{corpus['tris'].public_id}/")
    assert response.status_code == 200
    assert response.json()["external_id"] == "TRIS:2020:0123:FR:N"
    for key in ("draft_draft", "draft_submitted", "draft_returned", "draft_accepted"):
        assert client.get(f"/api/notifications/{corpus[key].public_id}/").status_code == 404
    assert not any(
        r["title"].startswith("Secret") for r in client.get("/api/notifications/", {"page_size": 100}).json()["results"]
    )


def test_api_is_read_only(corpus, national_officer):
    client = client_for(national_officer)
    assert client.post("/api/notifications/", {}).status_code in (403, 405)
    assert client.delete(f"/api/notifications/{corpus['usa'].public_id}/").status_code in (403, 405)
