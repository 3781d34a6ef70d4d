"""Membership invariants (Đ10.1, Đ15.2): one Head, Deputy and Secretary at any time, one representative
per agency, no overlapping terms, replacement the same day, history of every seat — in the services
and in the database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from board import services
from board.models import Invitation, Membership
from board.selectors import current_board, seat_history
from network.deadlines import deadlines_for
from network.events import events_for
from network.models import Deadline, Event, OutboxEmail

from .helpers import agency, convened_meeting, make_user, seat


def holders_on(day: date, *, role: str, agency_code: str | None = None) -> list[Membership]:
    """Who held the seat on ``day`` (terms are [term_start, ended_on))."""
    qs = Membership.objects.filter(
        state__in=[Membership.State.ACTIVE, Membership.State.ENDED], role=role, term_start__lte=day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    return list(qs)


def _nominate(admin, *, role=Membership.Role.MEMBER, agency_code="bo-y-te", user=None, name="Đặng Văn Khoa"):
    return services.membership_nominate(
        actor=admin,
        role=role,
        agency=agency(agency_code) if agency_code else None,
        full_name=name,
        position_vi="Phó Vụ trưởng",
        email="khoa.moh@example.vn",
        user=user,
    )


def test_appointment_to_a_vacant_seat(reference, admin_user):
    user = make_user("khoa.moh@example.vn", "Đặng Văn Khoa")
    nominee = _nominate(admin_user, user=user)
    assert nominee.state == Membership.State.NOMINATED
    assert events_for(nominee).filter(verb="board_nominated", actor=admin_user).exists()
    start = timezone.localdate() - timedelta(days=3)
    member = services.membership_appoint(
        actor=admin_user,
        membership=nominee,
        decision_number="45/QĐ-BKHCN",
        decision_date=start,
        term_start=start,
        term_end=start + timedelta(days=5 * 365),
    )
    assert member.state == Membership.State.ACTIVE
    assert events_for(member).filter(verb="board_appointed", from_state="nominated", to_state="active").exists()
    mail = OutboxEmail.objects.get(template="board_appointed")
    assert mail.to == "khoa.moh@example.vn"
    assert "45/QĐ-BKHCN" in mail.body_text
    deadline = deadlines_for(member).get(kind=services.DEADLINE_TERM_END)
    assert deadline.due_date == member.term_end
    assert deadline.point.code == "national"
    health_seat = next(s for s in current_board() if s.key == "bo-y-te")
    assert health_seat.holder == member


def test_replacement_ends_the_old_term_the_same_day(board, django_capture_on_commit_callbacks):
    old = board.health
    meeting, _item = convened_meeting(board)  # the old member is invited to a coming meeting
    new_user = make_user("khoa.moh@example.vn", "Đặng Văn Khoa")
    nominee = _nominate(board.admin, user=new_user)
    day = timezone.localdate()
    OutboxEmail.objects.all().delete()
    new = services.membership_appoint(
        actor=board.admin, membership=nominee, decision_number="88/QĐ-BKHCN", decision_date=day, term_start=day
    )
    old.refresh_from_db()
    assert old.state == Membership.State.ENDED
    assert old.ended_on == new.term_start == day
    assert new.predecessor == old
    assert events_for(old).filter(verb="board_replaced", to_state="ended").exists()
    # Never unrepresented nor represented twice: one holder the day before, the day of and the day after.
    for when in (day - timedelta(days=1), day, day + timedelta(days=1)):
        assert len(holders_on(when, role=Membership.Role.MEMBER, agency_code="bo-y-te")) == 1
    assert holders_on(day - timedelta(days=1), role="member", agency_code="bo-y-te") == [old]
    assert holders_on(day, role="member", agency_code="bo-y-te") == [new]
    # History of the seat.
    assert list(seat_history(role=Membership.Role.MEMBER, agency=agency("bo-y-te"))) == [new, old]
    # The new representative is invited to the meeting already convened.
    assert Invitation.objects.filter(meeting=meeting, membership=new).exists()
    assert set(OutboxEmail.objects.values_list("template", flat=True)) == {"board_appointed", "board_invitation"}


def test_replacing_the_head_keeps_exactly_one_head(board):
    successor_user = make_user("tuan.most@example.vn", "Bùi Thế Tuấn")
    nominee = _nominate(
        board.admin,
        role=Membership.Role.HEAD,
        agency_code="bo-khoa-hoc-va-cong-nghe",
        user=successor_user,
        name="Bùi Thế Tuấn",
    )
    day = timezone.localdate()
    services.membership_appoint(
        actor=board.admin, membership=nominee, decision_number="9/QĐ-BKHCN", decision_date=day, term_start=day
    )
    assert Membership.objects.filter(role=Membership.Role.HEAD, state=Membership.State.ACTIVE).count() == 1
    for when in (day - timedelta(days=1), day):
        assert len(holders_on(when, role=Membership.Role.HEAD)) == 1


def test_reappointing_the_same_person_for_a_new_term(board):
    nominee = services.membership_nominate(
        actor=board.admin,
        role=Membership.Role.MEMBER,
        agency=agency("bo-y-te"),
        full_name=board.health.full_name,
        position_vi="Vụ trưởng",
        email=board.health.email,
        user=board.health_user,
    )
    day = timezone.localdate()
    services.membership_appoint(
        actor=board.admin, membership=nominee, decision_number="2/QĐ", decision_date=day, term_start=day
    )
    assert Membership.objects.filter(user=board.health_user, state=Membership.State.ACTIVE).count() == 1


def test_database_refuses_two_heads_or_two_representatives(board):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            role=Membership.Role.HEAD,
            full_name="X",
            position_vi="x",
            email="x@example.vn",
            state=Membership.State.ACTIVE,
            decision_number="1",
            decision_date=date(2025, 1, 1),
            term_start=date(2026, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            role=Membership.Role.MEMBER,
            agency=agency("bo-y-te"),
            full_name="Y",
            position_vi="y",
            email="y@example.vn",
            state=Membership.State.ACTIVE,
            decision_number="1",
            decision_date=date(2025, 1, 1),
            term_start=date(2026, 1, 1),
        )
    for role in (Membership.Role.DEPUTY, Membership.Role.SECRETARY):
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(pk=board.justice.pk).update(role=role, agency=None)
    assert Membership.objects.filter(state=Membership.State.ACTIVE).count() == 6


def test_database_refuses_overlapping_terms_for_a_seat(board):
    """Also for terms that have ended: history cannot be rewritten into an overlap."""
    common = {
        "role": Membership.Role.MEMBER,
        "agency": agency("bo-y-te"),
        "position_vi": "x",
        "email": "p@example.vn",
        "state": Membership.State.ENDED,
        "decision_number": "1",
        "decision_date": date(2020, 1, 1),
    }
    # The current Health member's term started on 02/01/2025: an earlier term ending after that overlaps.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(full_name="Overlap", term_start=date(2024, 1, 1), ended_on=date(2025, 3, 1), **common)
    # Ending exactly on the day the next term starts touches but does not overlap.
    before = Membership.objects.create(
        full_name="Before", term_start=date(2024, 1, 1), ended_on=date(2025, 1, 2), **common
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=before.pk).update(ended_on=date(2025, 1, 3))
    # The same for a leadership seat.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            role=Membership.Role.DEPUTY,
            full_name="Z",
            position_vi="z",
            email="z@example.vn",
            state=Membership.State.ENDED,
            decision_number="1",
            decision_date=date(2020, 1, 1),
            term_start=date(2024, 6, 1),
            ended_on=date(2025, 6, 1),
        )


def test_database_requires_the_decision_for_a_member_in_office(reference):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            role=Membership.Role.MEMBER,
            agency=agency("vcci"),
            full_name="No decision",
            position_vi="x",
            email="n@example.vn",
            state=Membership.State.ACTIVE,
            term_start=date(2025, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            role=Membership.Role.MEMBER, agency=None, full_name="No agency", position_vi="x", email="a@example.vn"
        )


def test_replacement_cannot_start_before_the_holder_changes_nothing(board):
    nominee = _nominate(board.admin)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.membership_appoint(
            actor=board.admin,
            membership=nominee,
            decision_number="1/QĐ",
            decision_date=date(2024, 12, 1),
            term_start=date(2024, 12, 1),
        )
    assert exc.value.code == "term_start"
    board.health.refresh_from_db()
    nominee.refresh_from_db()
    assert board.health.state == Membership.State.ACTIVE and board.health.ended_on is None
    assert nominee.state == Membership.State.NOMINATED
    assert Event.objects.count() == events


def test_future_term_start_is_refused(board):
    nominee = _nominate(board.admin)
    with pytest.raises(ValidationError):
        services.membership_appoint(
            actor=board.admin,
            membership=nominee,
            decision_number="1/QĐ",
            decision_date=timezone.localdate(),
            term_start=timezone.localdate() + timedelta(days=1),
        )
    assert Membership.objects.get(pk=nominee.pk).state == Membership.State.NOMINATED


def test_a_person_holds_one_seat_at_a_time(board):
    nominee = _nominate(board.admin, agency_code="vcci", user=board.member_user)
    with pytest.raises(ValidationError) as exc:
        services.membership_appoint(
            actor=board.admin,
            membership=nominee,
            decision_number="1/QĐ",
            decision_date=timezone.localdate(),
            term_start=timezone.localdate(),
        )
    assert exc.value.code == "user"
    assert Membership.objects.get(pk=nominee.pk).state == Membership.State.NOMINATED


def test_a_member_seat_needs_an_agency(reference, admin_user):
    with pytest.raises(ValidationError):
        _nominate(admin_user, agency_code=None)
    assert not Membership.objects.exists()


@pytest.mark.parametrize("who", ["national", "board_member", "business"])
def test_only_administrators_manage_membership(reference, admin_user, cast, who):
    with pytest.raises(PermissionDenied):
        _nominate(cast[who])
    nominee = _nominate(admin_user)
    with pytest.raises(PermissionDenied):
        services.membership_appoint(
            actor=cast[who],
            membership=nominee,
            decision_number="1",
            decision_date=date.today(),
            term_start=date.today(),
        )
    assert Membership.objects.get(pk=nominee.pk).state == Membership.State.NOMINATED


def test_withdraw_a_nomination(reference, admin_user):
    nominee = _nominate(admin_user)
    services.membership_withdraw(actor=admin_user, membership=nominee, reason="Cơ quan cử người khác.")
    nominee.refresh_from_db()
    assert nominee.state == Membership.State.WITHDRAWN
    with pytest.raises(ValidationError):
        services.membership_appoint(
            actor=admin_user,
            membership=nominee,
            decision_number="1",
            decision_date=date.today(),
            term_start=date.today(),
        )


def test_replacement_closes_the_term_end_reminder(reference, admin_user):
    first = seat(
        admin_user,
        role=Membership.Role.MEMBER,
        user=None,
        full_name="Người Thứ Nhất",
        agency_code="vcci",
        start=date(2025, 1, 2),
        term_end=date(2030, 1, 1),
    )
    assert deadlines_for(first).get(kind=services.DEADLINE_TERM_END).state == Deadline.State.OPEN
    seat(
        admin_user,
        role=Membership.Role.MEMBER,
        user=None,
        full_name="Người Thứ Hai",
        agency_code="vcci",
        start=timezone.localdate(),
    )
    assert deadlines_for(first).get(kind=services.DEADLINE_TERM_END).state == Deadline.State.DONE


def test_contact_correction(board):
    services.membership_update_contact(
        actor=board.admin,
        membership=board.health,
        position_vi="Cục trưởng",
        position_en="Director",
        email="moi@example.vn",
        phone="024",
        user=board.health_user,
    )
    board.health.refresh_from_db()
    assert board.health.position_vi == "Cục trưởng"
    assert events_for(board.health).filter(verb="board_contact_updated").exists()
    with pytest.raises(ValidationError):
        services.membership_update_contact(
            actor=board.admin,
            membership=board.health,
            position_vi="x",
            position_en="",
            email="x@example.vn",
            phone="",
            user=board.member_user,
        )
