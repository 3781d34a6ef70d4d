"""The cached blank public form: same page as the uncached render, fresh tokens, fresh reference data."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from django.test import Client

from inquiries import views_public
from inquiries.models import Inquiry
from network.models import Province, WTOMember
from tests.conftest import client_for
from tests.inquiries.conftest import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_cache")]  # the cache outlives a transaction
NEW = "/inquiries/new/"
NEW_EN = "/en/inquiries/new/"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="form_token" value="([^"]+)"')
# Expires is "now" (never_cache): compared for presence only, since two responses may straddle a second.
HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Content-Security-Policy")


def tokens(html: str) -> tuple[str, str]:
    csrf, form_token = CSRF_RE.findall(html), TOKEN_RE.findall(html)
    assert len(csrf) == 1 and len(form_token) == 1
    return csrf[0], form_token[0]


def normalised(html: str) -> str:
    return TOKEN_RE.sub('name="form_token" value="T"', CSRF_RE.sub('name="csrfmiddlewaretoken" value="C"', html))


def uncached(monkeypatch, url: str) -> HttpResponse:
    with monkeypatch.context() as patch:
        patch.setattr(views_public, "_form_page_cacheable", lambda request: False)
        return Client().get(url)


def test_cached_page_is_the_uncached_page_but_the_tokens(reference, monkeypatch):
    for url in (NEW, NEW_EN):
        plain = uncached(monkeypatch, url)
        first = Client().get(url)
        with monkeypatch.context() as patch:  # the second one comes from the cache: no rendering
            patch.setattr(views_public, "render_to_string", None)
            second = Client().get(url)
        assert plain.status_code == first.status_code == second.status_code == 200
        assert normalised(first.content.decode()) == normalised(plain.content.decode())
        assert normalised(second.content.decode()) == normalised(plain.content.decode())
        for header in HEADERS:
            assert second.headers.get(header) == plain.headers.get(header), header
        assert second.headers.get("Expires") and plain.headers.get("Expires")
        assert django_settings.CSRF_COOKIE_NAME in second.cookies


def test_each_get_has_its_own_tokens_and_the_second_page_posts(reference, media, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    client = Client(enforce_csrf_checks=True)
    csrf_1, token_1 = tokens(client.get(NEW).content.decode())
    csrf_2, token_2 = tokens(client.get(NEW).content.decode())
    assert token_1 != token_2 and csrf_1 != csrf_2  # CSRF tokens are masked afresh on each page
    response = client.post(NEW, form_data(form_token=token_2, csrfmiddlewaretoken=csrf_2), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302, response.content.decode()[:500]
    assert Inquiry.objects.count() == 1


def test_a_renamed_member_or_province_shows_on_the_next_get(reference):
    Client().get(NEW), Client().get(NEW_EN)
    member = WTOMember.objects.get(code="EU")
    member.name_vi, member.name_en = "Liên minh châu Âu (mới)", "European Union (new)"
    member.save()
    province = Province.objects.get(gso_code="01")
    province.full_name_vi, province.full_name_en = "Thủ đô Hà Nội", "Ha Noi Capital"
    province.save()
    vi, en = Client().get(NEW).content.decode(), Client().get(NEW_EN).content.decode()
    assert "Liên minh châu Âu (mới)" in vi and "Thủ đô Hà Nội" in vi
    assert "European Union (new)" in en and "Ha Noi Capital" in en


def test_rows_added_without_signals_show_on_the_next_get(reference):
    Client().get(NEW)
    WTOMember.objects.bulk_create([WTOMember(code="ZZZ", name_en="Zedland", name_vi="Xứ Zed")])
    assert "Xứ Zed" in Client().get(NEW).content.decode()


def test_a_logged_in_business_gets_its_prefilled_form(business):
    Client().get(NEW), Client().get(NEW)
    html = client_for(business).get(NEW).content.decode()
    assert 'value="Bùi Văn Nam"' in html and 'value="ceo@vinaexport.example.vn"' in html
    assert "placeholder-" not in html


def test_a_pending_message_is_shown_once(reference):
    Client().get(NEW), Client().get(NEW)
    storage = CookieStorage(HttpRequest())
    storage.add(messages.SUCCESS, "Thông báo chờ hiển thị")
    carrier = HttpResponse()
    storage.update(carrier)
    client = Client()
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    assert "Thông báo chờ hiển thị" in client.get(NEW).content.decode()
    assert "Thông báo chờ hiển thị" not in client.get(NEW).content.decode()


def test_a_query_string_is_not_served_from_the_cache(reference, monkeypatch):
    calls = []
    monkeypatch.setattr(views_public, "_form_page_cached", lambda request: calls.append(request))
    assert Client().get(NEW + "?from=faq").status_code == 200
    assert calls == []


def test_an_unreachable_cache_falls_back_to_rendering(reference, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(LocMemCache, "get_many", down)  # own_cache: this test's local-memory cache
    html = Client().get(NEW).content.decode()
    assert "placeholder-" not in html and len(tokens(html)) == 2
    monkeypatch.setattr(LocMemCache, "incr", down)
    member = WTOMember.objects.get(code="EU")
    member.save()  # the invalidation failing does not fail the save
