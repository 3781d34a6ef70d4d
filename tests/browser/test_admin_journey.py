"""Journey: an administrator adds an officer to a ministry point through /manage/."""

from __future__ import annotations

import re

import pytest

from network.models import Event, OutboxEmail, Point, User
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _label(text: str) -> re.Pattern[str]:
    """A field's label exactly, whether or not it carries the required-field asterisk."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def test_administrator_adds_a_user_to_a_ministry_point(page, reference_tx, admin_user, settings):
    # The second factor is tested elsewhere; here the administrator logs in with a password only.
    settings.OTP_REQUIRED_FOR_ADMINS = False
    health = Point.objects.get(code="bo-y-te")

    login(page, admin_user.email)
    page.get_by_role("link", name="Quản trị").first.click()
    page.wait_for_url("**/manage/")
    page.get_by_role("navigation", name="Các mục quản trị").get_by_role("link", name="Người dùng").click()
    page.wait_for_url("**/manage/users/")
    page.get_by_role("link", name="Thêm người dùng").click()
    page.wait_for_url("**/manage/users/new/")

    page.get_by_label(_label("Thư điện tử")).fill("thanh.moh@example.vn")
    page.get_by_label(_label("Họ và tên")).fill("Trịnh Thị Thanh")
    page.get_by_label(_label("Vai trò")).select_option("ministry_officer")
    page.get_by_label(_label("Điểm TBT")).select_option(str(health.pk))
    page.get_by_role("checkbox", name="Người phụ trách Điểm TBT").check()
    page.get_by_role("button", name="Thêm người dùng").click()
    page.wait_for_url("**/manage/users/")

    status = page.get_by_role("status").first
    assert "Đã thêm Trịnh Thị Thanh" in status.inner_text()
    row = page.get_by_role("row").filter(has_text="thanh.moh@example.vn")
    assert "Trịnh Thị Thanh" in row.inner_text()
    assert health.name_vi in row.inner_text()

    user = User.objects.get(email="thanh.moh@example.vn")
    assert (user.role, user.point_id, user.is_head) == (User.Role.MINISTRY_OFFICER, health.pk, True)
    assert set(user.groups.values_list("name", flat=True)) == {"role:ministry_officer", "point:bo-y-te"}
    assert OutboxEmail.objects.filter(to=user.email, template="account_welcome").exists()
    assert Event.objects.filter(verb="created", object_id=str(user.pk), actor=admin_user).exists()


def test_administrator_sees_the_point_mismatch_next_to_the_field(page, reference_tx, admin_user, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = False
    login(page, admin_user.email, lang_prefix="/en")
    page.goto("/en/manage/users/new/")
    page.get_by_label(_label("E-mail")).fill("wrong.level@example.vn")
    page.get_by_label(_label("Full name")).fill("Wrong Level")
    page.get_by_label(_label("Role")).select_option("ministry_officer")
    page.get_by_label(_label("TBT point")).select_option(str(Point.objects.get(code="tinh-01").pk))
    page.get_by_role("button", name="Add the user").click()
    field = page.locator(".field-error").filter(has=page.get_by_label(_label("TBT point")))
    assert "must be attached to a ministry tbt point" in field.inner_text().lower()
    assert not User.objects.filter(email="wrong.level@example.vn").exists()
