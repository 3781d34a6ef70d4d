"""Journeys of the Inter-agency TBT Board, in Vietnamese:

1. an administrator replaces the Ministry of Health's representative through the portal's screens;
2. a national officer escalates an issue; the Secretary convenes an ad-hoc meeting on it, records the
   attendance, a split vote (after the portal refuses a "carried" the numbers do not support) and a
   reservation, and closes the minutes; a member downloads the minutes PDF, whose text keeps every
   Vietnamese diacritic and whose first page renders to an image.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from board.models import AgendaItem, Escalation, Meeting, Membership
from network.events import events_for
from network.models import AnnualList, Point
from tests.board.helpers import make_user, pdf_text, pdf_to_png, seat_board, take_place
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _label(text: str) -> re.Pattern[str]:
    """A field's label exactly, whether or not it carries the required-field asterisk."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


@pytest.fixture
def seated(reference_tx, admin_user, board_member, board_secretary, settings, tmp_path):
    settings.OTP_REQUIRED_FOR_ADMINS = False  # the second factor is tested elsewhere
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return seat_board(admin_user, board_member, board_secretary)


def _logout(page) -> None:
    page.context.clear_cookies()


def test_administrator_replaces_the_ministry_of_health_representative(page, seated):
    board = seated
    successor = make_user("khoa.moh@example.vn", "Đặng Văn Khoa")
    today = timezone.localdate()

    login(page, board.admin.email)
    page.goto("/board/")
    page.get_by_role("link", name="Quản lý thành viên").click()
    page.wait_for_url("**/board/manage/")
    row = page.get_by_role("row").filter(has_text="Bộ Y tế")
    assert "Trần Thị Hạnh" in row.inner_text()
    row.get_by_role("link", name="Đề cử người thay thế").click()
    page.wait_for_url("**/board/manage/nominate/?seat=bo-y-te")

    page.get_by_label(_label("Họ và tên")).fill("Đặng Văn Khoa")
    page.get_by_label(_label("Chức vụ (tiếng Việt)")).fill("Phó Vụ trưởng Vụ Pháp chế")
    page.get_by_label(_label("Chức vụ (tiếng Anh)")).fill("Deputy Director-General, Legal Department")
    page.get_by_label(_label("Thư điện tử")).fill("khoa.moh@example.vn")
    page.get_by_label(_label("Tài khoản người dùng")).select_option(str(successor.pk))
    page.get_by_label(_label("Văn bản đề cử (số, ngày)")).fill("Công văn 512/BYT-PC ngày 01/12/2026")
    page.get_by_role("button", name="Ghi nhận đề cử").click()
    page.wait_for_url("**/board/manage/memberships/*/")
    assert "Đã được đề cử" in page.locator("#membership-state").inner_text()

    page.get_by_role("link", name="Ghi nhận quyết định (thay thế Trần Thị Hạnh)").click()
    page.get_by_label(_label("Số quyết định")).fill("2150/QĐ-BKHCN")
    page.get_by_label(_label("Ngày quyết định")).fill(today.isoformat())
    page.get_by_label(_label("Ngày bắt đầu nhiệm kỳ")).fill(today.isoformat())
    page.get_by_role("button", name="Bổ nhiệm").click()
    page.wait_for_url("**/board/manage/seats/bo-y-te/")
    assert "Đặng Văn Khoa thay thế Trần Thị Hạnh" in page.get_by_role("status").first.inner_text()
    history = page.get_by_role("table").inner_text()
    assert "Đặng Văn Khoa" in history and "Trần Thị Hạnh" in history

    old = Membership.objects.get(pk=board.health.pk)
    new = Membership.objects.get(full_name="Đặng Văn Khoa")
    assert old.state == Membership.State.ENDED and old.ended_on == today
    assert new.state == Membership.State.ACTIVE and new.term_start == today and new.predecessor == old
    assert Membership.objects.filter(agency__code="bo-y-te", state=Membership.State.ACTIVE).count() == 1

    # The public page, in both languages, shows the new representative.
    _logout(page)
    page.goto("/board/")
    health_row = page.get_by_role("row").filter(has_text="Bộ Y tế")
    assert "Đặng Văn Khoa" in health_row.inner_text()
    page.goto("/en/board/")
    assert (
        "Deputy Director-General, Legal Department"
        in page.get_by_role("row").filter(has_text="Ministry of Health").inner_text()
    )


