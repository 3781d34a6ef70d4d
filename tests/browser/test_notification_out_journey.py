"""Journey in Chromium, in Vietnamese: a ministry officer files a draft measure dossier, the quality
gate refuses it with reasons, it is fixed and sent; the national officer accepts and notifies it
(symbol shown); a WTO member's comment is recorded and routed; the ministry drafts the reply; the
national officer sends it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import OutboxEmail, Point, User
from notifications.models import Notification, NotificationComment
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _officers() -> tuple[User, User]:
    ministry = User.objects.create_user(
        email="hoa.moit@example.vn",
        password=PASSWORD,
        full_name="Lê Thị Hoa",
        role=User.Role.MINISTRY_OFFICER,
        point=Point.objects.get(code="bo-cong-thuong"),
        email_verified_at=timezone.now(),
    )
    national = User.objects.create_user(
        email="lan.stameq@example.vn",
        password=PASSWORD,
        full_name="Nguyễn Thị Lan",
        role=User.Role.NATIONAL_OFFICER,
        point=Point.objects.get(code="national"),
        email_verified_at=timezone.now(),
    )
    return ministry, national


def _switch(page, email: str) -> None:
    page.context.clear_cookies()
    login(page, email)


def test_draft_gate_notify_comment_reply(page, reference_tx) -> None:
    from playwright.sync_api import expect

    ministry, national = _officers()
    today = timezone.localdate()
    planned = today + timedelta(days=14)

    # 1. The ministry files a dossier with a missing title, a wrong HS code and boxes in Vietnamese.
    login(page, ministry.email)
    page.goto("/notifications/dossiers/new/")
    page.get_by_label("Ô 2: Cơ quan chịu trách nhiệm").fill("Bộ Công Thương, 54 Hai Bà Trưng, Hà Nội")
    page.get_by_label("2.9.2", exact=True).check()
    page.get_by_label("Ô 4: Sản phẩm thuộc phạm vi điều chỉnh").fill("Điện thoại di động (smartphones)")
    page.get_by_label("Ô 4: Mã HS").fill("8517.99.99")
    page.get_by_label("Ô 4: Mã ICS").fill("33.050")
    page.get_by_label("Ô 5: Số trang").fill("12")
    page.get_by_label("Ô 5: Ngôn ngữ").fill("Tiếng Việt")
    page.get_by_label("Ô 6: Mô tả nội dung").fill("Giới hạn SAR và phương pháp thử đối với điện thoại di động.")
    page.get_by_label("Bảo vệ sức khỏe hoặc an toàn con người").check()
    page.get_by_label("Ô 7: Lý do").fill("Bảo vệ sức khỏe người sử dụng.")
    page.get_by_label("Ô 8: Tài liệu liên quan").fill("IEC 62209-1528:2020")
    page.get_by_label("Ô 9: Ngày dự kiến thông qua", exact=True).fill((today + timedelta(days=120)).isoformat())
    page.get_by_label("Ô 9: Ngày dự kiến có hiệu lực", exact=True).fill((today + timedelta(days=400)).isoformat())
    page.get_by_label("Ô 10: Ngày dự kiến phát hành thông báo").fill(planned.isoformat())
    page.get_by_label("Ô 10: Hạn cuối nhận góp ý").fill((planned + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu hồ sơ dự thảo.")).to_be_visible()

    # 2. The gate refuses it, naming the boxes.
    page.get_by_role("link", name="Gửi Điểm TBT quốc gia").click()
    page.get_by_role("button", name="Gửi hồ sơ").click()
    reasons = page.locator("#gate-reasons")
    expect(reasons).to_contain_text("Hồ sơ chưa được gửi")
    expect(reasons).to_contain_text("Ô 5: Tên văn bản được thông báo đang để trống")
    expect(reasons).to_contain_text("85179999")
    expect(reasons).to_contain_text("Các ô sau đang viết bằng tiếng Việt")
    expect(reasons).to_contain_text("Ô 6: Mô tả nội dung")
    n = Notification.objects.get(direction="out")
    assert n.state == Notification.State.DRAFT

    # 3. Fixed and sent.
    page.get_by_role("link", name="Chỉnh sửa hồ sơ").click()
    page.get_by_label("Ô 5: Tên văn bản được thông báo").fill(
        "Draft National Technical Regulation on the specific absorption rate of mobile phones"
    )
    page.get_by_label("Ô 4: Mã HS").fill("8517.13")
    page.get_by_label("Ô 2: Cơ quan chịu trách nhiệm").fill("Ministry of Industry and Trade, 54 Hai Ba Trung, Ha Noi")
    page.get_by_label("Ô 4: Sản phẩm thuộc phạm vi điều chỉnh").fill("Mobile phones (smartphones)")
    page.get_by_label("Ô 5: Ngôn ngữ").fill("Vietnamese")
    page.get_by_label("Ô 6: Mô tả nội dung").fill("SAR limits and test methods for mobile phones.")
    page.get_by_label("Ô 7: Lý do").fill("Protection of the health of users.")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu hồ sơ.")).to_be_visible()
    page.get_by_role("link", name="Gửi Điểm TBT quốc gia").click()
    expect(page.get_by_text("Hồ sơ đạt yêu cầu kiểm tra chất lượng.")).to_be_visible()
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.get_by_text("Đã gửi hồ sơ đến Điểm TBT quốc gia.")).to_be_visible()
    expect(page.locator("#state")).to_have_text("Đã gửi Điểm TBT quốc gia")

    # 4. The national officer accepts and notifies it: the symbol is shown.
    _switch(page, national.email)
    page.goto("/notifications/work/")
    page.get_by_role("link", name="Xem xét", exact=True).click()
    page.get_by_label("Chấp nhận để thông báo").check()
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_text("Hồ sơ đã được chấp nhận để thông báo.")).to_be_visible()
    page.get_by_role("link", name="Thông báo cho WTO").click()
    page.get_by_role("button", name="Thông báo", exact=True).click()
    expect(page.get_by_text("Đã thông báo cho WTO với ký hiệu G/TBT/N/VNM/1.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("G/TBT/N/VNM/1")
    n.refresh_from_db()
    assert n.symbol == "G/TBT/N/VNM/1" and n.state == Notification.State.NOTIFIED

    # 5. A WTO member's comment arrives and is routed to the ministry.
    page.get_by_role("link", name="Ghi nhận góp ý của thành viên").click()
    page.get_by_label("Thành viên WTO").select_option(label="Hoa Kỳ")
    page.get_by_label("Nội dung góp ý").fill("Đề nghị làm rõ phương pháp đo SAR.")
    page.get_by_label("Thư điện tử của điểm hỏi đáp của thành viên").fill("tbt@nist.example.gov")
    page.get_by_role("button", name="Ghi nhận góp ý").click()
    expect(page.get_by_text("Đã ghi nhận góp ý.")).to_be_visible()
    expect(page.get_by_label("Điểm TBT cấp bộ dự thảo trả lời")).to_have_value(str(ministry.point_id))
    page.get_by_role("button", name="Chuyển để trả lời").click()
    expect(page.get_by_text("Đã chuyển góp ý cho Điểm TBT cấp bộ.")).to_be_visible()
    comment = NotificationComment.objects.get()
    assert comment.state == NotificationComment.State.ROUTED and comment.point_id == ministry.point_id

    # 6. The ministry drafts the reply from its work queue.
    _switch(page, ministry.email)
    page.goto("/notifications/work/")
    page.locator("#queue-replies").get_by_role("link").last.click()
    page.get_by_label("Trả lời", exact=True).fill("Phương pháp đo theo IEC 62209-1528:2020.")
    page.get_by_role("button", name="Gửi dự thảo trả lời đến Điểm TBT quốc gia").click()
    expect(page.get_by_text("Đã gửi dự thảo trả lời đến Điểm TBT quốc gia.")).to_be_visible()

    # 7. The national officer sends it to the member.
    _switch(page, national.email)
    page.goto("/notifications/work/")
    page.locator("#queue-send").get_by_role("link").last.click()
    page.get_by_role("button", name="Gửi trả lời").click()
    # Drafted in Vietnamese: it goes to the member as it is, so it is refused until written in English.
    expect(page.get_by_role("alert")).to_contain_text("viết bằng tiếng Việt")
    page.get_by_label("Trả lời", exact=True).fill("The SAR is measured according to IEC 62209-1528:2020.")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Đã gửi trả lời.")).to_be_visible()
    expect(page.locator("#comment-state")).to_have_text("Đã gửi trả lời")
    comment.refresh_from_db()
    assert comment.state == NotificationComment.State.REPLIED
    assert OutboxEmail.objects.filter(template="notification_comment_reply", to="tbt@nist.example.gov").exists()
