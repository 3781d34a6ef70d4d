"""Services of the Board: state, event row, outbox row, and "a refusal changes nothing"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from board import services
from board.models import (
    AgendaItem,
    Consultation,
    Escalation,
    Invitation,
    Meeting,
    Membership,
    WorkPlan,
    WorkPlanItem,
)
from board.selectors import board_conclusions_for, escalation_url_for, pending_for
from network.deadlines import deadlines_for
from network.events import events_for
from network.models import AnnualList, Deadline, Event, OutboxEmail, Point

from .helpers import convened_meeting, held_meeting, schedule, take_place, votes


def _annual_list() -> AnnualList:
    return AnnualList.objects.create(point=Point.objects.get(code="bo-y-te"), year=2026)


# --- Meetings ------------------------------------------------------------------------------------------
def test_create_periodic_meeting_opens_the_papers_deadline(board, settings):
    settings.BOARD_PAPERS_DAYS_BEFORE = 7
    meeting = schedule(board, kind=Meeting.Kind.PERIODIC, days=30, title="Họp định kỳ")
    assert meeting.state == Meeting.State.DRAFT
    assert meeting.convened_by == board.head
    assert events_for(meeting).filter(verb="board_meeting_scheduled", actor=board.secretary_user).exists()
    deadline = deadlines_for(meeting).get(kind=services.DEADLINE_PAPERS)
    assert deadline.person == board.secretary_user
    assert deadline.point.code == "national"
    assert deadline.due_date <= meeting.date - timedelta(days=7)
    assert deadline.due_date.weekday() < 5


def test_periodic_meeting_needs_the_papers_delay_and_one_per_year(board, settings):
    settings.BOARD_PAPERS_DAYS_BEFORE = 7
    before = Meeting.objects.count()
    with pytest.raises(ValidationError) as exc:
        schedule(board, kind=Meeting.Kind.PERIODIC, days=3)
    assert exc.value.code == "starts_at"
    assert Meeting.objects.count() == before
    first = schedule(board, kind=Meeting.Kind.PERIODIC, days=20)
    same_year = first.starts_at + timedelta(days=1)
    if timezone.localtime(same_year).year == first.year:
        with pytest.raises(ValidationError) as exc:
            services.meeting_create(
                actor=board.head_user, kind=Meeting.Kind.PERIODIC, title="x", starts_at=same_year, place="Hà Nội"
            )
        assert exc.value.code == "periodic"


def test_periodic_meeting_gets_the_work_plan_items(board, national_officer):
    year = timezone.localdate().year
    current = services.workplan_create(actor=national_officer, year=year)
    WorkPlan.objects.filter(pk=current.pk).update(state=WorkPlan.State.ADOPTED)
    services.workplan_create(actor=national_officer, year=year + 1)
    meeting = services.meeting_create(
        actor=board.head_user,
        kind=Meeting.Kind.PERIODIC,
        title="Họp định kỳ",
        starts_at=timezone.now() + timedelta(days=20),
        place="Hà Nội",
    )
    kinds = set(meeting.items.values_list("kind", flat=True))
    if meeting.year == year:
        assert kinds == {AgendaItem.Kind.WORKPLAN_REVIEW, AgendaItem.Kind.WORKPLAN_ADOPTION}
    else:  # scheduled across the new year: reviews next year's plan
        assert AgendaItem.Kind.WORKPLAN_REVIEW in kinds or AgendaItem.Kind.WORKPLAN_ADOPTION not in kinds


def test_only_head_and_secretary_schedule(board):
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=board.member_user,
            kind=Meeting.Kind.AD_HOC,
            title="x",
            starts_at=timezone.now() + timedelta(days=2),
            place="Hà Nội",
        )
    assert not Meeting.objects.exists()


def test_convene_invites_every_member_with_papers_and_reply_deadlines(board, django_capture_on_commit_callbacks):
    meeting = schedule(board, kind=Meeting.Kind.PERIODIC, days=30)
    services.agenda_item_add(actor=board.head_user, meeting=meeting, kind=AgendaItem.Kind.HEAD, title="Nội dung 1")
    OutboxEmail.objects.all().delete()
    services.meeting_convene(actor=board.secretary_user, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CONVENED
    assert meeting.invitations.count() == 6
    mails = OutboxEmail.objects.filter(template="board_invitation")
    assert sorted(mails.values_list("to", flat=True)) == sorted(m.email for m in board.all)
    mail = mails.get(to=board.health.email)
    assert f"/board/meetings/{meeting.public_id}/reply/" in mail.body_text
    assert "Nội dung 1" in mail.body_text
    assert events_for(meeting).filter(verb="board_meeting_convened").exists()
    assert deadlines_for(meeting).get(kind=services.DEADLINE_PAPERS).state == Deadline.State.DONE
    invitation = meeting.invitations.get(membership=board.health)
    assert deadlines_for(invitation).get(kind=services.DEADLINE_REPLY).person == board.health_user


def test_convene_refused_without_agenda_changes_nothing(board):
    meeting = schedule(board)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.meeting_convene(actor=board.secretary_user, meeting=meeting)
    assert exc.value.code == "agenda"
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.DRAFT
    assert not Invitation.objects.exists()
    assert Event.objects.count() == events


def test_member_cannot_convene(board):
    meeting = schedule(board)
    services.agenda_item_add(actor=board.head_user, meeting=meeting, kind=AgendaItem.Kind.HEAD, title="x")
    with pytest.raises(PermissionDenied):
        services.meeting_convene(actor=board.member_user, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.DRAFT


def test_only_the_head_adds_head_items(board):
    meeting = schedule(board)
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=board.secretary_user, meeting=meeting, kind=AgendaItem.Kind.HEAD, title="x")
    assert not meeting.items.exists()


def test_reply_and_written_opinion(board):
    meeting, _item = convened_meeting(board)
    invitation = meeting.invitations.get(membership=board.justice)
    with pytest.raises(ValidationError):
        services.invitation_reply(actor=board.member_user, meeting=meeting, reply=Invitation.Reply.WRITTEN)
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.PENDING
    services.invitation_reply(
        actor=board.member_user,
        meeting=meeting,
        reply=Invitation.Reply.WRITTEN,
        written_opinion="Bộ Tư pháp đề nghị làm rõ căn cứ pháp lý.",
    )
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.WRITTEN
    assert deadlines_for(invitation).get(kind=services.DEADLINE_REPLY).state == Deadline.State.DONE
    assert events_for(meeting).filter(verb="board_invitation_replied", actor=board.member_user).exists()


def test_non_member_cannot_reply(board, national_officer):
    meeting, _item = convened_meeting(board)
    with pytest.raises(PermissionDenied):
        services.invitation_reply(actor=national_officer, meeting=meeting, reply=Invitation.Reply.IN_PERSON)


def test_consultation_only_for_ministries_with_a_tbt_point(board):
    meeting, item = convened_meeting(board)
    consultation = services.consultation_record(
        actor=board.health_user,
        item=item,
        consulted_on=timezone.localdate(),
        position="Thống nhất với Điểm TBT Bộ Y tế.",
    )
    assert consultation.point.code == "bo-y-te"
    assert events_for(meeting).filter(verb="board_point_consulted").exists()
    # The Ministry of Justice has no TBT point (Đ4.4).
    with pytest.raises(ValidationError) as exc:
        services.consultation_record(actor=board.member_user, item=item, consulted_on=timezone.localdate())
    assert exc.value.code == "point"
    assert Consultation.objects.count() == 1
    # It shows on the member's to-do list until recorded.
    assert item not in pending_for(board.health_user)["consultations"]
    assert item in pending_for(board.trade_user)["consultations"]


def test_attendance_before_the_day_is_refused(board):
    meeting, _item = convened_meeting(board)
    att = {inv.pk: Invitation.Attendance.IN_PERSON for inv in meeting.invitations.all()}
    with pytest.raises(ValidationError):
        services.attendance_record(actor=board.secretary_user, meeting=meeting, attendance=att)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.CONVENED


def test_attendance_only_by_the_secretary_and_the_deputy_chairs_without_the_head(board):
    meeting, _item = convened_meeting(board)
    take_place(meeting)
    att = {
        inv.pk: (Invitation.Attendance.ABSENT if inv.membership == board.head else Invitation.Attendance.IN_PERSON)
        for inv in meeting.invitations.all()
    }
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=board.head_user, meeting=meeting, attendance=att)
    services.attendance_record(actor=board.secretary_user, meeting=meeting, attendance=att)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    assert meeting.chaired_by == board.deputy
    for inv in meeting.invitations.all():
        assert deadlines_for(inv).get(kind=services.DEADLINE_REPLY).state == Deadline.State.DONE


def test_attendance_must_cover_every_member(board):
    meeting, _item = convened_meeting(board)
    take_place(meeting)
    first = meeting.invitations.first()
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=board.secretary_user, meeting=meeting, attendance={first.pk: Invitation.Attendance.IN_PERSON}
        )
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.CONVENED


def test_cancel_reopens_the_escalation_and_tells_the_members(board, national_officer):
    escalation = services.board_escalate(actor=national_officer, obj=_annual_list(), summary="s", question="q?")
    meeting, _item = convened_meeting(board, escalation=escalation)
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.SCHEDULED
    OutboxEmail.objects.all().delete()
    services.meeting_cancel(actor=board.head_user, meeting=meeting, reason="Trưởng ban đi công tác.")
    meeting.refresh_from_db()
    escalation.refresh_from_db()
    assert meeting.state == Meeting.State.CANCELLED
    assert escalation.state == Escalation.State.OPEN
    assert OutboxEmail.objects.filter(template="board_meeting_cancelled").count() == 6


# --- Escalation and conclusions flowing back ------------------------------------------------------------
def test_escalate_records_on_both_threads_and_tells_head_and_secretary(board, national_officer):
    annual_list = _annual_list()
    OutboxEmail.objects.all().delete()
    escalation = services.board_escalate(
        actor=national_officer,
        obj=annual_list,
        summary="Hai bộ chưa thống nhất.",
        question="Ban có kiến nghị sửa đổi không?",
    )
    assert escalation.state == Escalation.State.OPEN
    assert escalation.target == annual_list
    assert escalation.object_url == annual_list.get_absolute_url()
    assert events_for(escalation).filter(verb="board_escalated").exists()
    assert events_for(annual_list).filter(verb="board_escalated", actor=national_officer).exists()
    assert set(OutboxEmail.objects.filter(template="board_escalation").values_list("to", flat=True)) == {
        board.head.email,
        board.secretary.email,
    }
    # Twice is refused (one pending escalation per object, also in the database).
    with pytest.raises(ValidationError) as exc:
        services.board_escalate(actor=national_officer, obj=annual_list, summary="x", question="y")
    assert exc.value.code == "duplicate"
    assert Escalation.objects.count() == 1


@pytest.mark.parametrize("who", ["member_user", "ministry", "business"])
def test_only_national_officers_and_the_secretary_escalate(board, who, ministry_officer, business):
    actor = {"member_user": board.member_user, "ministry": ministry_officer, "business": business}[who]
    with pytest.raises(PermissionDenied):
        services.board_escalate(actor=actor, obj=_annual_list(), summary="s", question="q")
    assert not Escalation.objects.exists()


def test_close_sends_the_conclusion_back_to_the_escalated_object(
    board, national_officer, django_capture_on_commit_callbacks
):
    annual_list = _annual_list()
    escalation = services.board_escalate(actor=national_officer, obj=annual_list, summary="s", question="q?")
    meeting, item = held_meeting(board, escalation=escalation)
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
                board.trade: "abstain",
            },
        ),
        declared=AgendaItem.Outcome.CARRIED,
        conclusion="Kiến nghị Bộ Y tế sửa đổi danh mục.",
    )
    services.reservation_record(
        actor=board.health_user,
        item=item,
        membership=board.health,
        opinion="Chưa đồng ý.",
        explanation="Cần đánh giá tác động.",
    )
    OutboxEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(actor=board.secretary_user, meeting=meeting)
    meeting.refresh_from_db()
    escalation.refresh_from_db()
    assert meeting.state == Meeting.State.CLOSED
    assert meeting.minutes_number.endswith("/BB-BLNTBT")
    assert escalation.state == Escalation.State.CONCLUDED
    event = events_for(annual_list).get(verb="board_concluded")
    assert "Kiến nghị Bộ Y tế sửa đổi danh mục." in event.note
    conclusion_mail = OutboxEmail.objects.get(template="board_conclusion")
    assert conclusion_mail.to == national_officer.email
    assert "Cần đánh giá tác động." in conclusion_mail.body_text
    assert OutboxEmail.objects.filter(template="board_minutes").count() == 6
    # The selector and the include other apps use.
    (found,) = board_conclusions_for(annual_list)
    assert found.concluded_items == [item]
    request = RequestFactory().get("/")
    request.user = national_officer
    html = render_to_string("board/_conclusions.html", {"obj": annual_list, "request": request})
    assert "Kiến nghị Bộ Y tế sửa đổi danh mục." in html
    assert "Cần đánh giá tác động." in html
    assert escalation_url_for(annual_list).replace("&", "&amp;") in html  # concluded: may be escalated again


def test_deferred_item_goes_back_to_the_open_escalations(board, national_officer):
    annual_list = _annual_list()
    escalation = services.board_escalate(actor=national_officer, obj=annual_list, summary="s", question="q?")
    meeting, item = held_meeting(board, escalation=escalation)
    services.item_decide(actor=board.secretary_user, item=item, method="deferred", participation={}, conclusion="")
    services.meeting_close(actor=board.secretary_user, meeting=meeting)
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.OPEN
    assert events_for(annual_list).filter(verb="board_deferred").exists()


def test_close_refused_while_an_item_is_undecided(board):
    meeting, _item = held_meeting(board)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.meeting_close(actor=board.secretary_user, meeting=meeting)
    assert exc.value.code == "pending"
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    assert meeting.minutes_number == ""
    assert Event.objects.count() == events


# --- Work plan ------------------------------------------------------------------------------------------
def test_work_plan_adopted_at_the_periodic_meeting_and_tracked_to_done(board, national_officer):
    year = timezone.localdate().year
    plan = services.workplan_create(actor=national_officer, year=year + 1, summary="Kế hoạch")
    task = services.workplan_item_add(
        actor=national_officer,
        plan=plan,
        title="Rà soát quy chuẩn",
        due_date=timezone.localdate() + timedelta(days=200),
    )
    with pytest.raises(ValidationError):
        services.workplan_item_done(actor=national_officer, item=task)
    meeting = schedule(board, kind=Meeting.Kind.PERIODIC, days=20)
    Meeting.objects.filter(pk=meeting.pk).update(year=year)  # as scheduled within the year
    item = meeting.items.filter(kind=AgendaItem.Kind.WORKPLAN_ADOPTION).first() or services.agenda_item_add(
        actor=board.secretary_user,
        meeting=meeting,
        kind=AgendaItem.Kind.WORKPLAN_ADOPTION,
        title="Thông qua kế hoạch",
        work_plan=plan,
    )
    services.meeting_convene(actor=board.secretary_user, meeting=meeting)
    take_place(meeting)
    services.attendance_record(
        actor=board.secretary_user,
        meeting=meeting,
        attendance={i.pk: Invitation.Attendance.IN_PERSON for i in meeting.invitations.all()},
    )
    services.item_decide(
        actor=board.secretary_user, item=item, method="consensus", participation={}, conclusion="Thông qua kế hoạch."
    )
    for other in meeting.items.exclude(pk=item.pk):
        services.item_decide(actor=board.secretary_user, item=other, method="deferred", participation={}, conclusion="")
    services.meeting_close(actor=board.secretary_user, meeting=meeting)
    plan.refresh_from_db()
    assert plan.state == WorkPlan.State.ADOPTED
    assert plan.adopted_at_meeting == meeting
    assert deadlines_for(task).get(kind=services.DEADLINE_WORKPLAN_TASK).state == Deadline.State.OPEN
    with pytest.raises(ValidationError):
        services.workplan_item_add(actor=national_officer, plan=plan, title="late addition")
    services.workplan_item_done(actor=national_officer, item=task, note="Đã rà soát 12 quy chuẩn.")
    task.refresh_from_db()
    assert task.state == WorkPlanItem.State.DONE
    assert deadlines_for(task).get(kind=services.DEADLINE_WORKPLAN_TASK).state == Deadline.State.DONE
    assert events_for(plan).filter(verb="board_workplan_task_done").exists()
    with pytest.raises(PermissionDenied):
        services.workplan_item_done(actor=board.member_user, item=task)


def test_members_and_roles_are_what_the_membership_says(board):
    assert Membership.objects.filter(state=Membership.State.ACTIVE).count() == 6
