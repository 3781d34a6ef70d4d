"""Services: the state, the event row, the outbox row, the deadlines; refusals change nothing."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries import services
from inquiries.models import Attachment, Contribution, Inquiry, Message
from network.calendar import add_working_days, subtract_working_days
from network.events import events_for
from network.models import Deadline, OutboxEmail
from tbt_portal.files import check_upload
from tests.inquiries.conftest import PDF, point, submit, upload

S = Inquiry.State
pytestmark = pytest.mark.django_db


def verbs(inquiry):
    return [e.verb for e in events_for(inquiry)]


def deadline(inquiry, kind):
    return Deadline.objects.get(object_id=str(inquiry.pk), kind=kind, content_type__model="inquiry")


def snapshot(inquiry):
    inquiry.refresh_from_db()
    return (
        inquiry.state,
        inquiry.lead_point_id,
        inquiry.answer,
        inquiry.closed_at,
        len(verbs(inquiry)),
        OutboxEmail.objects.count(),
        Contribution.objects.filter(inquiry=inquiry).count(),
        Message.objects.count(),
    )


# --- submitting ------------------------------------------------------------------------------------
def test_submit_records_acknowledges_and_opens_triage_deadline(reference, media):
    files = [check_upload(upload("nhan.pdf", PDF))]
    data = services.Submission(
        name="An",
        email="An@Example.vn",
        asker_type="individual",
        subject="Hỏi",
        question="?",
        language="en",
        consent_version="2026-01",
    )
    inquiry, created = services.inquiry_submit(data=data, files=files, idempotency_key=uuid.uuid4(), user=None)
    assert created and inquiry.state == S.RECEIVED
    assert re.fullmatch(r"HD-\d{4}-[2-9A-HJ-NP-Z]{6}", inquiry.code)
    assert len(inquiry.secret) >= 40 and inquiry.email == "an@example.vn"
    assert inquiry.consent_version == "2026-01" and inquiry.consent_at is not None
    assert verbs(inquiry) == ["received"]
    ack = OutboxEmail.objects.get(template="inquiry_ack")
    assert ack.to == "an@example.vn" and ack.language == "en" and inquiry.code in ack.subject
    assert inquiry.secret in ack.body_text and "/en/inquiries/t/" in ack.body_text
    assert deadline(inquiry, "inquiry_ack").state == Deadline.State.DONE
    triage = deadline(inquiry, "inquiry_triage")
    assert triage.state == Deadline.State.OPEN and triage.point.code == "national"
    attachment = inquiry.attachments.get()
    assert attachment.original_name == "nhan.pdf" and "nhan" not in attachment.file.name
    assert attachment.file.read() == PDF


def test_same_idempotency_key_gives_one_enquiry(reference, media):
    key = uuid.uuid4()
    data = services.Submission(
        name="An",
        email="an@example.vn",
        asker_type="individual",
        subject="Hỏi",
        question="?",
        language="vi",
        consent_version="2026-01",
    )
    first, created1 = services.inquiry_submit(data=data, files=[], idempotency_key=key, user=None)
    second, created2 = services.inquiry_submit(data=data, files=[], idempotency_key=key, user=None)
    assert (created1, created2) == (True, False) and first.pk == second.pk
    assert Inquiry.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_local_point_is_set_only_for_vietnamese_businesses(reference, media):
    assert submit(asker_type="business").local_point.code == "tinh-01"
    assert submit(asker_type="association", province_code="79").local_point.code == "tinh-79"
    assert submit(asker_type="individual").local_point is None
    assert submit(asker_type="wto_member", province_code=None).local_point is None


# --- triage and assignment ---------------------------------------------------------------------------
def test_assign_triages_routes_and_opens_deadlines(
    received, national_officer, ministry_officer, other_ministry_officer
):
    inquiry = services.inquiry_assign(
        inquiry=received,
        actor=national_officer,
        lead_point=point("bo-y-te"),
        contributing_points=[point("bo-cong-thuong")],
    )
    assert inquiry.state == S.ASSIGNED and inquiry.lead_point.code == "bo-y-te"
    assert verbs(inquiry)[-2:] == ["triaged", "assigned"]
    today = timezone.localdate()
    assert inquiry.answer_due == add_working_days(today, 5)
    assert deadline(inquiry, "inquiry_triage").state == Deadline.State.DONE
    answer = deadline(inquiry, "inquiry_answer")
    assert answer.point.code == "bo-y-te" and answer.due_date == inquiry.answer_due
    contribution = inquiry.contributions.get()
    assert contribution.point.code == "bo-cong-thuong" and contribution.state == Contribution.State.REQUESTED
    expected = max(subtract_working_days(inquiry.answer_due, 2), today)
    assert contribution.due_date == expected
    assert Deadline.objects.get(kind="inquiry_contribution", object_id=str(contribution.pk)).due_date == expected
    sent = set(OutboxEmail.objects.filter(template="inquiry_assigned").values_list("to", flat=True))
    assert sent == {other_ministry_officer.email, ministry_officer.email}


def test_answer_days_per_asker_type(settings, received, national_officer):
    settings.INQUIRY_ANSWER_WORKING_DAYS_BY_TYPE = {"business": 10}
    inquiry = services.inquiry_assign(inquiry=received, actor=national_officer, lead_point=point("bo-y-te"))
    assert inquiry.answer_due == add_working_days(timezone.localdate(), 10)


def test_reassign_changes_contributors_and_cancels_removed(assigned, national_officer):
    services.inquiry_assign(
        inquiry=assigned, actor=national_officer, lead_point=point("bo-y-te"), contributing_points=[point("tinh-01")]
    )
    states = dict(assigned.contributions.values_list("point__code", "state"))
    assert states == {"bo-cong-thuong": "cancelled", "tinh-01": "requested"}
    assert verbs(assigned)[-1] == "reassigned"
    removed = assigned.contributions.get(point__code="bo-cong-thuong")
    assert Deadline.objects.get(kind="inquiry_contribution", object_id=str(removed.pk)).state == Deadline.State.DONE


def test_provincial_point_handles_locally_then_passes_up(received, provincial_officer, national_officer):
    inquiry = services.inquiry_assign(inquiry=received, actor=provincial_officer, lead_point=point("tinh-01"))
    assert inquiry.handled_locally and inquiry.state == S.ASSIGNED
    inquiry = services.inquiry_pass_up(inquiry=inquiry, actor=provincial_officer, note="Vượt thẩm quyền")
    assert inquiry.state == S.RECEIVED and inquiry.passed_up and inquiry.lead_point is None
    assert verbs(inquiry)[-1] == "passed_up"
    assert deadline(inquiry, "inquiry_answer").state == Deadline.State.DONE
    assert deadline(inquiry, "inquiry_triage").state == Deadline.State.OPEN
    assert OutboxEmail.objects.filter(template="inquiry_passed_up", to=national_officer.email).exists()
    before = snapshot(inquiry)
    with pytest.raises(services.InquiryError):
        services.inquiry_pass_up(inquiry=inquiry, actor=provincial_officer)
    assert snapshot(inquiry) == before


def test_reject_tells_the_asker_the_reason(received, national_officer):
    inquiry = services.inquiry_reject(inquiry=received, actor=national_officer, reason="Ngoài phạm vi TBT.")
    assert inquiry.state == S.REJECTED and inquiry.closed_at is not None
    assert verbs(inquiry)[-1] == "rejected"
    mail = OutboxEmail.objects.get(template="inquiry_rejected")
    assert mail.to == received.email and "Ngoài phạm vi TBT." in mail.body_text
    assert not Deadline.objects.filter(object_id=str(inquiry.pk), state="open").exists()


def test_refusals_change_nothing(assigned, national_officer, other_ministry_officer):
    before = snapshot(assigned)
    with pytest.raises(services.InquiryError):
        services.inquiry_reject(inquiry=assigned, actor=national_officer, reason="x")  # not from ASSIGNED
    with pytest.raises(services.InquiryError):
        services.inquiry_approve(inquiry=assigned, actor=national_officer)  # nothing drafted
    with pytest.raises(services.InquiryError):
        services.inquiry_close(inquiry=assigned, actor=national_officer)
    with pytest.raises(services.InquiryError, match="Bộ Công Thương"):
        # the contribution of Industry and Trade is still awaited
        services.inquiry_draft_answer(inquiry=assigned, actor=other_ministry_officer, text="Trả lời")
    with pytest.raises(services.InquiryError):
        services.contribution_file(inquiry=assigned, actor=national_officer, point=point("bo-xay-dung"), text="x")
    with pytest.raises(services.InquiryError):
        services.inquiry_reject(inquiry=assigned, actor=national_officer, reason="   ")
    assert snapshot(assigned) == before


# --- the work on the answer ----------------------------------------------------------------------------
def test_contribution_draft_approve(assigned, ministry_officer, other_ministry_officer, national_officer):
    services.contribution_file(
        inquiry=assigned, actor=other_ministry_officer, point=point("bo-y-te"), text="Phần của Bộ Y tế."
    )
    contribution = services.contribution_file(
        inquiry=assigned, actor=ministry_officer, point=point("bo-cong-thuong"), text="Phần của Bộ Công Thương."
    )
    assert contribution.state == Contribution.State.SUBMITTED and contribution.submitted_by == ministry_officer
    assert Deadline.objects.get(kind="inquiry_contribution", object_id=str(contribution.pk)).state == "done"
    assert OutboxEmail.objects.filter(template="inquiry_contribution_filed", to=other_ministry_officer.email).exists()
    assert verbs(assigned).count("contribution_filed") == 2

    files = [check_upload(upload("phu-luc.pdf", PDF))]
    inquiry = services.inquiry_draft_answer(
        inquiry=assigned, actor=other_ministry_officer, text="Câu trả lời hợp nhất.", files=files
    )
    assert inquiry.state == S.ANSWER_DRAFTED and verbs(inquiry)[-1] == "answer_drafted"
    assert deadline(inquiry, "inquiry_answer").state == Deadline.State.DONE
    assert deadline(inquiry, "inquiry_approval").point.code == "national"

    inquiry = services.inquiry_approve(inquiry=inquiry, actor=national_officer)
    assert inquiry.state == S.ANSWERED and inquiry.answered_at is not None
    assert verbs(inquiry)[-2:] == ["approved", "answer_sent"]
    mail = OutboxEmail.objects.get(template="inquiry_answer")
    assert mail.to == inquiry.email and mail.language == "vi"
    assert "Câu trả lời hợp nhất." in mail.body_text
    answer_file = inquiry.attachments.get(kind=Attachment.Kind.ANSWER)
    assert "phu-luc.pdf" in mail.body_text and str(answer_file.public_id) in mail.body_text
    # internal contributions never reach the asker
    assert "Phần của Bộ Công Thương." not in mail.body_text
    assert not Deadline.objects.filter(object_id=str(inquiry.pk), content_type__model="inquiry", state="open").exists()


def test_answer_in_english_for_english_asker(reference, media, national_officer, other_ministry_officer):
    inquiry = submit(language="en")
    services.inquiry_assign(inquiry=inquiry, actor=national_officer, lead_point=point("bo-y-te"))
    services.inquiry_draft_answer(inquiry=inquiry, actor=other_ministry_officer, text="The answer.")
    services.inquiry_approve(inquiry=inquiry, actor=national_officer)
    mail = OutboxEmail.objects.get(template="inquiry_answer")
    assert mail.language == "en" and mail.subject.startswith("Answer to your enquiry")


def test_information_requested_and_received(assigned, other_ministry_officer, media):
    message = services.inquiry_request_info(inquiry=assigned, actor=other_ministry_officer, text="Xin gửi nhãn mẫu.")
    assigned.refresh_from_db()
    assert assigned.state == S.INFO_REQUESTED and message.direction == Message.Direction.TO_ASKER
    mail = OutboxEmail.objects.get(template="inquiry_info_requested")
    assert "Xin gửi nhãn mẫu." in mail.body_text and assigned.secret in mail.body_text
    services.inquiry_add_info(inquiry=assigned, text="Nhãn mẫu đính kèm.", files=[check_upload(upload("n.pdf", PDF))])
    assigned.refresh_from_db()
    assert assigned.state == S.INFO_RECEIVED
    assert verbs(assigned)[-2:] == ["info_requested", "info_received"]
    assert assigned.attachments.filter(kind=Attachment.Kind.INFO).count() == 1
    assert OutboxEmail.objects.filter(template="inquiry_info_received", to=other_ministry_officer.email).exists()
    # ⇄: information can be requested again
    services.inquiry_request_info(inquiry=assigned, actor=other_ministry_officer, text="Thêm nữa.")
    assigned.refresh_from_db()
    assert assigned.state == S.INFO_REQUESTED


def test_add_info_refused_when_not_asked(assigned, media):
    before = snapshot(assigned)
    with pytest.raises(services.InquiryError):
        services.inquiry_add_info(inquiry=assigned, text="Thông tin", files=[check_upload(upload("n.pdf", PDF))])
    assert snapshot(assigned) == before
    assert not Attachment.objects.filter(kind=Attachment.Kind.INFO).exists()


def test_return_sends_draft_back(drafted, national_officer, other_ministry_officer):
    inquiry = services.inquiry_return(inquiry=drafted, actor=national_officer, note="Bổ sung căn cứ pháp lý.")
    assert inquiry.state == S.ASSIGNED and verbs(inquiry)[-1] == "returned"
    assert deadline(inquiry, "inquiry_answer").state == Deadline.State.OPEN
    assert deadline(inquiry, "inquiry_approval").state == Deadline.State.DONE
    assert OutboxEmail.objects.filter(template="inquiry_returned", to=other_ministry_officer.email).exists()
    assert inquiry.notes.get().text == "Bổ sung căn cứ pháp lý."


def test_withdraw_closes_deadlines(assigned):
    inquiry = services.inquiry_withdraw(inquiry=assigned)
    assert inquiry.state == S.WITHDRAWN and verbs(inquiry)[-1] == "withdrawn"
    assert not inquiry.contributions.exclude(state="cancelled").exists()
    assert not Deadline.objects.filter(state="open").exists()
    before = snapshot(inquiry)
    with pytest.raises(services.InquiryError):
        services.inquiry_withdraw(inquiry=inquiry)
    assert snapshot(inquiry) == before


def test_close_and_autoclose(answered, national_officer, settings):
    assert services.inquiry_autoclose(inquiry_id=answered.pk) is False  # answered just now
    Inquiry.objects.filter(pk=answered.pk).update(answered_at=timezone.now() - timedelta(days=30))
    assert services.inquiry_autoclose(inquiry_id=answered.pk) is True
    assert services.inquiry_autoclose(inquiry_id=answered.pk) is False
    answered.refresh_from_db()
    assert answered.state == S.CLOSED and verbs(answered)[-1] == "closed"


def test_note_is_internal(assigned, ministry_officer):
    note = services.note_add(inquiry=assigned, actor=ministry_officer, text="Ghi chú nội bộ")
    assert note.point.code == "bo-cong-thuong" and verbs(assigned)[-1] == "note_added"
    assert not OutboxEmail.objects.filter(body_text__contains="Ghi chú nội bộ").exists()


# --- personal data and FAQ --------------------------------------------------------------------------
def test_erasure_on_request_after_answer(answered, media):
    inquiry = services.inquiry_request_erasure(inquiry=answered)
    assert inquiry.state == S.CLOSED and inquiry.personal_data_erased_at is not None
    assert (inquiry.name, inquiry.email, inquiry.phone, inquiry.organisation, inquiry.user) == ("", "", "", "", None)
    assert "Bùi Văn Nam" not in inquiry.question and "nam@vinaexport" not in inquiry.question
    assert verbs(inquiry)[-2:] == ["closed", "personal_data_erased"] or "personal_data_erased" in verbs(inquiry)


def test_erasure_request_waits_for_the_end(assigned):
    inquiry = services.inquiry_request_erasure(inquiry=assigned)
    assert inquiry.erasure_requested_at is not None and inquiry.personal_data_erased_at is None
    assert inquiry.name == "Bùi Văn Nam"
    assert services.inquiry_erase_personal_data(inquiry_id=inquiry.pk) is False  # not finished yet


def test_faq_publish_removes_identity(answered, national_officer):
    faq = services.faq_publish(
        inquiry=answered,
        actor=national_officer,
        question_vi="Công ty TNHH Vina Export hỏi: cà phê ghi nhãn thế nào? Liên hệ nam@vinaexport.example.vn",
        answer_vi="Theo quy định EU...",
        question_en="How to label coffee?",
        answer_en="Under EU rules...",
    )
    assert faq.is_published and "Vina Export" not in faq.question_vi and "nam@" not in faq.question_vi
    assert verbs(answered)[-1] == "faq_published"
    assert list(faq.hs_codes.values_list("code", flat=True)) == ["0901"]
    services.faq_unpublish(faq=faq, actor=national_officer)
    faq.refresh_from_db()
    assert not faq.is_published and verbs(answered)[-1] == "faq_unpublished"


def test_faq_refused_before_answer(assigned, national_officer):
    before = snapshot(assigned)
    with pytest.raises(services.InquiryError):
        services.faq_publish(inquiry=assigned, actor=national_officer, question_vi="Q", answer_vi="A")
    assert snapshot(assigned) == before


def test_bulk_assign_reports_refusals(reference, media, national_officer):
    first, second = submit(), submit(email="b@example.vn")
    services.inquiry_reject(inquiry=second, actor=national_officer, reason="Spam")
    result = services.inquiries_bulk_assign(
        inquiries=[first, second], actor=national_officer, lead_point=point("bo-y-te")
    )
    assert [i.code for i in result.done] == [first.code]
    assert [i.code for i, _reason in result.refused] == [second.code]
    second.refresh_from_db()
    assert second.state == S.REJECTED
