"""Journey in Chromium on a 360-pixel phone screen: the public pages people open from a phone fit
the screen (nothing runs off to the side; wide tables scroll inside their own box)."""

from __future__ import annotations

import pytest

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
