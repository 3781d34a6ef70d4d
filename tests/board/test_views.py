"""Screens and API of the Board: what each role may and may not do (no read → 404, read but not act →
403, anonymous → login), and the main flows through the real forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from board import services
from board.models import AgendaItem, Escalation, Invitation, Meeting, Membership, Paper, WorkPlan
from network.models import AnnualList, Point
from tests.conftest import client_for

from .helpers import agency, held_meeting, make_user, take_place, votes

ROLES = ["admin", "head", "secretary", "member", "national", "ministry", "business", "anonymous"]


def _user(board, cast, role):
    return {
        "admin": board.admin,
        "head": board.head_user,
        "secretary": board.secretary_user,
        "member": board.member_user,
        "national": cast["national"],
        "ministry": cast["ministry"],
        "business": cast["business"],
        "anonymous": None,
    }[role]


def _status(client, url, method="get", data=None):
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.fixture
def closed(board, django_capture_on_commit_callbacks):
    """A closed meeting with minutes, a reservation and a draft recommendation."""
    meeting, item = held_meeting(board)
    services.item_decide(
        actor=board.secretary_user,
        item=item,
        method="vote",
        participation=votes(
            meeting,
            {
                board.head: "for",
                board.deputy: "for",
                board.secretary: "for",
                board.justice: "for",
                board.health: "against",
            },
        ),
        declared=AgendaItem.Outcome.CARRIED,
        conclusion="Kiến nghị sửa đổi.",
    )
    services.reservation_record(
        actor=board.health_user,
        item=item,
        membership=board.health,
        opinion="Bảo lưu.",
        explanation="Giải trình của Bộ Y tế.",
    )
    rec = services.recommendation_create(
        actor=board.secretary_user, item=item, recipient="Bộ Công Thương", subject="Kiến nghị", body="Nội dung"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(actor=board.secretary_user, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, item, rec


# --- The public page ---------------------------------------------------------------------------------
def test_public_page_lists_the_board_in_both_languages(board):
    response = client_for(None).get("/board/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ["Lê Xuân Định", "Hoàng Thị Thu", "Trần Thị Hạnh", "Bộ Y tế", "Bộ Tư pháp", "Liên đoàn Thương mại"]:
        assert text in html
    english = client_for(None).get("/en/board/").content.decode()
    assert "Ministry of Health" in english
    assert "Head of the Board" in english
    assert "Director-General" in english  # the English position
    assert "Vietnam Chamber of Commerce and Industry" in english
    assert "Vacant" in english  # the VCCI seat is not filled


def test_board_menu_link(board):
    assert reverse("board:public") == "/board/"


# --- Permission matrix ----------------------------------------------------------------------------------
EXPECT_MANAGE = {
    "admin": 200,
    "head": 404,
    "secretary": 404,
    "member": 404,
    "national": 404,
    "ministry": 404,
    "business": 404,
    "anonymous": "login",
}
EXPECT_MEMBERS = {
    "admin": 404,
    "head": 200,
    "secretary": 200,
    "member": 200,
    "national": 404,
    "ministry": 404,
    "business": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("role", ROLES)
def test_matrix_membership_screens(board, cast, role):
    client = client_for(_user(board, cast, role))
    expected = EXPECT_MANAGE[role]
    assert _status(client, reverse("board:manage")) == expected
    assert _status(client, reverse("board:nominate")) == expected
    assert _status(client, reverse("board:seat_history", args=["bo-y-te"])) == expected
    assert _status(client, reverse("board:membership_detail", args=[board.health.public_id])) == expected


@pytest.mark.parametrize("role", ROLES)
def test_matrix_meetings_and_minutes(board, cast, closed, role):
    meeting, item, rec = closed
    client = client_for(_user(board, cast, role))
    expected = EXPECT_MEMBERS[role]
    assert _status(client, reverse("board:meeting_list")) == expected
    assert _status(client, meeting.get_absolute_url()) == expected
    assert _status(client, reverse("board:minutes_download", args=[meeting.public_id])) == expected
    assert _status(client, rec.get_absolute_url()) == expected
    # Acting: who may read but not act gets 403.
    create = {"head": 200, "secretary": 200, "member": 403}.get(role, expected)
    assert _status(client, reverse("board:meeting_create")) == create
    record = {"head": 403, "secretary": 200, "member": 403}.get(role, expected)
    assert _status(client, reverse("board:recommendation_create", args=[item.public_id])) == record
    issue = {"head": 302, "secretary": 302, "member": 403}.get(role, expected)
    assert _status(client, reverse("board:recommendation_issue", args=[rec.public_id]), "post") == issue


def test_minutes_download_is_the_pdf(board, closed):
    meeting, _item, _rec = closed
    response = client_for(board.member_user).get(reverse("board:minutes_download", args=[meeting.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_former_member_loses_access(board, closed):
    meeting, _item, _rec = closed
    nominee = services.membership_nominate(
        actor=board.admin,
        role=Membership.Role.MEMBER,
        agency=agency("bo-tu-phap"),
        full_name="Người kế nhiệm",
        position_vi="Vụ trưởng",
        email="k@example.vn",
    )
    services.membership_appoint(
        actor=board.admin,
        membership=nominee,
        decision_number="5/QĐ",
        decision_date=timezone.localdate(),
        term_start=timezone.localdate(),
    )
    assert client_for(board.member_user).get(meeting.get_absolute_url()).status_code == 404


def test_draft_meeting_hidden_from_ordinary_members(board):
    meeting = services.meeting_create(
        actor=board.secretary_user,
        kind=Meeting.Kind.AD_HOC,
        title="Nháp",
        starts_at=timezone.now() + timedelta(days=3),
        place="Hà Nội",
    )
    assert client_for(board.member_user).get(meeting.get_absolute_url()).status_code == 404
    assert client_for(board.deputy_user).get(meeting.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_matrix_recording(board, cast, role):
    meeting, item = held_meeting(board)
    client = client_for(_user(board, cast, role))
    expected = {"head": 403, "secretary": 200, "member": 403}.get(role, EXPECT_MEMBERS[role])
    assert _status(client, reverse("board:attendance", args=[meeting.public_id])) == expected
    assert _status(client, reverse("board:item_decide", args=[item.public_id])) == expected
    assert _status(client, reverse("board:meeting_close", args=[meeting.public_id])) == expected


@pytest.mark.parametrize("role", ROLES)
def test_matrix_escalation(board, cast, role):
    annual_list = AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=2026)
    url = reverse("board:escalate") + f"?type=network.annuallist&id={annual_list.public_id}"
    client = client_for(_user(board, cast, role))
    expected = {
        "admin": 404,
        "head": 403,
        "secretary": 200,
        "member": 403,
        "national": 200,
        "ministry": 404,
        "business": 404,
        "anonymous": "login",
    }[role]
    assert _status(client, url) == expected
    listing = {"admin": 404, "national": 200, "ministry": 404, "business": 404, "anonymous": "login"}.get(role, 200)
    assert _status(client, reverse("board:escalation_list")) == listing
    assert _status(client, reverse("board:workplan_list")) == listing


def test_escalation_needs_an_existing_public_object(board, national_officer):
    client = client_for(national_officer)
    base = reverse("board:escalate")
    assert client.get(base + "?type=network.annuallist&id=not-a-uuid").status_code == 404
    assert client.get(base + "?type=network.user&id=1").status_code == 404
    assert client.get(base + "?type=auth.group&id=1").status_code == 404
    # Not by sequential id: a point is found by its code, never by pk.
    assert client.get(base + "?type=network.point&id=1").status_code == 404
    assert client.get(base + "?type=network.point&id=bo-y-te").status_code == 200


# --- Flows through the screens ---------------------------------------------------------------------------
def test_escalate_through_the_screen(board, national_officer):
    annual_list = AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=2026)
    response = client_for(national_officer).post(
        reverse("board:escalate"),
        {"type": "network.annuallist", "id": str(annual_list.public_id), "summary": "Tóm tắt", "question": "Câu hỏi?"},
    )
    escalation = Escalation.objects.get()
    assert response.status_code == 302 and response["Location"] == escalation.get_absolute_url()
    assert escalation.target == annual_list
    detail = client_for(board.member_user).get(escalation.get_absolute_url())
    assert "Câu hỏi?" in detail.content.decode()


def test_nominate_and_appoint_through_the_screens(board):
    client = client_for(board.admin)
    user = make_user("khoa.moh@example.vn", "Đặng Văn Khoa")
    response = client.post(
        reverse("board:nominate"),
        {
            "role": "member",
            "agency": agency("bo-y-te").pk,
            "full_name": "Đặng Văn Khoa",
            "position_vi": "Phó Vụ trưởng",
            "email": "khoa.moh@example.vn",
            "user": user.pk,
        },
    )
    nominee = Membership.objects.get(full_name="Đặng Văn Khoa")
    assert response["Location"] == reverse("board:membership_detail", args=[nominee.public_id])
    page = client.get(reverse("board:membership_appoint", args=[nominee.public_id])).content.decode()
    assert board.health.full_name in page  # warns whom it replaces
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("board:membership_appoint", args=[nominee.public_id]),
        {"decision_number": "77/QĐ-BKHCN", "decision_date": today, "term_start": today},
    )
    assert response.status_code == 302
    board.health.refresh_from_db()
    assert board.health.state == Membership.State.ENDED
    history = client.get(reverse("board:seat_history", args=["bo-y-te"])).content.decode()
    assert "Đặng Văn Khoa" in history and board.health.full_name in history


def test_member_seat_without_agency_is_a_form_error(board):
    response = client_for(board.admin).post(
        reverse("board:nominate"), {"role": "member", "full_name": "X", "position_vi": "Y", "email": "x@example.vn"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Membership.objects.filter(full_name="X").exists()


def test_meeting_flow_through_the_screens(board, django_capture_on_commit_callbacks):
    secretary = client_for(board.secretary_user)
    starts = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    secretary.post(
        reverse("board:meeting_create"),
        {"kind": "ad_hoc", "title": "Họp đột xuất", "starts_at": starts, "place": "Hà Nội"},
    )
    meeting = Meeting.objects.get()
    response = client_for(board.head_user).post(
        reverse("board:item_add", args=[meeting.public_id]), {"kind": "head", "title": "Nội dung của Trưởng ban"}
    )
    assert response.status_code == 302
    item = meeting.items.get()
    upload = SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    secretary.post(
        reverse("board:paper_add", args=[meeting.public_id]), {"title": "Tài liệu", "file": upload, "item": item.pk}
    )
    paper = Paper.objects.get()
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = secretary.post(reverse("board:paper_add", args=[meeting.public_id]), {"title": "x", "file": bad})
    assert response.status_code == 200 and Paper.objects.count() == 1
    secretary.post(reverse("board:meeting_convene", args=[meeting.public_id]))
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CONVENED
    member = client_for(board.member_user)
    assert member.get(reverse("board:paper_download", args=[paper.public_id])).status_code == 200
    assert client_for(board.admin).get(reverse("board:paper_download", args=[paper.public_id])).status_code == 404
    member.post(reverse("board:invitation_reply", args=[meeting.public_id]), {"reply": "remote"})
    assert Invitation.objects.get(meeting=meeting, membership=board.justice).reply == "remote"
    # The Ministry of Health records the consultation of its point (Đ12.2); Justice has none → 403.
    health = client_for(board.health_user)
    health.post(
        reverse("board:consultation", args=[item.public_id]),
        {"consulted_on": timezone.localdate().isoformat(), "position": "Thống nhất."},
    )
    assert item.consultations.get().point.code == "bo-y-te"
    assert member.get(reverse("board:consultation", args=[item.public_id])).status_code == 403
    take_place(meeting)
    data = {
        f"att_{inv.pk}": ("absent" if inv.membership == board.trade else "in_person")
        for inv in meeting.invitations.all()
    }
    secretary.post(reverse("board:attendance", args=[meeting.public_id]), data)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    # 5 present; 2 for, 2 against, 1 abstain: "carried" is refused with the numbers on the screen.
    vote_of = {
        board.head: "for",
        board.deputy: "for",
        board.secretary: "against",
        board.justice: "against",
        board.health: "abstain",
        board.trade: "",
    }
    form = {"method": "vote", "declared": "carried", "conclusion": "Thông qua."}
    for inv in meeting.invitations.all():
        form[f"att_{inv.pk}"] = "absent" if inv.membership == board.trade else "in_person"
        form[f"vote_{inv.pk}"] = vote_of[inv.membership]
    response = secretary.post(reverse("board:item_decide", args=[item.public_id]), form)
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()  # the refusal, next to the form
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.PENDING
    form["declared"] = "not_carried"
    secretary.post(reverse("board:item_decide", args=[item.public_id]), form)
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.NOT_CARRIED
    # The member enters their own reservation.
    member.post(
        reverse("board:reservation", args=[item.public_id]),
        {"membership": board.justice.pk, "opinion": "Bảo lưu.", "explanation": "Vì lý do pháp lý."},
    )
    assert item.reservations.get().membership == board.justice
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(reverse("board:meeting_close", args=[meeting.public_id]), {"minutes_notes": ""})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CLOSED
    page = member.get(meeting.get_absolute_url()).content.decode()
    assert reverse("board:minutes_download", args=[meeting.public_id]) in page
    assert "Vì lý do pháp lý." in page


def test_work_plan_screens(board, national_officer):
    client = client_for(national_officer)
    client.post(reverse("board:workplan_create"), {"year": 2031, "summary": "Kế hoạch 2031"})
    plan = WorkPlan.objects.get(year=2031)
    client.post(plan.get_absolute_url(), {"title": "Rà soát", "lead": "STAMEQ", "due_date": "2031-06-30"})
    assert plan.items.count() == 1
    assert client_for(board.member_user).post(plan.get_absolute_url(), {"title": "x"}).status_code == 403
    assert client_for(board.member_user).get(plan.get_absolute_url()).status_code == 200


# --- API ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(board, cast, closed, role):
    meeting, _item, _rec = closed
    client = client_for(_user(board, cast, role))
    members = client.get("/api/board/members/")
    assert members.status_code == 200
    assert {m["full_name"] for m in members.json()} >= {"Lê Xuân Định", "Trần Thị Hạnh"}
    meetings = client.get("/api/board/meetings/").status_code
    detail = client.get(f"/api/board/meetings/{meeting.public_id}/")
    expected = {"head": 200, "secretary": 200, "member": 200, "anonymous": 403}.get(role, 404)
    assert meetings == expected
    assert detail.status_code == expected
    if expected == 200:
        (item,) = detail.json()["items"]
        assert item["reservations"][0]["explanation"] == "Giải trình của Bộ Y tế."
    escalations = {"head": 200, "secretary": 200, "member": 200, "national": 200, "anonymous": 403}.get(role, 404)
    assert client.get("/api/board/escalations/").status_code == escalations


def test_api_escalate(board, national_officer):
    annual_list = AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=2026)
    payload = {"type": "network.annuallist", "id": str(annual_list.public_id), "summary": "s", "question": "q"}
    assert client_for(board.member_user).post("/api/board/escalations/", payload).status_code == 403
    response = client_for(national_officer).post("/api/board/escalations/", payload)
    assert response.status_code == 201
    assert response.json()["state"] == "open"
    assert client_for(national_officer).post("/api/board/escalations/", payload).status_code == 400
