"""Reference browsing (/network/reference/) and the read-only network API (/api/network/...):
what each role may read, and the searches (HS type-ahead, ICS, WTO members, points, provinces)."""

from __future__ import annotations

import pytest
from django.test import Client

from network.models import HSCode
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

READERS = ["national", "ministry", "other_ministry", "provincial", "board_member", "board_secretary", "admin"]
REFERENCE_PAGES = [
    "/network/reference/",
    "/network/reference/?kind=hs&q=8517",
    "/network/reference/?kind=ics&q=13.040",
    "/network/reference/?kind=wto&q=viet",
    "/network/reference/?kind=provinces",
    "/network/reference/?kind=holidays&q=2026",
    "/en/network/reference/?kind=hs",
]
REFERENCE_API = ["/api/network/hs-codes/", "/api/network/hs-codes/851713/", "/api/network/ics-codes/",
                 "/api/network/ics-codes/13.040.20/", "/api/network/wto-members/", "/api/network/wto-members/VNM/"]  # fmt: skip
PUBLIC_API = ["/api/network/points/", "/api/network/points/tinh-01/", "/api/network/provinces/",
              "/api/network/provinces/79/"]  # fmt: skip


# --- The role × endpoint matrix ---------------------------------------------------------------
@pytest.mark.parametrize("url", REFERENCE_PAGES)
def test_reference_pages_by_role(cast, url):
    for who in READERS:
        assert client_for(cast[who]).get(url).status_code == 200, (who, url)
    assert client_for(cast["business"]).get(url).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/" if url.startswith("/en/") else "/accounts/login/")


@pytest.mark.parametrize("url", REFERENCE_API)
def test_reference_api_by_role(cast, url):
    for who in READERS:
        assert client_for(cast[who]).get(url).status_code == 200, (who, url)
    assert client_for(cast["business"]).get(url).status_code == 404
    assert Client().get(url).status_code == 403


@pytest.mark.parametrize("url", PUBLIC_API)
def test_public_api_for_everyone(cast, url):
    for user in cast.values():
        assert client_for(user).get(url).status_code == 200, url


@pytest.mark.parametrize("url", REFERENCE_API + PUBLIC_API)
def test_api_is_read_only(cast, url):
    client = client_for(cast["admin"])
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url, {}, content_type="application/json").status_code in (403, 405), (
            method,
            url,
        )


# --- The reference page -----------------------------------------------------------------------
def test_reference_page_hs_search_by_code_and_words(national_officer):
    client = client_for(national_officer)
    html = client.get("/network/reference/", {"kind": "hs", "q": "8517"}).content.decode()
    assert "8517.13" in html and "Telephone sets; smartphones" in html
    assert "0101" not in html
    html = client.get("/en/network/reference/", {"kind": "hs", "q": "smartphones"}).content.decode()
    assert "8517.13" in html and "3 entries" in html
    html = client.get("/en/network/reference/", {"kind": "hs", "q": "8517.13"}).content.decode()
    assert "1 entry" in html


def test_reference_page_paginates_50_a_page(provincial_officer):
    client = client_for(provincial_officer)
    first = client.get("/en/network/reference/", {"kind": "hs"})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == HSCode.objects.count() == 6939
    assert "Page 1 of 139" in first.content.decode()
    second = client.get("/en/network/reference/", {"kind": "hs", "page": 2})
    assert second.context["page"].number == 2
    assert second.context["page"].object_list[0].code != first.context["page"].object_list[0].code
    assert client.get("/network/reference/", {"kind": "hs", "page": "abc"}).status_code == 200


def test_reference_page_other_tables(ministry_officer):
    client = client_for(ministry_officer)
    html = client.get("/network/reference/", {"kind": "ics", "q": "13.040"}).content.decode()
    assert "13.040.20" in html
    html = client.get("/network/reference/", {"kind": "wto", "q": "hoa ky"}).content.decode()
    assert "Hoa Kỳ" in html and "USA" in html
    assert "United States" in client.get("/en/network/reference/", {"kind": "wto", "q": "united"}).content.decode()
    html = client.get("/network/reference/", {"kind": "provinces", "q": "da nang"}).content.decode()
    assert "Thành phố Đà Nẵng" in html and 'href="/network/points/tinh-48/"' in html
    html = client.get("/network/reference/", {"kind": "holidays", "q": "2026"}).content.decode()
    assert "17/02/2026" in html and "Tết Nguyên đán" in html and "01/01/2025" not in html
    html = client.get("/network/reference/", {"kind": "hs", "q": "xyzxyz"}).content.decode()
    assert "Không có kết quả phù hợp với “xyzxyz”." in html
    unknown = client.get("/network/reference/", {"kind": "nope"})
    assert unknown.status_code == 200 and unknown.context["kind"] == "hs"


