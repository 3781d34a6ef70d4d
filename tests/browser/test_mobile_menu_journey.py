"""Journey in Chromium on a phone-sized screen: the main menu is folded behind a "Danh mục" button,
opens and closes with it (announced through aria-expanded) and its links work; on a wide screen the
whole menu shows and the button does not."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_menu_folds_on_a_phone(page, reference_tx) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    toggle = page.get_by_role("button", name="Danh mục")
    menu = page.locator("#main-menu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Thông báo")).to_be_visible()
    toggle.click()
    expect(menu).to_be_hidden()

    toggle.click()
    menu.get_by_role("link", name="Thông báo").click()
    expect(page).to_have_url(f"{page.url.split('/notifications')[0]}/notifications/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#main-menu")).to_be_hidden()  # folded again on the new page

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("button", name="Danh mục")).to_be_hidden()
    expect(page.locator("#main-menu").get_by_role("link", name="Thông báo")).to_be_visible()
