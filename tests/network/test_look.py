"""Look and language: the language switcher on every screen (error pages included), dates as
dd/mm/yyyy in forms, and a server-error page that answers even when the database does not."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from network import services
from tests.conftest import client_for
from tests.network.test_matrix import GET_MATRIX, build_objects

SWITCH = re.compile(r'<nav class="lang-switch"[^>]*>(.*?)</nav>', re.S)


def _switch_links(html: str) -> list[str]:
    match = SWITCH.search(html)
    assert match is not None, "no language switcher"
    return re.findall(r'href="([^"]+)"', match.group(1))


@pytest.mark.parametrize("who", ["anonymous", "admin", "national", "ministry"])
def test_every_screen_has_a_switcher_to_the_same_screen_in_the_other_language(who, cast, objects):
    client = client_for(cast[who])
    checked = 0
    for name, key, _expected in GET_MATRIX:
        with translation.override("vi"):  # the last request may have left English active
            path = reverse(name, kwargs=objects[key])
        response = client.get(path)
        if response.status_code != 200:
            continue
        assert _switch_links(response.content.decode()) == ["/en" + path], path
        english = client.get("/en" + path)
        assert english.status_code == 200, path
        assert _switch_links(english.content.decode()) == [path], path
        checked += 1
    assert checked >= 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "other"),
    [("/khong-co-trang-nay/?q=1", "/en/khong-co-trang-nay/?q=1"), ("/en/no-such-page/", "/no-such-page/"),
     ("/en", "/")],
)  # fmt: skip
def test_the_switcher_works_on_a_404_page(path, other, settings):
    settings.DEBUG = False
    response = Client().get(path, follow=path == "/en")
    assert response.status_code in (200, 404)
    assert _switch_links(response.content.decode()) == [other]


@pytest.fixture
def objects(cast):
    return build_objects(cast)


# --- dates ----------------------------------------------------------------------------------------
def test_date_fields_show_and_accept_dd_mm_yyyy(ministry_officer):
    client = client_for(ministry_officer)
    year = date.today().year
    page = client.get(reverse("network:annual_list_approval", kwargs={"year": year})).content.decode()
    field = re.search(r"<input[^>]*name=\"approved_on\"[^>]*>", page).group(0)
    assert 'type="text"' in field and 'placeholder="dd/mm/yyyy"' in field
    approved = date(year - 1, 12, 3)
    response = client.post(
        reverse("network:annual_list_approval", kwargs={"year": year}), {"approved_on": f"{approved:%d/%m/%Y}"}
    )
    assert response.status_code == 302
    annual_list = ministry_officer.point.annual_lists.get(year=year)
    assert annual_list.programme_approved_on == approved  # 3 December, not 12 March
    again = client.get(reverse("network:annual_list_approval", kwargs={"year": year})).content.decode()
    assert f'value="03/12/{year - 1}"' in again


def test_an_impossible_date_is_refused_in_both_languages(ministry_officer):
    client = client_for(ministry_officer)
    year = date.today().year
    url = reverse("network:annual_list_approval", kwargs={"year": year})
    vietnamese = client.post(url, {"approved_on": "31/02/2026"}).content.decode()
    assert "Nhập một ngày hợp lệ." in vietnamese
    english = client.post("/en" + url, {"approved_on": "31/02/2026"}).content.decode()
    assert "Enter a valid date." in english
    assert not ministry_officer.point.annual_lists.filter(programme_approved_on__isnull=False).exists()


# --- the 500 page -------------------------------------------------------------------------------
def test_the_500_page_answers_when_the_context_cannot_be_built(rf, monkeypatch):
    from tbt_portal import views

    def broken(*args, **kwargs):
        raise RuntimeError("database down")  # e.g. the user or the session cannot be read

    monkeypatch.setattr(views, "render", broken)
    with translation.override("en"):
        response = views.error_500(rf.get("/en/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Server error" in html and 'class="lang-switch"' in html


# --- the event log names objects in the reader's language ----------------------------------------
def test_the_event_log_names_each_object_in_the_readers_language(admin_user):
    today = date.today()
    services.annual_reports_open_for_year(year=today.year, today=today, force=True)
    client = client_for(admin_user)
    url = reverse("manage:event_list")
    english = client.get("/en" + url).content.decode()
    vietnamese = client.get(url).content.decode()
    assert f"Report to the Prime Minister on the TBT network and the TBT Board, {today.year}" in english
    assert f"Báo cáo Thủ tướng Chính phủ về hoạt động của Mạng lưới TBT và Ban liên ngành TBT năm {today.year}" in (
        vietnamese
    )
    assert "Báo cáo Thủ tướng Chính phủ" not in english


# --- the menu leads each role to its work -------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        ("ministry", ["/network/dashboard/", "/inquiries/work/", "/notifications/work/", "/network/reference/"],
         ["/inquiries/mine/", "/manage/"]),
        ("provincial", ["/network/dashboard/", "/inquiries/work/"], ["/inquiries/mine/", "/manage/"]),
        ("business", ["/inquiries/mine/"], ["/network/dashboard/", "/inquiries/work/", "/network/reference/"]),
        ("admin", ["/network/dashboard/", "/manage/"], ["/inquiries/work/", "/inquiries/mine/"]),
        ("board_member", ["/network/dashboard/"], ["/inquiries/work/", "/manage/", "/inquiries/mine/"]),
        ("anonymous", ["/accounts/login/", "/accounts/register/"], ["/network/dashboard/", "/inquiries/work/"]),
    ],
)  # fmt: skip
def test_the_menu_of_each_role(who, present, absent, cast):
    html = client_for(cast[who]).get("/").content.decode()
    menu = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    links = set(re.findall(r'href="([^"]+)"', menu))
    assert set(present) <= links, links
    assert not set(absent) & links, links
    for path in present:  # every link of the menu answers
        assert client_for(cast[who]).get(path).status_code == 200, path
