"""Journey in Chromium on a 360-pixel phone screen: the public pages people open from a phone fit
the screen (nothing runs off to the side; wide tables scroll inside their own box)."""

from __future__ import annotations

import pytest

from network.models import OutboxEmail
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/network/",
    "/notifications/",
    "/inquiries/new/",
    "/inquiries/faq/",
    "/inquiries/track/",
    "/board/",
    "/en/",
]


def test_public_pages_fit_a_phone_screen(page, reference_tx) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 360, "height": 740})
    too_wide = {}
    for path in PAGES:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[path] = overflow
    assert too_wide == {}


def test_the_administrators_wide_tables_scroll_inside_their_box_on_a_phone(
    page, reference_tx, admin_user, settings
) -> None:
    """A wide table (the outbox, with a "Send again" button whose hidden label names the recipient)
    scrolls inside its own box: the page itself does not get wider than the screen."""
    from playwright.sync_api import expect

    settings.OTP_REQUIRED_FOR_ADMINS = False
    OutboxEmail.objects.create(
        to="a.rather.long.address.of.an.officer@ministry-of-industry-and-trade.example.vn",
        template="inquiry_assigned",
        subject="Yêu cầu xử lý câu hỏi TBT-2026-00042 của doanh nghiệp xuất khẩu thủy sản",
        body_text="…",
        state=OutboxEmail.State.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed by the remote server",
    )
    login(page, admin_user.email)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/manage/outbox/")
    expect(page.get_by_role("button", name="Gửi lại")).to_have_count(1)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 360px screen"
