"""Journey: an anonymous visitor browses the directory of TBT points in both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from network.models import Point

pytestmark = pytest.mark.browser


def test_visitor_finds_a_province_without_diacritics_and_switches_to_english(page, reference_tx):
    hanoi = Point.objects.get(level=Point.Level.PROVINCIAL, province__name_vi__icontains="Hà Nội")

    page.goto("/network/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh bạ các Điểm TBT")
    # All 43 points, grouped by level: 1 national, 8 ministries, 34 provinces.
    assert page.locator("section.point-group tbody tr").count() == 43
    assert page.locator("section.point-group").count() == 3

    page.get_by_label("Tìm theo tên, cơ quan, đơn vị hoặc tỉnh, thành phố").fill("ha noi")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"/network/\?q=ha\+noi"))
    link = page.get_by_role("link", name=hanoi.name_vi)
    expect(link).to_be_visible()
    assert page.locator("section.point-group tbody tr").count() < 43

    link.click()
    page.wait_for_url(f"**{hanoi.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(hanoi.name_vi)
    if hanoi.email:
        expect(page.get_by_role("link", name=hanoi.email)).to_be_visible()

    # The language switcher keeps the visitor on the same point, now in English under /en/.
    page.get_by_role("navigation", name="Ngôn ngữ").get_by_role("link", name="English").click()
    page.wait_for_url(f"**/en{hanoi.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(hanoi.name_en)
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto("/en/network/?q=khoa hoc")
    expect(page.get_by_role("heading", level=1)).to_have_text("Directory of TBT points")
    national = Point.objects.get(level=Point.Level.NATIONAL)
    expect(page.get_by_role("link", name=national.name_en)).to_be_visible()
