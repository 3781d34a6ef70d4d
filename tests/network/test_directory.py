"""The public directory of TBT points (/network/, /en/network/) and the point detail pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from network.models import Point, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _point_codes(html: str) -> list[str]:
    return re.findall(r'href="(?:/en)?/network/points/([a-z0-9-]+)/"', html)


def test_directory_lists_all_43_points_grouped_by_level_in_vietnamese(reference):
    response = Client().get("/network/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Danh bạ các Điểm TBT" in html
    assert "<h1>Danh bạ các Điểm TBT</h1>" in html
    assert sorted(_point_codes(html)) == sorted(Point.objects.values_list("code", flat=True))
    assert len(_point_codes(html)) == 43
    # Groups in order: national, ministry, provincial, each headed by its translated label.
    national, ministry, provincial = (
        html.index(f'id="group-{level}"') for level in ("national", "ministry", "provincial")
    )
    assert national < ministry < provincial
    assert "Điểm TBT quốc gia" in html and "Điểm TBT cấp bộ" in html and "Điểm TBT địa phương" in html
    assert html.index("/network/points/national/") < ministry < html.index("/network/points/bo-y-te/") < provincial
    assert "Điểm TBT thành phố Hà Nội" in html


def test_directory_in_english(reference):
    response = Client().get("/en/network/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Directory of TBT points</h1>" in html
    assert "<title>Directory of TBT points" in html
    assert "National TBT point" in html and "Ministry TBT point" in html and "Provincial TBT point" in html
    assert "TBT point of the Ministry of Industry and Trade" in html
    assert "People&#x27;s Committee of Hanoi City" in html
    assert len(_point_codes(html)) == 43
    assert all(
        link.startswith("/en/network/points/") for link in re.findall(r'href="([^"]*/network/points/[^"]*)"', html)
    )


@pytest.mark.parametrize("q", ["ha noi", "Ha Noi", "HÀ NỘI", "hà nội", "hanoi"])
def test_search_ignores_diacritics_and_case(reference, q):
    codes = _point_codes(Client().get("/network/", {"q": q}).content.decode())
    assert "tinh-01" in codes
    assert "tinh-79" not in codes and "tinh-92" not in codes


def test_search_narrows_to_one_province(reference):
    html = Client().get("/network/", {"q": "can tho"}).content.decode()
    assert _point_codes(html) == ["tinh-92"]
    assert "1 Điểm TBT phù hợp với “can tho”." in html
    assert 'id="group-ministry"' not in html  # empty groups are left out


def test_search_by_agency_words(reference):
    assert _point_codes(Client().get("/en/network/", {"q": "health"}).content.decode()) == ["bo-y-te"]
    assert _point_codes(Client().get("/network/", {"q": "van hoa the thao"}).content.decode()) == [
        "bo-van-hoa-the-thao-va-du-lich"
    ]


def test_search_without_match_shows_empty_state(reference):
    response = Client().get("/network/", {"q": "không tồn tại xyz"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _point_codes(html) == []
    assert "Không có Điểm TBT nào phù hợp với “không tồn tại xyz”." in html
    assert 'href="/network/"' in html  # a way back to the full list
    english = Client().get("/en/network/", {"q": "xyz"}).content.decode()
    assert "No TBT point matches “xyz”." in english


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_point_detail_page_in_both_languages(reference, prefix):
    client = Client()
    for point in Point.objects.select_related("province"):
        response = client.get(f"{prefix}/network/points/{point.code}/")
        assert response.status_code == 200, point.code
        html = response.content.decode()
        lang = "en" if prefix else "vi"
        name = getattr(point, f"name_{lang}").replace("'", "&#x27;")
        assert f"<h1>{name}</h1>" in html, point.code
        duties_start = getattr(point, f"duties_{lang}")[:40].replace("'", "&#x27;")
        assert duties_start in html, point.code
        assert getattr(point, f"agency_{lang}").replace("'", "&#x27;") in html
        if point.province:
            assert str(point.province.full_name_en if prefix else point.province.full_name_vi) in html
    assert "Duties" in client.get("/en/network/points/national/").content.decode()
    assert "Nhiệm vụ" in client.get("/network/points/national/").content.decode()


def test_detail_shows_contacts_as_links(reference):
    html = Client().get("/network/points/national/").content.decode()
    assert 'href="mailto:tbtvn@tbtvn.org"' in html
    assert 'href="https://www.tbtvn.org"' in html
    assert "8 Hoàng Quốc Việt, Cầu Giấy, Hà Nội" in html
    assert "Văn phòng TBT Việt Nam" in html and "Bộ Khoa học và Công nghệ" in html
    Point.objects.filter(code="bo-cong-thuong").update(phone="024 2220 2222", email="tbt@moit.example.vn")
    html = Client().get("/en/network/points/bo-cong-thuong/").content.decode()
    assert 'href="tel:02422202222"' in html
    assert 'href="mailto:tbt@moit.example.vn"' in html
    assert "Department of Science and Technology, Ministry of Industry and Trade" in html


def test_detail_without_phone_or_email_points_to_the_national_point(reference):
    html = Client().get("/en/network/points/tinh-79/").content.decode()
    assert "has not published a telephone number or e-mail address" in html
    assert 'href="/en/network/points/national/"' in html
    assert "Ho Chi Minh City" in html


def test_officials_of_a_point_are_not_shown_publicly(ministry_officer, national_officer):
    for client in (Client(), client_for(national_officer)):
        html = client.get("/network/points/bo-cong-thuong/").content.decode()
        assert ministry_officer.full_name not in html
        assert ministry_officer.email not in html


def test_unknown_or_inactive_point_is_404(reference):
    assert Client().get("/network/points/khong-co/").status_code == 404
    Point.objects.filter(code="tinh-96").update(is_active=False)
    assert Client().get("/network/points/tinh-96/").status_code == 404
    assert "tinh-96" not in _point_codes(Client().get("/network/").content.decode())


def test_directory_is_the_same_for_every_role(cast):
    anonymous = _point_codes(Client().get("/network/").content.decode())
    for user in cast.values():
        if isinstance(user, User):
            assert _point_codes(client_for(user).get("/network/").content.decode()) == anonymous
