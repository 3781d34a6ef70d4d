"""Journey in Chromium: a ministry officer logs in, lands on the dashboard with the annual list due,
records the Minister's approval, adds a document and submits; the national point sees it."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from network.calendar import roll_forward
from network.models import AnnualList, OutboxEmail
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_ministry_officer_sends_the_annual_list_from_the_dashboard(
    page, reference_tx, ministry_officer, national_officer
):
    from playwright.sync_api import expect

    today = timezone.localdate()
    approved = today - timedelta(days=5)
    due = roll_forward(approved + timedelta(days=15))

    login(page, ministry_officer.email)
    expect(page).to_have_url(re.compile(r"/network/dashboard/$"))
    expect(page.get_by_role("heading", name="Bảng điều khiển")).to_be_visible()
    expect(page.get_by_text("Chờ Bộ trưởng phê duyệt")).to_be_visible()
    shot(page, "dashboard-ministry-awaiting")

    page.get_by_role("link", name="Ghi nhận ngày phê duyệt").click()
    page.get_by_label("Ngày Bộ trưởng phê duyệt chương trình xây dựng văn bản quy phạm pháp luật").fill(
        f"{approved:%d/%m/%Y}"
    )
    page.get_by_role("button", name="Lưu ngày phê duyệt").click()
    expect(page.get_by_text(f"Hạn gửi danh mục là ngày {due:%d/%m/%Y}")).to_be_visible()

    page.get_by_label("Tiêu đề").fill("Thông tư quy định về ghi nhãn hàng hóa")
    page.get_by_label("Loại").select_option("circular")
    page.get_by_label("Thời gian dự kiến ban hành").fill(f"30/11/{today.year}")
    page.get_by_label("Đơn vị chủ trì").fill("Vụ Khoa học và Công nghệ")
    page.get_by_role("button", name="Thêm vào danh mục").click()
    expect(page.get_by_text("Đã thêm văn bản vào danh mục.")).to_be_visible()
    expect(page.get_by_role("cell", name="Thông tư quy định về ghi nhãn hàng hóa", exact=True)).to_be_visible()

    page.goto("/network/dashboard/")
    expect(page.get_by_text(f"Hạn gửi ngày {due:%d/%m/%Y}")).to_be_visible()
    shot(page, "dashboard-ministry-draft")
    page.get_by_role("link", name="Tiếp tục lập danh mục").click()

    page.get_by_label("Tôi xác nhận danh mục đã đầy đủ").check()
    page.get_by_role("button", name="Gửi danh mục").click()
    expect(page.get_by_text("Danh mục đã được gửi Điểm TBT quốc gia. Xin cảm ơn.")).to_be_visible()
    shot(page, "annual-list-submitted")
    assert AnnualList.objects.get().state == AnnualList.State.SUBMITTED
    assert OutboxEmail.objects.filter(to=national_officer.email, template="annual_list_submitted").exists()

    # The national point sees every ministry's status.
    page.context.clear_cookies()
    login(page, national_officer.email)
    expect(page.get_by_role("heading", name=f"Danh mục hằng năm của các Bộ năm {today.year}")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Bộ Công Thương")
    expect(row.get_by_text("Đã gửi")).to_be_visible()
    shot(page, "dashboard-national")
