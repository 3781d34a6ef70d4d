"""Journeys in Chromium: a business registers and activates its account; an official turns on TOTP."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from network.models import OutboxEmail, User
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Tom-su-xuat-khau-2026!"


def test_business_registers_verifies_and_logs_in(page, reference_tx):
    from playwright.sync_api import expect

    page.goto("/accounts/register/")
    page.get_by_label("Họ và tên").fill("Trịnh Thị Hương")
    page.get_by_label("Tổ chức").fill("Công ty Cổ phần Thủy sản Cà Mau")
    page.get_by_label("Thư điện tử").fill("huong@camauseafood.example.vn")
    page.get_by_label("Điện thoại").fill("0290 3831 234")
    page.get_by_label("Ngôn ngữ sử dụng").select_option("vi")
    page.get_by_label("Mật khẩu", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
    page.get_by_label("Tôi đồng ý").check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Vui lòng kiểm tra thư điện tử")).to_be_visible()

    # Before the link is followed, logging in explains what is missing.
    login(page, "huong@camauseafood.example.vn", NEW_PASSWORD)
    expect(page.get_by_text("chưa được xác minh")).to_be_visible()

    body = OutboxEmail.objects.get(template="account_verify", to="huong@camauseafood.example.vn").body_text
    link = re.search(r"http://\S+/accounts/verify/\S+", body)
    assert link is not None
    page.goto("/" + link.group(0).split("://", 1)[1].split("/", 1)[1])
    expect(page.get_by_text("Địa chỉ thư điện tử đã được xác minh")).to_be_visible()

    login(page, "huong@camauseafood.example.vn", NEW_PASSWORD)
    expect(page.get_by_role("link", name="Trịnh Thị Hương")).to_be_visible()
    assert User.objects.get(email="huong@camauseafood.example.vn").is_active


def _code(secret: str, steps_ahead: int = 0) -> str:
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, 30, 0, 6, steps_ahead):06d}"


def test_official_turns_on_the_second_factor_and_logs_in_with_it(page, reference_tx):
    from playwright.sync_api import expect

    from network.models import Point

    User.objects.create_user(
        email="lan.stameq@example.vn",
        password=PASSWORD,
        full_name="Nguyễn Thị Lan",
        role=User.Role.NATIONAL_OFFICER,
        point=Point.objects.get(code="national"),
    )
    login(page, "lan.stameq@example.vn", lang_prefix="/en")
    page.goto("/en/accounts/profile/two-factor/")
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(_code(secret))
    page.get_by_role("button", name="Confirm and enable").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    assert page.locator(".backup-codes li").count() == 10

    page.get_by_role("button", name="Log out").click()
    login(page, "lan.stameq@example.vn", lang_prefix="/en")
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    # A code is accepted once (the device remembers the last time step used): take the next step
    # when the setup code's 30-second window is still current, else the current one, so the test
    # does not depend on where the clock falls in the window.
    device = TOTPDevice.objects.get(user__email="lan.stameq@example.vn", confirmed=True)
    page.get_by_label("Code", exact=True).fill(
        _code(secret, steps_ahead=1 if time.time() // 30 <= device.last_t else 0)
    )
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("link", name="Nguyễn Thị Lan")).to_be_visible()
    expect(page.get_by_role("heading", name="Second factor")).not_to_be_visible()
