"""Journey in Chromium, in Vietnamese: a business finds an open EU draft with Vietnamese keywords
typed without diacritics, reads the internal cut-off and sends its input before it; a draft whose
cut-off has passed shows a notice instead of the form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import OutboxEmail, User, WTOMember
from notifications.models import BusinessInput, Notification
from notifications.search import notification_search_text
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _eu_draft(title_vi: str, deadline_in_days: int, symbol: str) -> Notification:
    today = timezone.localdate()
    n = Notification(
        direction="in",
        source="wto",
        state="relevant",
        symbol=symbol,
        member=WTOMember.objects.get(code="EU"),
        title="Draft Commission Regulation on the safety of toys: chemical requirements",
        title_vi=title_vi,
        summary_vi="Giới hạn hóa chất trong đồ chơi trẻ em bằng nhựa.",
        products_text="Toys",
        hs_codes=["950300"],
        distribution_date=today - timedelta(days=10),
        comment_deadline=today + timedelta(days=deadline_in_days),
    )
    n.search_text = notification_search_text(n)
    n.save()
    return n


def test_business_finds_an_open_eu_draft_and_sends_input(page, reference_tx) -> None:
    from playwright.sync_api import expect

    open_draft = _eu_draft("Dự thảo quy định về an toàn đồ chơi trẻ em", 60, "G/TBT/N/EU/1100")
    closed = _eu_draft("Quy định về đồ chơi trẻ em phát ra âm thanh", 10, "G/TBT/N/EU/1050")
    User.objects.create_user(
        email="ceo@vinatoys.example.vn",
        password=PASSWORD,
        full_name="Bùi Văn Nam",
        role=User.Role.BUSINESS,
        organisation="Công ty TNHH Đồ chơi Việt",
        email_verified_at=timezone.now(),
    )
    login(page, "ceo@vinatoys.example.vn")

    # Found through the public search with keywords typed without diacritics.
    page.goto("/notifications/")
    page.locator('input[name="q"]').fill("do choi tre em")
    page.locator('input[name="q"]').press("Enter")
    results = page.locator("ol.results")
    expect(results).to_contain_text("Dự thảo quy định về an toàn đồ chơi trẻ em")
    expect(results).to_contain_text("Quy định về đồ chơi trẻ em phát ra âm thanh")

    # A draft past its internal cut-off: a notice, no form.
    results.get_by_role("link", name="Quy định về đồ chơi trẻ em phát ra âm thanh").click()
    notice = page.locator("#business-input")
    cutoff_closed = closed.input_cutoff.strftime("%d/%m/%Y")
    expect(notice).to_contain_text(f"Đã hết hạn gửi ý kiến từ ngày {cutoff_closed}")
    expect(notice.get_by_role("button", name="Gửi ý kiến")).to_have_count(0)
    page.go_back()

    # The open draft: the page shows the cut-off; the form is pre-filled for the logged-in business.
    page.locator("ol.results").get_by_role("link", name="Dự thảo quy định về an toàn đồ chơi trẻ em").click()
    box = page.locator("#business-input")
    expect(box).to_contain_text(open_draft.input_cutoff.strftime("%d/%m/%Y"))
    expect(box.get_by_label("Họ và tên")).to_have_value("Bùi Văn Nam")
    expect(box.get_by_label("Doanh nghiệp hoặc hiệp hội")).to_have_value("Công ty TNHH Đồ chơi Việt")
    expect(box.get_by_label("Thư điện tử")).to_have_value("ceo@vinatoys.example.vn")
    box.get_by_label("Ý kiến của bạn").fill(
        "Đồ chơi nhựa của chúng tôi đã đạt EN 71-3; đề nghị EU chấp nhận kết quả thử nghiệm của phòng thử nghiệm "
        "được công nhận tại Việt Nam."
    )
    box.get_by_label("Tôi đồng ý").check()
    box.get_by_role("button", name="Gửi ý kiến").click()

    expect(page.get_by_role("heading", name="Cảm ơn ý kiến của bạn")).to_be_visible()
    item = BusinessInput.objects.get()
    expect(page.get_by_text(str(item.public_id))).to_be_visible()
    assert item.notification == open_draft and item.organisation == "Công ty TNHH Đồ chơi Việt"
    assert item.user is not None and item.consent_at is not None
    ack = OutboxEmail.objects.get(template="notification_input_ack", to="ceo@vinatoys.example.vn")
    assert ack.language == "vi" and str(item.public_id) in ack.body_text

    # The business follows its input from its own page.
    page.get_by_role("link", name="Ý kiến của tôi về thông báo").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ý kiến của tôi về thông báo")
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("G/TBT/N/EU/1100")
    expect(row).to_contain_text("Đã nhận; đang chờ Điểm TBT quốc gia xử lý")

    # On a phone, the notification page fits the screen: nothing runs off to the side.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(open_draft.get_absolute_url())
    expect(page.locator("#business-input")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 360px screen"
    page.set_viewport_size({"width": 1280, "height": 800})

    # The public page counts the input without showing it.
    page.context.clear_cookies()
    page.goto(open_draft.get_absolute_url())
    expect(page.locator("#business-input")).to_contain_text("Đến nay đã nhận 1 ý kiến.")
    expect(page.get_by_text("EN 71-3")).to_have_count(0)
