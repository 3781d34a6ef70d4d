"""The permission matrix: the lead point, a contributing point, an unrelated ministry, the asker's
provincial point, another provincial point, the business who asked, another business, a Board member,
anonymous. Not allowed to read → 404; read but not act → 403; anonymous → login."""

from __future__ import annotations

import pytest
from django.test import Client

from inquiries import services
from inquiries.models import Inquiry
from network.models import User
from tbt_portal.files import check_upload
from tests.conftest import PASSWORD, client_for
from tests.inquiries.conftest import PDF, point, submit, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(national_officer, ministry_officer, other_ministry_officer, provincial_officer, business, board_member):
    def make(email, role, code=None, **extra):
        return User.objects.create_user(
            email=email, password=PASSWORD, full_name=email, role=role, point=point(code) if code else None, **extra
        )

    return {
        "national": national_officer,
        "lead": other_ministry_officer,  # Ministry of Health
        "contributor": ministry_officer,  # Ministry of Industry and Trade
        "unrelated_ministry": make("xd@example.vn", User.Role.MINISTRY_OFFICER, "bo-xay-dung"),
        "local_province": provincial_officer,  # Hà Nội: the asker's province
        "other_province": make("hcm@example.vn", User.Role.PROVINCIAL_OFFICER, "tinh-79"),
        "asker": business,
        "other_business": make("other@biz.example.vn", User.Role.BUSINESS),
        "board_member": board_member,
        "anonymous": None,
    }


@pytest.fixture
def case(people, media):
    """An enquiry asked by the business, led by Health with Industry and Trade contributing, with a file."""
    inquiry = submit(user=people["asker"], files=[check_upload(upload("nhan.pdf", PDF))])
    services.inquiry_assign(
        inquiry=inquiry,
        actor=people["national"],
        lead_point=point("bo-y-te"),
        contributing_points=[point("bo-cong-thuong")],
    )
    inquiry.refresh_from_db()
    return inquiry


def status(people, who, method, url, data=None):
    client = client_for(people[who])
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    if who == "anonymous" and response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
        return "login"
    return response.status_code


READERS = {
    "national": 200,
    "lead": 200,
    "contributor": 200,
    "local_province": 200,
    "unrelated_ministry": 404,
    "other_province": 404,
    "asker": 404,
    "other_business": 404,
    "board_member": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", list(READERS))
def test_official_detail(people, case, who):
    assert status(people, who, "get", f"/inquiries/work/{case.code}/") == READERS[who]


@pytest.mark.parametrize("who", list(READERS))
def test_official_file_download(people, case, who):
    attachment = case.attachments.get()
    assert status(people, who, "get", f"/inquiries/work/{case.code}/files/{attachment.public_id}/") == READERS[who]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("national", 200),
        ("lead", 200),
        ("contributor", 200),
        ("local_province", 200),
        ("unrelated_ministry", 200),
        ("other_province", 200),
        ("asker", 404),
        ("other_business", 404),
        ("board_member", 404),
        ("anonymous", "login"),
    ],
)
def test_queue(people, case, who, expected):
    assert status(people, who, "get", "/inquiries/work/") == expected
    if expected == 200:
        listed = case.code in client_for(people[who]).get("/inquiries/work/").content.decode()
        assert listed == (READERS[who] == 200)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("national", 200),
        ("lead", 404),
        ("local_province", 404),
        ("asker", 404),
        ("anonymous", "login"),
    ],
)
def test_figures(people, case, who, expected):
    assert status(people, who, "get", "/inquiries/work/figures/") == expected


# --- actions ---------------------------------------------------------------------------------------
ASSIGN = {
    "national": 302,
    "lead": 403,
    "contributor": 403,
    "local_province": 403,
    "unrelated_ministry": 404,
    "asker": 404,
    "other_business": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", list(ASSIGN))
def test_assign(people, case, who):
    data = {"lead_point": point("bo-y-te").pk, "contributing_points": [point("tinh-01").pk]}
    assert status(people, who, "post", f"/inquiries/work/{case.code}/assign/", data) == ASSIGN[who]
    assert case.contributions.filter(point__code="tinh-01").exists() == (ASSIGN[who] == 302)


CONTRIBUTE = {
    "contributor": 302,
    "lead": 302,
    "national": 403,
    "local_province": 403,
    "unrelated_ministry": 404,
    "asker": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", list(CONTRIBUTE))
def test_contribute(people, case, who):
    assert (
        status(people, who, "post", f"/inquiries/work/{case.code}/contribute/", {"contribution-text": "Phần"})
        == CONTRIBUTE[who]
    )


DRAFT = {
    "lead": 302,
    "contributor": 403,
    "national": 403,
    "local_province": 403,
    "unrelated_ministry": 404,
    "other_business": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", list(DRAFT))
def test_draft(people, case, who):
    case.contributions.update(state="submitted", text="x")
    assert status(people, who, "post", f"/inquiries/work/{case.code}/draft/", {"draft-text": "Trả lời"}) == DRAFT[who]
    case.refresh_from_db()
    assert (case.state == Inquiry.State.ANSWER_DRAFTED) == (DRAFT[who] == 302)


APPROVE = {
    "national": 302,
    "lead": 403,
    "contributor": 403,
    "local_province": 403,
    "unrelated_ministry": 404,
    "asker": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("who", list(APPROVE))
def test_approve(people, case, who):
    case.contributions.update(state="submitted", text="x")
    services.inquiry_draft_answer(inquiry=case, actor=people["lead"], text="Trả lời")
    assert status(people, who, "post", f"/inquiries/work/{case.code}/approve/") == APPROVE[who]
    case.refresh_from_db()
    assert (case.state == Inquiry.State.ANSWERED) == (APPROVE[who] == 302)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("national", 302), ("lead", 403), ("contributor", 403), ("unrelated_ministry", 404), ("anonymous", "login")],
)
def test_publish_faq(people, case, who, expected):
    case.contributions.update(state="submitted", text="x")
    services.inquiry_draft_answer(inquiry=case, actor=people["lead"], text="Trả lời")
    services.inquiry_approve(inquiry=case, actor=people["national"])
    data = {"faq-question_vi": "Hỏi", "faq-answer_vi": "Đáp"}
    assert status(people, who, "post", f"/inquiries/work/{case.code}/faq/", data) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("national", 302), ("lead", 403), ("unrelated_ministry", 403), ("asker", 404), ("anonymous", "login")],
)
def test_bulk_assign(people, case, who, expected):
    fresh = submit(email="x@example.vn")
    data = {"selected": [fresh.code], "lead_point": point("bo-y-te").pk}
    assert status(people, who, "post", "/inquiries/work/bulk-assign/", data) == expected
    fresh.refresh_from_db()
    assert (fresh.state == Inquiry.State.ASSIGNED) == (expected == 302)


