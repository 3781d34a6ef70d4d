"""Journey in Chromium, Vietnamese UI: a business asks a question with an attachment → the national
officer assigns it to the Ministry of Health (lead) with the Ministry of Industry and Trade contributing →
both file their parts → the lead consolidates → the national officer approves → the business sees the
answer on the tracking page, and the answer e-mail is in the outbox."""

from __future__ import annotations

import os
import re

import pytest
from django.utils import translation

from inquiries.models import PUBLIC_STATE_LABELS, Inquiry
from network.models import OutboxEmail
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOTS_DIR", "")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def vi(label) -> str:
    with translation.override("vi"):
        return str(label)


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def open_as(browser_instance, live_server, email: str):
    context = browser_instance.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(15000)
    page = context.new_page()
    login(page, email)
    return page


def test_enquiry_from_question_to_approved_answer(
    page,
    browser_instance,
    live_server,
    reference_tx,
    settings,
    tmp_path,
    business,
    national_officer,
    ministry_officer,
    other_ministry_officer,
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The minimum fill time is tested in tests/inquiries; a fast browser must not trip it here.
    settings.INQUIRY_MIN_FILL_SECONDS = 0

    # 1. The business asks, in Vietnamese, with an attachment (the form is pre-filled from the account).
    login(page, business.email)
    page.goto("/inquiries/new/")
    expect(page.get_by_role("heading", name="Gửi câu hỏi tới Điểm hỏi đáp TBT")).to_be_visible()
    expect(page.get_by_label("Họ và tên")).to_have_value("Bùi Văn Nam")
    expect(page.get_by_label("Doanh nghiệp", exact=True)).to_be_checked()
    page.get_by_label("Tỉnh, thành phố", exact=True).select_option(label="Thành phố Hà Nội")
    page.get_by_label("Tiêu đề").fill("Yêu cầu ghi nhãn cà phê rang xay xuất khẩu sang EU")
    page.locator("#id_question").fill("Cà phê rang xay đóng gói xuất khẩu sang EU phải ghi nhãn những nội dung gì?")
    hs = page.get_by_label("Sản phẩm (mã HS)", exact=True)
    hs.fill("0901")
    page.get_by_role("option", name=re.compile(r"^0901 — ")).click()  # the HS type-ahead
    expect(hs).to_have_value(re.compile(r"^0901, ?$"))
    page.get_by_label("Thị trường liên quan (thành viên WTO)").select_option(label="Liên minh châu Âu")
    page.get_by_label("Tệp đính kèm (không bắt buộc)").set_input_files(
        files=[{"name": "nhãn mẫu.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("Tôi đồng ý cho phép xử lý dữ liệu cá nhân của tôi như mô tả ở trên.").check()
    shot(page, "inquiry-form")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    expect(page.get_by_role("heading", name="Xin cảm ơn: câu hỏi của bạn đã được tiếp nhận")).to_be_visible()
    code = page.locator(".tracking-code").inner_text().strip()
    assert re.fullmatch(r"HD-\d{4}-[2-9A-HJ-NP-Z]{6}", code)
    inquiry = Inquiry.objects.get(code=code)
    assert inquiry.attachments.get().original_name == "nhãn mẫu.pdf"
    assert OutboxEmail.objects.filter(template="inquiry_ack", to=business.email).exists()

    # 2. The national officer triages and assigns: Health leads, Industry and Trade contributes.
    national = open_as(browser_instance, live_server, national_officer.email)
    national.goto("/inquiries/work/")
    national.get_by_role("link", name=code).click()
    national.get_by_label("Điểm chủ trì").select_option(label="Điểm TBT Bộ Y tế")
    national.get_by_label("Các điểm phối hợp (không bắt buộc)").select_option(label="Điểm TBT Bộ Công Thương")
    national.get_by_role("button", name="Phân công", exact=True).click()
    expect(national.get_by_text("Câu hỏi đã được phân công.")).to_be_visible()
    expect(national.locator("#inquiry-state")).to_have_text(vi(Inquiry.State.ASSIGNED.label))

    # 3. Both points file their parts.
    moit = open_as(browser_instance, live_server, ministry_officer.email)
    moit.goto(f"/inquiries/work/{code}/")
    moit.get_by_role("textbox", name="Ý kiến đóng góp của Điểm TBT").fill(
        "Bộ Công Thương: hàng xuất khẩu phải tuân thủ Quy định (EU) 1169/2011 về thông tin thực phẩm."
    )
    moit.get_by_role("button", name="Gửi ý kiến đóng góp").click()
    expect(moit.get_by_text("Ý kiến đóng góp của bạn đã được gửi.")).to_be_visible()

    moh = open_as(browser_instance, live_server, other_ministry_officer.email)
    moh.goto(f"/inquiries/work/{code}/")
    moh.get_by_role("textbox", name="Ý kiến đóng góp của Điểm TBT").fill(
        "Bộ Y tế: nhãn phải có tên sản phẩm, thành phần, khối lượng tịnh, hạn sử dụng và nhà sản xuất."
    )
    moh.get_by_role("button", name="Gửi ý kiến đóng góp").click()
    expect(moh.get_by_text("Ý kiến đóng góp của bạn đã được gửi.")).to_be_visible()

    # 4. The lead consolidates one answer (pre-filled with both parts).
    draft = moh.get_by_role("textbox", name="Câu trả lời tổng hợp")
    expect(draft).to_have_value(re.compile("Bộ Y tế: nhãn phải có.*Bộ Công Thương: hàng xuất khẩu", re.S))
    answer = (
        "Cà phê rang xay xuất khẩu sang EU phải ghi nhãn theo Quy định (EU) 1169/2011: tên sản phẩm, "
        "thành phần, khối lượng tịnh, hạn sử dụng, tên và địa chỉ nhà sản xuất, bằng ngôn ngữ nước nhập khẩu."
    )
    draft.fill(answer)
    moh.get_by_role("button", name="Trình phê duyệt câu trả lời").click()
    expect(moh.get_by_text("Câu trả lời tổng hợp đã được trình phê duyệt.")).to_be_visible()
    shot(moh, "inquiry-drafted")

    # 5. The national officer approves: the answer goes to the asker.
    national.goto(f"/inquiries/work/{code}/")
    national.get_by_role("button", name="Phê duyệt và gửi cho người hỏi").click()
    expect(national.get_by_text("Câu trả lời đã được phê duyệt và gửi cho người hỏi.")).to_be_visible()
    expect(national.locator("#inquiry-state")).to_have_text(vi(Inquiry.State.ANSWERED.label))

    # 6. The business sees the answer on the tracking page; the e-mail is in the outbox.
    page.goto("/inquiries/mine/")
    page.get_by_role("link", name=code).click()
    expect(page.locator("#public-state")).to_have_text(vi(PUBLIC_STATE_LABELS["answered"]))
    expect(page.get_by_text(answer)).to_be_visible()
    expect(page.get_by_text("Bộ Công Thương: hàng xuất khẩu")).to_have_count(0)  # contributions stay internal
    shot(page, "inquiry-tracking-answered")
    mail = OutboxEmail.objects.get(template="inquiry_answer")
    assert mail.to == business.email and mail.language == "vi"
    assert answer in mail.body_text and code in mail.subject
    for other in (national, moit, moh):
        other.context.close()