def _escalated_object():
    """An enquiry submitted through the enquiries app (escalated by its public tracking code); an
    annual list if that app's submission contract is not available."""
    try:
        from inquiries import services as inquiry_services
        from network.models import HSCode, Province, WTOMember

        data = inquiry_services.Submission(
            name="Bùi Văn Nam",
            organisation="Công ty TNHH Pin Việt",
            email="nam@pinviet.example.vn",
            phone="0912345678",
            asker_type="business",
            province=Province.objects.filter(gso_code="01").first(),
            subject="Quy chuẩn pin lithium cho thiết bị y tế",
            question="Pin lithium dùng trong thiết bị y tế có thuộc phạm vi quy chuẩn mới không?",
            language="vi",
            consent_version="2026-01",
            hs_codes=list(HSCode.objects.filter(code="8507")),
            markets=list(WTOMember.objects.filter(code__in=["EU"])),
        )
        inquiry, _created = inquiry_services.inquiry_submit(
            data=data, files=[], idempotency_key=uuid.uuid4(), user=None
        )
        return "inquiries.inquiry", inquiry.code, inquiry
    except (ImportError, AttributeError, TypeError):
        annual_list = AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=timezone.localdate().year)
        return "network.annuallist", str(annual_list.public_id), annual_list


def test_secretary_convenes_on_an_escalated_issue_and_a_member_downloads_the_minutes(
    page, seated, national_officer, tmp_path
):
    board = seated
    type_value, public_id, target = _escalated_object()

    # A national officer escalates the issue to the Board (Đ12.1).
    login(page, national_officer.email)
    page.goto(f"/board/escalate/?type={type_value}&id={public_id}")
    page.get_by_label(_label("Tóm tắt vấn đề")).fill(
        "Bộ Y tế và Bộ Công Thương chưa thống nhất phạm vi quy chuẩn về pin lithium dùng trong thiết bị y tế."
    )
    page.get_by_label(_label("Vấn đề đề nghị Ban xem xét, quyết định")).fill(
        "Ban có kiến nghị Bộ Công Thương sửa đổi phạm vi quy chuẩn không?"
    )
    page.get_by_role("button", name="Kiến nghị lên Ban liên ngành TBT").click()
    page.wait_for_url("**/board/escalations/*/")
    escalation = Escalation.objects.get()
    assert escalation.target == target
    _logout(page)

    # The Secretary schedules an ad-hoc meeting and puts the issue on the agenda.
    login(page, board.secretary_user.email)
    page.goto("/board/meetings/")
    page.get_by_role("link", name="Lên lịch họp đột xuất").click()
    page.get_by_label(_label("Tiêu đề")).fill("Họp đột xuất về quy chuẩn pin lithium")
    starts = timezone.localtime() + timedelta(days=2)
    page.get_by_label(_label("Thời gian")).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(_label("Địa điểm")).fill("Phòng họp 301, 8 Hoàng Quốc Việt, Hà Nội")
    page.get_by_role("button", name="Lên lịch họp").click()
    page.wait_for_url("**/board/meetings/*/")
    meeting = Meeting.objects.get()
    assert meeting.kind == Meeting.Kind.AD_HOC and meeting.convened_by == board.head

    page.get_by_role("link", name="Bổ sung nội dung họp").click()
    page.get_by_label(_label("Loại nội dung")).select_option("escalation")
    page.get_by_label(_label("Vấn đề được kiến nghị")).select_option(str(escalation.pk))
    page.get_by_role("button", name="Đưa vào chương trình").click()
    page.wait_for_url(f"**/board/meetings/{meeting.public_id}/")
    page.get_by_role("button", name="Gửi giấy mời và tài liệu").click()
    page.wait_for_url(f"**/board/meetings/{meeting.public_id}/")
    assert "Đã triệu tập" in page.locator("#meeting-state").inner_text()
    assert meeting.invitations.count() == 6

    # The meeting day: attendance (the Ministry of Industry and Trade's member is absent).
    take_place(meeting)
    page.reload()
    page.get_by_role("link", name="Ghi nhận thành phần tham dự").click()
    page.get_by_label(re.compile(r"^Phạm Quốc Hùng")).select_option("absent")
    page.get_by_label(re.compile(r"^Võ Minh Quang")).select_option("remote")
    page.get_by_role("button", name="Lưu thành phần tham dự").click()
    page.wait_for_url(f"**/board/meetings/{meeting.public_id}/")
    assert "Đã họp" in page.locator("#meeting-state").inner_text()

    # A split vote: 2 for, 2 against, 1 abstention of 5 present — "carried" is refused.
    page.get_by_role("link", name="Ghi nhận kết quả").click()
    page.get_by_label("Biểu quyết (quá bán trên tổng số người tham dự họp)").check()
    choices = {
        "Lê Xuân Định": "for",
        "Nguyễn Hoàng Linh": "abstain",
        "Hoàng Thị Thu": "for",
        "Võ Minh Quang": "against",
        "Trần Thị Hạnh": "against",
    }
    for name, vote in choices.items():
        page.get_by_label(f"Biểu quyết của {name}").select_option(vote)
    page.get_by_label(_label("Kết quả biểu quyết")).select_option("carried")
    page.get_by_label(_label("Kết luận")).fill(
        "Kiến nghị Bộ Công Thương sửa đổi phạm vi QCVN về an toàn pin lithium, loại trừ thiết bị y tế."
    )
    page.get_by_role("button", name="Ghi nhận kết quả").click()
    error = page.get_by_role("alert")
    assert "Không được thông qua: 2 trên 5 thành viên tham dự tán thành" in error.inner_text()
    assert AgendaItem.objects.get().outcome == AgendaItem.Outcome.PENDING
    # The Deputy Head's vote was "for": 3 of 5 carries.
    page.get_by_label("Biểu quyết của Nguyễn Hoàng Linh").select_option("for")
    page.get_by_role("button", name="Ghi nhận kết quả").click()
    page.wait_for_url(f"**/board/meetings/{meeting.public_id}/")
    item = AgendaItem.objects.get()
    assert (item.outcome, item.votes_for, item.votes_against, item.present_count) == ("carried", 3, 2, 5)
    assert "3 trên 5 thành viên tham dự tán thành" in page.get_by_role("main").inner_text()

    # The Ministry of Health's reservation, recorded by the Secretary at the meeting.
    page.get_by_role("link", name="Ghi nhận ý kiến bảo lưu").click()
    page.get_by_label(_label("Thành viên")).select_option(str(board.health.pk))
    page.get_by_label(_label("Ý kiến bảo lưu")).fill("Bộ Y tế đề nghị giữ thiết bị y tế trong phạm vi quy chuẩn.")
    page.get_by_label(_label("Giải trình")).fill("Pin của thiết bị y tế cấy ghép cần được kiểm soát chặt chẽ hơn.")
    page.get_by_role("button", name="Ghi nhận ý kiến bảo lưu").click()
    page.wait_for_url(f"**/board/meetings/{meeting.public_id}/")
    assert "Pin của thiết bị y tế cấy ghép" in page.get_by_role("main").inner_text()

    page.get_by_role("link", name="Chốt biên bản").click()
    page.get_by_role("button", name="Chốt biên bản").click()
    page.wait_for_url(f"**/board/meetings/{meeting.public_id}/")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CLOSED and meeting.minutes_state == "ready"
    # The conclusion went back to the escalated object's own thread.
    assert events_for(target).filter(verb="board_concluded").exists()
    _logout(page)

    # A member (Ministry of Justice) downloads the minutes.
    login(page, board.member_user.email)
    page.goto(f"/board/meetings/{meeting.public_id}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải biên bản (PDF)").click()
    download = download_info.value
    path = tmp_path / "bien-ban.pdf"
    download.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    text = " ".join(pdf_text(path).split())
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "Biên bản",
        "Ý kiến bảo lưu",
        "Bộ Y tế đề nghị giữ thiết bị y tế trong phạm vi quy chuẩn.",
        "Pin của thiết bị y tế cấy ghép cần được kiểm soát chặt chẽ hơn.",
        "3/5 thành viên dự họp tán thành",
        "Phạm Quốc Hùng",
        "Trang 1/",
    ]:
        assert expected in text, expected
    png = pdf_to_png(path, tmp_path / "bien-ban-trang-1")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000

    # Someone outside the Board cannot.
    _logout(page)
    login(page, national_officer.email)
    response = page.goto(f"/board/meetings/{meeting.public_id}/minutes.pdf")
    assert response is not None and response.status == 404