# --- The API searches -------------------------------------------------------------------------
def test_hs_type_ahead(national_officer):
    client = client_for(national_officer)
    data = client.get("/api/network/hs-codes/", {"q": "8517"}).json()
    codes = [row["code"] for row in data["results"]]
    assert codes[0] == "8517" and "851713" in codes
    assert all(code.startswith("8517") for code in codes)
    assert len(data["results"]) <= 20
    row = next(r for r in data["results"] if r["code"] == "851713")
    assert row == {"code": "851713", "display": "8517.13", "level": 6, "parent": "8517", "section": "XVI",
                   "description": "Telephone sets; smartphones for cellular or other wireless networks"}  # fmt: skip
    assert [r["code"] for r in client.get("/api/network/hs-codes/", {"q": "8517.13"}).json()["results"]] == ["851713"]
    assert client.get("/api/network/hs-codes/", {"level": 2}).json()["count"] == 97
    assert client.get("/api/network/hs-codes/", {"parent": "8517"}).json()["count"] >= 5
    words = client.get("/api/network/hs-codes/", {"q": "smartphones wireless"}).json()
    assert "851713" in [r["code"] for r in words["results"]]
    assert all("smartphones" in r["description"] and "wireless" in r["description"] for r in words["results"])
    assert client.get("/api/network/hs-codes/", {"q": "martphones"}).json()["count"] == 0  # words, not substrings
    page = client.get("/api/network/hs-codes/", {"page_size": 500}).json()
    assert len(page["results"]) == 100


def test_ics_and_wto_searches(board_member):
    client = client_for(board_member)
    ics = client.get("/api/network/ics-codes/", {"q": "13.040"}).json()
    assert ics["count"] > 1 and all(r["code"].startswith("13.040") for r in ics["results"])
    assert client.get("/api/network/ics-codes/", {"level": 1}).json()["count"] == 40
    cement = client.get("/api/network/ics-codes/", {"q": "cement"}).json()
    assert any(r["code"] == "91.100.10" for r in cement["results"])
    wto = client.get("/api/network/wto-members/", {"q": "viet nam"}).json()
    assert [r["code"] for r in wto["results"]] == ["VNM"]
    assert [r["code"] for r in client.get("/api/network/wto-members/", {"q": "EU"}).json()["results"]] == ["EU"]
    taipei = client.get("/api/network/wto-members/TPKM/").json()
    assert (taipei["iso2"], taipei["iso_numeric"]) == ("TW", "158")
    assert client.get("/api/network/wto-members/", {"page_size": 200}).json()["count"] == 166


def test_public_points_api(reference):
    client = Client()
    data = client.get("/api/network/points/").json()
    assert data["count"] == 43
    assert "duties_vi" not in data["results"][0] and "staff" not in data["results"][0]
    assert client.get("/api/network/points/", {"level": "ministry"}).json()["count"] == 8
    hanoi = client.get("/api/network/points/", {"q": "ha noi", "level": "provincial"}).json()
    assert [p["code"] for p in hanoi["results"]] == ["tinh-01"]
    detail = client.get("/api/network/points/tinh-01/").json()
    assert detail["province"] == "01" and detail["duties_vi"].startswith("a) Phối hợp")
    assert detail["url"] == "/network/points/tinh-01/"
    assert client.get("/en/network/points/tinh-01/").status_code == 200
    assert client.get("/api/network/points/khong-co/").status_code == 404
    provinces = client.get("/api/network/provinces/", {"q": "ho chi minh"}).json()
    assert [(p["gso_code"], p["point"]) for p in provinces["results"]] == [("79", "tinh-79")]
    assert client.get("/api/network/provinces/").json()["count"] == 34
