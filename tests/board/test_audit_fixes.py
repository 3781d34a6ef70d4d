"""What the audit against issue 5 added: the Board's area behind the dashboard link, a member's
to-do list, readable Board steps on the escalated object's own thread and on the Board's timelines,
the minutes' signature block kept with the text, and the demo Board for ``make run``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from board import pdf, services
from board.demo import DEMO_SEATS
from board.models import AgendaItem, Invitation, Meeting, Membership
from network.events import events_for
from network.models import AnnualList, Event, Point, User
from tests.conftest import client_for

from .helpers import convened_meeting, held_meeting, pdf_text, votes


def _annual_list() -> AnnualList:
    return AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=2026)


# --- The Board's area (the dashboard's "Go to the Board's area") -----------------------------------------
@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("member", "board:meeting_list"),
        ("secretary", "board:meeting_list"),
        ("national", "board:escalation_list"),
        ("admin", "board:manage"),
        ("ministry", "board:public"),
        ("business", "board:public"),
        ("anonymous", "board:public"),
    ],
)
def test_home_leads_each_role_to_its_part_of_the_board(board, cast, role, target):
    user = {
        "member": board.member_user,
        "secretary": board.secretary_user,
        "national": cast["national"],
        "admin": board.admin,
        "ministry": cast["ministry"],
        "business": cast["business"],
        "anonymous": None,
    }[role]
    response = client_for(user).get(reverse("board:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


def test_dashboard_button_leads_to_the_board_area(board):
    with translation.override("en"):
        dashboard = reverse("network:dashboard")
    html = client_for(board.member_user).get(dashboard).content.decode()
    assert 'href="/en/board/home/"' in html


# --- A member's to-do list ----------------------------------------------------------------------------------
def test_meeting_list_tells_a_member_what_to_do_until_done(board):
    meeting, item = convened_meeting(board)
    client = client_for(board.trade_user)  # Industry and Trade: a ministry with a TBT point
    html = client.get("/en/board/meetings/").content.decode()
    assert "What the Board expects from you" in html
    assert reverse("board:invitation_reply", kwargs={"public_id": meeting.public_id}) in html
    assert reverse("board:consultation", kwargs={"public_id": item.public_id}) in html

    services.invitation_reply(actor=board.trade_user, meeting=meeting, reply=Invitation.Reply.REMOTE)
    services.consultation_record(actor=board.trade_user, item=item, consulted_on=timezone.localdate())
    html = client.get("/en/board/meetings/").content.decode()
    assert "What the Board expects from you" not in html


def test_a_member_without_a_tbt_point_is_only_asked_to_reply(board):
    meeting, item = convened_meeting(board)
    html = client_for(board.member_user).get("/en/board/meetings/").content.decode()  # Justice: no TBT point
    assert reverse("board:invitation_reply", kwargs={"public_id": meeting.public_id}) in html
    assert reverse("board:consultation", kwargs={"public_id": item.public_id}) not in html


# --- The Board's steps on the escalated object's own thread --------------------------------------------------
def _concluded(board, national_officer, django_capture_on_commit_callbacks):
    target = _annual_list()
    escalation = services.board_escalate(
        actor=national_officer, obj=target, summary="Hai bộ chưa thống nhất.", question="Ban kết luận thế nào?"
    )
    meeting, item = held_meeting(board, escalation=escalation)
    services.item_decide(
        actor=board.secretary_user,
        item=item,
        method="vote",
        participation=votes(
            meeting, {board.head: "for", board.deputy: "for", board.secretary: "for", board.justice: "for"}
        ),
        declared=AgendaItem.Outcome.CARRIED,
        conclusion="Đề nghị Bộ Y tế bổ sung danh mục.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(actor=board.secretary_user, meeting=meeting)
    return target, meeting


def test_the_escalated_objects_timeline_names_the_board_steps(
    board, national_officer, django_capture_on_commit_callbacks
):
    target, _meeting = _concluded(board, national_officer, django_capture_on_commit_callbacks)
    concluded = events_for(target).get(verb="board_concluded")
    # The outcome is in the note; no state of the Board's item is written on the other app's object.
    assert concluded.to_state == "" and concluded.note.startswith("Thông qua theo nguyên tắc quá bán")
    with translation.override("en"):
        html = render_to_string("_timeline.html", {"events": events_for(target)})
    for label in ["Escalated to the Board", "Put on the Board&#x27;s agenda", "Concluded by the Board"]:
        assert label in html, label
    assert "Board concluded" not in html and "Board escalated" not in html
    assert "Đề nghị Bộ Y tế bổ sung danh mục." in html


def test_board_timeline_shows_state_labels_not_codes(board, national_officer, django_capture_on_commit_callbacks):
    _target, meeting = _concluded(board, national_officer, django_capture_on_commit_callbacks)
    html = client_for(board.member_user).get(f"/en/board/meetings/{meeting.public_id}/").content.decode()
    history = html[html.index('id="history-h"') :]
    for label in ["Being prepared", "Convened", "Held (decisions being recorded)", "Adopted by majority vote", "Ready"]:
        assert label in history, label
    for code in ["→ draft", "→ convened", "→ carried", "pending →", "→ ready"]:
        assert code not in history, code


# --- The minutes: the signature block never stands alone on its page ----------------------------------------
def test_minutes_signatures_stay_with_the_closing_text_and_the_question_is_not_repeated(
    board, national_officer, django_capture_on_commit_callbacks, tmp_path
):
    target, meeting = _concluded(board, national_officer, django_capture_on_commit_callbacks)
    # A long record pushes the end of the minutes towards a page break.
    Meeting.objects.filter(pk=meeting.pk).update(minutes_notes="\n".join(["Ý kiến thảo luận của các thành viên."] * 28))
    meeting.refresh_from_db()
    path = tmp_path / "bien-ban.pdf"
    path.write_bytes(pdf.render_minutes(meeting))
    pages = pdf_text(path).split("\f")
    signature_page = next(page for page in pages if "CHỦ TRÌ CUỘC HỌP" in page)
    assert "Biên bản này được lập thành bản điện tử" in signature_page
    text = " ".join("".join(pages).split())
    assert text.count("Ban kết luận thế nào?") == 1
    assert "qua cơ quan thường trực ngày" in text


# --- The demo Board ------------------------------------------------------------------------------------------
def test_board_demo_seats_the_demo_board_once(reference, admin_user, settings):
    settings.DEMO_MODE = True
    call_command("board_demo", stdout=io.StringIO())
    active = Membership.objects.filter(state=Membership.State.ACTIVE)
    assert active.count() == len(DEMO_SEATS) == 6
    for role in (Membership.Role.HEAD, Membership.Role.DEPUTY, Membership.Role.SECRETARY):
        assert active.filter(role=role).count() == 1
    secretary = active.get(role=Membership.Role.SECRETARY)
    assert secretary.user == User.objects.get(email="board.secretary@demo.tbt.example")
    assert secretary.decision_number and secretary.term_start <= timezone.localdate()
    assert Event.objects.filter(verb="board_appointed").count() == 6
    memberships, events = Membership.objects.count(), Event.objects.count()
    call_command("board_demo", stdout=io.StringIO())
    assert (Membership.objects.count(), Event.objects.count()) == (memberships, events)


def test_board_demo_refuses_outside_demo_mode(reference, admin_user, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("board_demo")
    assert not Membership.objects.exists()


# --- Escalating from the Board's pages: the officer names the enquiry by its tracking code -----------------
def _inquiry():
    import uuid

    from inquiries import services as inquiry_services

    data = inquiry_services.Submission(
        name="Bùi Văn Nam",
        organisation="Công ty TNHH Pin Việt",
        email="nam@pinviet.example.vn",
        phone="0912345678",
        asker_type="business",
        province=None,
        subject="Quy chuẩn pin lithium",
        question="Pin lithium dùng trong thiết bị y tế có thuộc phạm vi quy chuẩn mới không?",
        language="vi",
        consent_version="2026-01",
        hs_codes=[],
        markets=[],
    )
    inquiry, _created = inquiry_services.inquiry_submit(data=data, files=[], idempotency_key=uuid.uuid4(), user=None)
    return inquiry


def test_national_officer_names_the_enquiry_by_its_tracking_code(board, national_officer):
    inquiry = _inquiry()
    client = client_for(national_officer)
    listing = client.get("/en/board/escalations/").content.decode()
    assert "Escalate an enquiry or a notification" in listing
    picker = client.get("/en/board/escalate/")
    assert picker.status_code == 200 and "Enquiry (tracking code" in picker.content.decode()

    found = client.get("/en/board/escalate/", {"type": "inquiries.inquiry", "ref": f" {inquiry.code.lower()} "})
    assert found.status_code == 302
    assert found["Location"].endswith(f"?type=inquiries.inquiry&id={inquiry.code}")
    form = client.get(found["Location"])
    assert form.status_code == 200 and inquiry.code in form.content.decode()

    missing = client.get("/en/board/escalate/", {"type": "inquiries.inquiry", "ref": "HD-0000-NOPE"})
    assert missing.status_code == 200
    assert "Nothing of this kind has this reference" in missing.content.decode()
    # Only the kinds listed can be named this way (no lookup of users or points by a guessed value).
    other = client.get("/en/board/escalate/", {"type": "network.user", "ref": national_officer.email})
    assert other.status_code == 200 and "Nothing of this kind has this reference" in other.content.decode()


@pytest.mark.parametrize(("role", "expected"), [("member", 403), ("ministry", 404), ("business", 404)])
def test_the_escalation_picker_is_for_those_who_escalate(board, cast, role, expected):
    user = {"member": board.member_user, "ministry": cast["ministry"], "business": cast["business"]}[role]
    assert client_for(user).get("/en/board/escalate/").status_code == expected
    if role == "member":
        assert (
            "Escalate an enquiry or a notification"
            not in client_for(user).get("/en/board/escalations/").content.decode()
        )