def test_provincial_point_local_handling_and_pass_up(people, media):
    inquiry = submit(user=people["asker"])
    local, other = people["local_province"], people["other_province"]
    data = {"lead_point": point("tinh-01").pk}
    # another province cannot even see it; the local point may route it only to itself
    assert status(people, "other_province", "post", f"/inquiries/work/{inquiry.code}/assign/", data) == 404
    wrong = client_for(local).post(f"/inquiries/work/{inquiry.code}/assign/", {"lead_point": point("bo-y-te").pk})
    assert wrong.status_code == 400
    assert client_for(local).post(f"/inquiries/work/{inquiry.code}/assign/", data).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.handled_locally and inquiry.lead_point.code == "tinh-01"
    # handled locally: the provincial point approves its own answer
    services.inquiry_draft_answer(inquiry=inquiry, actor=local, text="Trả lời của địa phương")
    assert client_for(local).post(f"/inquiries/work/{inquiry.code}/approve/").status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.state == Inquiry.State.ANSWERED
    # pass up: another enquiry, beyond local authority
    second = submit(user=people["asker"])
    assert status(people, "lead", "post", f"/inquiries/work/{second.code}/pass-up/") == 404
    assert (
        client_for(local).post(f"/inquiries/work/{second.code}/pass-up/", {"note": "Vượt thẩm quyền"}).status_code
        == 302
    )
    second.refresh_from_db()
    assert second.passed_up
    assert client_for(local).post(f"/inquiries/work/{second.code}/assign/", data).status_code == 403
    assert other.point.code == "tinh-79"


# --- the asker's side --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "expected"), [("asker", 200), ("other_business", 404), ("national", 404), ("lead", 404), ("anonymous", 404)]
)
def test_tracking_page(people, case, who, expected):
    assert client_for(people[who]).get(f"/inquiries/track/{case.code}/").status_code == expected


@pytest.mark.parametrize(("who", "expected"), [("asker", 200), ("other_business", 404), ("anonymous", 404)])
def test_tracking_file(people, case, who, expected):
    attachment = case.attachments.get()
    url = f"/inquiries/track/{case.code}/files/{attachment.public_id}/"
    assert client_for(people[who]).get(url).status_code == expected


def test_other_business_cannot_act_on_tracking(people, case):
    client = client_for(people["other_business"])
    assert client.post(f"/inquiries/track/{case.code}/withdraw/").status_code == 404
    assert client.post(f"/inquiries/track/{case.code}/erase/").status_code == 404
    case.refresh_from_db()
    assert case.state == Inquiry.State.ASSIGNED and case.erasure_requested_at is None


def test_my_enquiries(people, case):
    assert case.code in client_for(people["asker"]).get("/inquiries/mine/").content.decode()
    assert case.code not in client_for(people["other_business"]).get("/inquiries/mine/").content.decode()
    assert Client().get("/inquiries/mine/").status_code == 302


# --- API ---------------------------------------------------------------------------------------------
API_READ = {
    "national": 200,
    "lead": 200,
    "contributor": 200,
    "local_province": 200,
    "unrelated_ministry": 404,
    "asker": 403,
    "other_business": 403,
    "anonymous": 403,
}


@pytest.mark.parametrize("who", list(API_READ))
def test_api_detail_and_list(people, case, who):
    client = client_for(people[who])
    assert client.get(f"/api/inquiries/inquiries/{case.code}/").status_code == API_READ[who]
    listing = client.get("/api/inquiries/inquiries/")
    if API_READ[who] == 403:
        assert listing.status_code == 403
    else:
        codes = [row["code"] for row in listing.json()["results"]]
        assert (case.code in codes) == (API_READ[who] == 200)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("contributor", 201), ("lead", 201), ("national", 403), ("unrelated_ministry", 404), ("asker", 403)],
)
def test_api_contribution(people, case, who, expected):
    response = client_for(people[who]).post(
        f"/api/inquiries/inquiries/{case.code}/contribution/", {"text": "Phần"}, content_type="application/json"
    )
    assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), [("national", 200), ("lead", 404), ("asker", 404), ("anonymous", 403)])
def test_api_figures(people, case, who, expected):
    assert client_for(people[who]).get("/api/inquiries/figures/").status_code == expected
