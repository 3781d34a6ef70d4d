"""The public side: the form, abuse limits, confirmation, tracking, FAQ, HS look-up."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from inquiries import services
from inquiries.models import Inquiry, SubmissionBlock
from network.models import OutboxEmail
from tbt_portal.files import check_upload
from tests.conftest import client_for
from tests.inquiries.conftest import ELF, PDF, form_data, submit, token, upload

pytestmark = pytest.mark.django_db
NEW = "/inquiries/new/"


def post(client, **overrides):
    return client.post(NEW, form_data(**overrides), REMOTE_ADDR=overrides.pop("ip", "10.0.0.1"))


def test_form_shows_every_field_in_both_languages(reference):
    for url in (NEW, "/en/inquiries/new/"):
        response = Client().get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for name in (
            "name",
            "organisation",
            "email",
            "phone",
            "asker_type",
            "province",
            "subject",
            "question",
            "hs_codes",
            "markets",
            "notification_symbol",
            "attachments",
            "language",
            "consent",
            "form_token",
            "homepage_url",
        ):
            assert f'name="{name}"' in html, name
    assert "Ask the TBT enquiry point" in Client().get("/en/inquiries/new/").content.decode()


def test_form_is_prefilled_for_a_business(business):
    html = client_for(business).get(NEW).content.decode()
    assert 'value="Bùi Văn Nam"' in html and 'value="ceo@vinaexport.example.vn"' in html
    assert 'value="Công ty TNHH Vina Export"' in html


def test_submit_creates_enquiry_and_acknowledges(reference, media):
    client = Client()
    response = client.post(NEW, form_data(attachments=[upload("nhan.pdf", PDF)]), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.attachments.count() == 1 and inquiry.hs_codes.get().code == "0901"
    assert inquiry.consent_version == "2026-01"
    assert OutboxEmail.objects.filter(template="inquiry_ack", to="nam@vinaexport.example.vn").exists()
    page = client.get(response["Location"])
    assert page.status_code == 200 and inquiry.code in page.content.decode()
    # the confirmation lets this browser follow the enquiry at once
    assert client.get(reverse("inquiries:track_detail", kwargs={"code": inquiry.code})).status_code == 200


def test_logged_in_business_submission_is_linked(business, media):
    client = client_for(business)
    client.post(NEW, form_data(email=business.email), REMOTE_ADDR="10.0.0.2")
    inquiry = Inquiry.objects.get()
    assert inquiry.user == business
    assert inquiry.code in client.get("/inquiries/mine/").content.decode()


def test_double_submit_creates_one_enquiry(reference, media):
    data = form_data()
    client = Client()
    first = client.post(NEW, data, REMOTE_ADDR="10.0.0.1")
    second = client.post(NEW, data, REMOTE_ADDR="10.0.0.1")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Inquiry.objects.count() == 1 and OutboxEmail.objects.filter(template="inquiry_ack").count() == 1


def test_errors_next_to_fields_and_nothing_lost(reference, media):
    response = Client().post(
        NEW,
        form_data(
            email="not-an-email",
            notification_symbol="TBT 298",
            hs_codes="0901, 9999",
            attachments=[upload("nhan.pdf", PDF)],
        ),
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "G/TBT/N/VNM/298" in html  # the symbol's format is explained
    assert "9999" in html and 'value="Yêu cầu ghi nhãn cà phê xuất khẩu"' in html
    assert "Cà phê rang xay xuất khẩu sang EU cần ghi nhãn thế nào?" in html
    assert 'id="email_errors"' in html or "email_errors" in html
    assert "attach them again" in html or "đính kèm lại" in html  # files are not kept: said so
    assert Inquiry.objects.count() == 0


def test_errors_in_english_on_english_form(reference):
    html = Client().post("/en/inquiries/new/", form_data(consent=None), REMOTE_ADDR="10.0.0.1").content.decode()
    assert "Your consent is needed to answer you." in html


def test_organisation_and_province_required_for_business(reference):
    response = Client().post(NEW, form_data(organisation="", province=""), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    form = response.context["form"]
    assert "organisation" in form.errors and "province" in form.errors


def test_valid_notification_symbols(reference, media):
    client = Client()
    for i, symbol in enumerate(["G/TBT/N/VNM/298", "g/tbt/n/eu/1021/add.1", "G/TBT/N/USA/1/Rev.2/Corr.1"]):
        response = client.post(
            NEW, form_data(notification_symbol=symbol, email=f"s{i}@example.vn"), REMOTE_ADDR=f"10.0.1.{i}"
        )
        assert response.status_code == 302, symbol
    assert set(Inquiry.objects.values_list("notification_symbol", flat=True)) == {
        "G/TBT/N/VNM/298",
        "G/TBT/N/EU/1021/Add.1",
        "G/TBT/N/USA/1/Rev.2/Corr.1",
    }


def test_disguised_attachment_is_refused_on_the_form(reference, media):
    response = Client().post(NEW, form_data(attachments=[upload("hoa-don.pdf", ELF)]), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert Inquiry.objects.count() == 0


def test_six_attachments_are_refused(reference, media):
    response = Client().post(
        NEW, form_data(attachments=[upload(f"{i}.pdf", PDF) for i in range(6)]), REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 400 and Inquiry.objects.count() == 0


# --- abuse ---------------------------------------------------------------------------------------
def test_honeypot_is_blocked_and_logged(reference):
    response = Client().post(NEW, form_data(homepage_url="http://spam.example"), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    assert SubmissionBlock.objects.get().reason == "honeypot"
    assert Inquiry.objects.count() == 0


def test_too_fast_is_blocked_logged_and_form_kept(reference):
    response = Client().post(NEW, form_data(form_token=token(age_seconds=0)), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    assert SubmissionBlock.objects.get().reason == "too_fast"
    assert "Cà phê rang xay" in response.content.decode()
    assert Inquiry.objects.count() == 0


def test_forged_token_is_blocked_and_logged(reference):
    response = Client().post(NEW, form_data(form_token="abc:def:ghi"), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    assert SubmissionBlock.objects.get().reason == "bad_token"
    assert Inquiry.objects.count() == 0


def test_five_per_ip_per_ten_minutes(reference, media):
    client = Client()
    for i in range(5):
        assert post(client, email=f"p{i}@example.vn").status_code == 302
    response = post(client, email="p6@example.vn")
    assert response.status_code == 429 and "Retry-After" in response
    assert Inquiry.objects.count() == 5
    assert SubmissionBlock.objects.get().reason == "ip_rate"
    # another address is not affected
    assert post(client, email="other@example.vn", ip="10.9.9.9").status_code == 302


def test_twenty_per_email_per_day(reference, media):
    client = Client()
    for i in range(20):
        assert post(client, ip=f"10.1.{i}.1").status_code == 302
    response = post(client, ip="10.2.0.1")
    assert response.status_code == 429
    assert Inquiry.objects.count() == 20
    assert SubmissionBlock.objects.get().reason == "email_rate"


# --- confirmation and tracking ---------------------------------------------------------------------
def test_received_page_needs_a_valid_token(reference):
    assert Client().get("/inquiries/received/forged/").status_code == 404


def test_track_with_code_and_email(received):
    client = Client()
    wrong = client.post("/inquiries/track/", {"code": received.code, "email": "other@example.vn"})
    assert wrong.status_code == 200 and wrong.context["form"].non_field_errors()
    assert client.get(f"/inquiries/track/{received.code}/").status_code == 404
    right = client.post("/inquiries/track/", {"code": received.code.lower(), "email": received.email.upper()})
    assert right.status_code == 302
    page = client.get(right["Location"])
    assert page.status_code == 200 and received.subject in page.content.decode()


def test_failed_tracking_lookups_are_limited(settings, reference):
    settings.INQUIRY_TRACK_FAILURES_PER_HOUR = 3
    client = Client()
    for _ in range(3):
        client.post("/inquiries/track/", {"code": "HD-2026-AAAAAA", "email": "x@example.vn"}, REMOTE_ADDR="10.3.3.3")
    response = client.post(
        "/inquiries/track/", {"code": "HD-2026-AAAAAA", "email": "x@example.vn"}, REMOTE_ADDR="10.3.3.3"
    )
    assert response.status_code == 429
    assert SubmissionBlock.objects.get().reason == "track_rate"


def test_secret_link_shows_status_and_answer(answered):
    client = Client()
    response = client.get(f"/inquiries/t/{answered.secret}/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Câu trả lời hợp nhất." in html
    assert "Phần của Bộ Công Thương." not in html  # contributions stay internal
    assert Client().get(f"/inquiries/t/{'x' * 43}/").status_code == 404


def test_answer_hidden_before_it_is_sent(drafted):
    client = Client()
    html = client.get(f"/inquiries/t/{drafted.secret}/", follow=True).content.decode()
    assert "Câu trả lời hợp nhất." not in html


def test_asker_adds_information_when_asked(assigned, other_ministry_officer, media):
    client = Client()
    client.get(f"/inquiries/t/{assigned.secret}/")
    url = f"/inquiries/track/{assigned.code}/information/"
    client.post(url, {"text": "Không được hỏi"})
    assigned.refresh_from_db()
    assert assigned.state == Inquiry.State.ASSIGNED
    services.inquiry_request_info(inquiry=assigned, actor=other_ministry_officer, text="Gửi nhãn mẫu")
    page = client.get(f"/inquiries/track/{assigned.code}/").content.decode()
    assert "Gửi nhãn mẫu" in page and 'action="' + url in page
    response = client.post(url, {"text": "Nhãn mẫu", "attachments": [upload("nhan.pdf", PDF)]})
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.state == Inquiry.State.INFO_RECEIVED
    assert assigned.attachments.filter(kind="info").count() == 1


def test_asker_withdraws_and_requests_erasure(received):
    client = Client()
    client.get(f"/inquiries/t/{received.secret}/")
    client.post(f"/inquiries/track/{received.code}/withdraw/")
    received.refresh_from_db()
    assert received.state == Inquiry.State.WITHDRAWN
    client.post(f"/inquiries/track/{received.code}/erase/")
    received.refresh_from_db()
    assert received.personal_data_erased_at is not None and received.email == ""


def test_asker_files_and_others(received, media):
    inquiry = submit(files=[check_upload(upload("Báo cáo.pdf", PDF))])
    attachment = inquiry.attachments.get()
    response = Client().get(f"/inquiries/t/{inquiry.secret}/files/{attachment.public_id}/")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == "attachment; filename=\"Bao cao.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf"
    )
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    # another enquiry's secret does not open this file
    assert Client().get(f"/inquiries/t/{received.secret}/files/{attachment.public_id}/").status_code == 404
    assert Client().get(f"/inquiries/track/{inquiry.code}/files/{attachment.public_id}/").status_code == 404


# --- FAQ and HS -----------------------------------------------------------------------------------
def test_faq_is_public_searchable_and_bilingual(answered, national_officer):
    services.faq_publish(
        inquiry=answered,
        actor=national_officer,
        question_vi="Ghi nhãn cà phê xuất khẩu?",
        answer_vi="Theo quy định của EU.",
        question_en="Labelling exported coffee?",
        answer_en="Under EU rules.",
    )
    client = Client()
    assert "Ghi nhãn cà phê xuất khẩu?" in client.get("/inquiries/faq/?q=ca phe").content.decode()
    assert "Ghi nhãn" not in client.get("/inquiries/faq/?q=thep").content.decode()
    assert "Labelling exported coffee?" in client.get("/en/inquiries/faq/?q=coffee").content.decode()
    entry = answered.faq
    assert "Under EU rules." in client.get(f"/en/inquiries/faq/{entry.public_id}/").content.decode()
    assert "Bùi Văn Nam" not in client.get(f"/inquiries/faq/{entry.public_id}/").content.decode()
    services.faq_unpublish(faq=entry, actor=national_officer)
    assert client.get(f"/inquiries/faq/{entry.public_id}/").status_code == 404


def test_hs_type_ahead(reference):
    data = Client().get("/inquiries/hs-codes/?q=0901").json()["results"]
    assert data[0]["code"] == "0901"
    words = Client().get("/inquiries/hs-codes/?q=coffee").json()["results"]
    assert any(r["code"].startswith("0901") for r in words)
    assert Client().get("/inquiries/hs-codes/?q=a").json()["results"] == []


def test_menu_links(reference):
    html = Client().get("/").content.decode()
    assert reverse("inquiries:new") in html and reverse("inquiries:faq") in html
