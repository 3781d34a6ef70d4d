"""Journey in Chromium with the search caches on, as deployed: an anonymous visitor's search page is
served from the cache; a national officer corrects the Vietnamese title of the notification on its
screen; the visitor's next search shows the corrected title at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import Point, User, WTOMember
from notifications.models import Notification
from notifications.search import notification_search_text
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_corrected_title_shows_to_visitors_at_once(
    page, browser_instance, live_server, reference_tx, search_caches_on
):
    from playwright.sync_api import expect

    today = timezone.localdate()
    n = Notification(
        direction="in",
        source="wto",
        state="relevant",
        symbol="G/TBT/N/EU/1100",
        member=WTOMember.objects.get(code="EU"),
        title="Draft Commission Regulation on the safety of toys: chemical requirements",
        title_vi="Dự thảo quy định về đồ chơi",
        description="Limits for chemicals in plastic toys.",
        distribution_date=today - timedelta(days=10),
        comment_deadline=today + timedelta(days=60),
    )
    n.search_text = notification_search_text(n)
    n.save()
    User.objects.create_user(
        email="lan.stameq@example.vn",
        password=PASSWORD,
        full_name="Nguyễn Thị Lan",
        role=User.Role.NATIONAL_OFFICER,
        point=Point.objects.get(code="national"),
        email_verified_at=timezone.now(),
        is_head=True,
    )

    page.goto("/notifications/?q=do+choi")
    results = page.locator("ol.results")
    expect(results).to_contain_text("Dự thảo quy định về đồ chơi")
    page.reload()  # now from the cache
    expect(results).to_contain_text("Dự thảo quy định về đồ chơi")

    official = browser_instance.new_context(base_url=live_server.url, locale="vi-VN")
    try:
        desk = official.new_page()
        login(desk, "lan.stameq@example.vn")
        desk.goto(f"/notifications/{n.public_id}/vietnamese/")
        desk.get_by_label("Tên (tiếng Việt)").fill("Dự thảo quy định của EU về hóa chất trong đồ chơi trẻ em")
        desk.get_by_label("Tóm tắt (tiếng Việt)").fill("Giới hạn hóa chất trong đồ chơi bằng nhựa.")
        desk.get_by_label("Tôi đã đối chiếu bản dịch này với bản gốc: đánh dấu đã kiểm tra").check()
        desk.get_by_role("button", name="Lưu").click()
        desk.wait_for_load_state()
    finally:
        official.close()
    n.refresh_from_db()
    assert n.title_vi == "Dự thảo quy định của EU về hóa chất trong đồ chơi trẻ em" and n.vi_verified

    page.reload()
    expect(results).to_contain_text("Dự thảo quy định của EU về hóa chất trong đồ chơi trẻ em")
    page.goto("/notifications/?q=hoa+chat+do+choi")  # found by the new words too
    expect(page.locator("ol.results")).to_contain_text("Dự thảo quy định của EU về hóa chất")
