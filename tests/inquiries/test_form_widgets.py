"""The long reference lists of the public form (WTO members, provinces) are rendered in Python
(inquiries.forms.FastSelect*): same options and labels as the models' names, choices kept on a
re-display, and no list query while a POST is validated."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inquiries.forms import InquiryForm
from network.models import Province, WTOMember
from tests.inquiries.conftest import form_data

pytestmark = pytest.mark.django_db


def options(html: str, name: str) -> list[tuple[str, bool, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return [
        (value, bool(selected), unescape(label))
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select[1])
    ]


def test_every_member_and_province_is_listed_with_its_name_in_the_page_language(reference):
    html_en = Client().get("/en/inquiries/new/").content.decode()
    members = options(html_en, "markets")
    assert len(members) == WTOMember.objects.count()
    eu = WTOMember.objects.get(code="EU")
    assert (str(eu.pk), False, eu.name_en) in members
    assert [label for _v, _s, label in members] == list(
        WTOMember.objects.order_by("name_en").values_list("name_en", flat=True)
    )
    provinces = options(html_en, "province")
    assert provinces[0][0] == "" and len(provinces) == Province.objects.count() + 1
    hanoi = Province.objects.get(gso_code="01")
    with translation.override("en"):
        assert (str(hanoi.pk), False, str(hanoi)) in provinces

    html_vi = Client().get("/inquiries/new/").content.decode()
    assert (str(eu.pk), False, eu.name_vi) in options(html_vi, "markets")
    with translation.override("vi"):
        assert (str(hanoi.pk), False, str(hanoi)) in options(html_vi, "province")


def test_choices_are_kept_on_a_redisplay(reference):
    eu = WTOMember.objects.get(code="EU")
    usa = WTOMember.objects.get(code="USA")
    hanoi = Province.objects.get(gso_code="01")
    response = Client().post(
        "/en/inquiries/new/", form_data(email="not-an-email", markets=[eu.pk, usa.pk]), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 400
    html = response.content.decode()
    selected = {value for value, chosen, _label in options(html, "markets") if chosen}
    assert selected == {str(eu.pk), str(usa.pk)}
    assert [value for value, chosen, _label in options(html, "province") if chosen] == [str(hanoi.pk)]
    assert re.search(r'<select name="markets"[^>]* multiple', html)


def test_validating_a_post_does_not_load_the_lists(reference):
    eu = WTOMember.objects.get(code="EU")
    with CaptureQueriesContext(connection) as queries:
        form = InquiryForm(form_data(markets=[eu.pk]))
        assert form.is_valid(), form.errors
    assert list(form.cleaned_data["markets"]) == [eu]
    # Validation looks up the chosen ids only, never the whole list of members or provinces.
    lists = [
        q["sql"]
        for q in queries
        if ("network_wtomember" in q["sql"] or "network_province" in q["sql"]) and "WHERE" not in q["sql"]
    ]
    assert lists == []
