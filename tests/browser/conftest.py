"""Playwright journeys on Debian's Chromium (/usr/bin/chromium) against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are
# still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_instance() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required at {CHROMIUM} for the browser journeys")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance, live_server, transactional_db):  # noqa: ARG001
    """A fresh browser context per test (own cookies), with the live server's URL as base."""
    context = browser_instance.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def reference_tx(transactional_db):
    """Reference data for live-server tests (the transactional DB is emptied between tests)."""
    from django.core.management import call_command

    from network.models import Point

    if Point.objects.count() != 43:
        call_command("load_reference_data", quiet=True)


def login(page, email: str, password: str = PASSWORD, *, lang_prefix: str = "") -> None:
    page.goto(f"{lang_prefix}/accounts/login/")
    page.get_by_label("E-mail" if lang_prefix == "/en" else "Thư điện tử").fill(email)
    page.get_by_label("Password" if lang_prefix == "/en" else "Mật khẩu").fill(password)
    page.get_by_role("button", name="Log in" if lang_prefix == "/en" else "Đăng nhập").click()
    page.wait_for_load_state()
