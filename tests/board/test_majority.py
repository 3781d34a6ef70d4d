"""Đ11.2: consensus, or failing it MORE than half of those present voting for. The portal computes the
majority from the recorded attendance and votes and refuses a result the numbers do not support."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from board import services
from board.models import AgendaItem, Invitation, ItemVote, vote_carries
from network.models import Event

from .helpers import held_meeting, votes

ABSENT = Invitation.Attendance.ABSENT
IN_PERSON = Invitation.Attendance.IN_PERSON


@pytest.mark.parametrize(
    ("votes_for", "present", "carries"),
    [
        (4, 6, True),  # more than half
        (3, 6, False),  # exactly half
        (3, 5, True),  # 3 of 5
        (2, 4, False),  # a tie 2-2, or 2 for and 2 abstentions
        (1, 1, True),
        (0, 0, False),  # nobody present
        (1, 2, False),
        (2, 3, True),
    ],
)
def test_vote_carries(votes_for, present, carries):
    assert vote_carries(votes_for=votes_for, present=present) is carries


def _state(item):
    item.refresh_from_db()
    return (
        item.outcome,
        item.present_count,
        item.votes_for,
        item.votes_against,
        item.votes_abstain,
        ItemVote.objects.filter(item=item).count(),
        Event.objects.count(),
    )


def _refused(board, meeting, item, spec, declared=AgendaItem.Outcome.CARRIED, method="vote", code="majority"):
    before = _state(item)
    with pytest.raises(ValidationError) as exc:
        services.item_decide(
            actor=board.secretary_user,
            item=item,
            method=method,
            participation=votes(meeting, spec),
            declared=declared,
            conclusion="Thông qua.",
        )
    assert exc.value.code == code
    assert _state(item) == before  # a refusal changes nothing
    return exc.value


def test_tie_is_not_carried(board):
    meeting, item = held_meeting(board, absent=(board.deputy, board.trade))  # 4 present
    spec = {board.head: "for", board.secretary: "for", board.justice: "against", board.health: "against"}
    error = _refused(board, meeting, item, spec)
    assert "2" in error.messages[0] and "4" in error.messages[0]
    decided = services.item_decide(
        actor=board.secretary_user,
        item=item,
        method="vote",
        participation=votes(meeting, spec),
        declared=AgendaItem.Outcome.NOT_CARRIED,
        conclusion="Không thông qua.",
    )
    assert decided.outcome == AgendaItem.Outcome.NOT_CARRIED
    assert (decided.votes_for, decided.votes_against, decided.present_count) == (2, 2, 4)


def test_exactly_half_with_abstentions_is_not_carried(board):
    meeting, item = held_meeting(board)  # 6 present
    spec = {
        board.head: "for",
        board.deputy: "for",
        board.secretary: "for",
        board.justice: "abstain",
        board.health: "abstain",
        board.trade: "abstain",
    }
    _refused(board, meeting, item, spec)


def test_abstentions_count_as_present_not_for(board):
    meeting, item = held_meeting(board)  # 6 present; 3 for, 0 against: still not more than half
    spec = {board.head: "for", board.deputy: "for", board.secretary: "for", board.justice: "abstain"}
    _refused(board, meeting, item, spec)


def test_absent_members_do_not_count(board):
    meeting, item = held_meeting(board, absent=(board.deputy,))  # 5 present: 3 for carries
    spec = {
        board.head: "for",
        board.secretary: "for",
        board.justice: "for",
        board.health: "against",
        board.trade: "against",
    }
    decided = services.item_decide(
        actor=board.secretary_user,
        item=item,
        method="vote",
        participation=votes(meeting, spec),
        declared=AgendaItem.Outcome.CARRIED,
        conclusion="Thông qua.",
    )
    assert decided.outcome == AgendaItem.Outcome.CARRIED
    assert (decided.votes_for, decided.present_count) == (3, 5)
    assert ItemVote.objects.get(item=item, invitation__membership=board.deputy).attendance == ABSENT


def test_attendance_per_item_leaving_early_changes_the_majority(board):
    """A member present at the meeting but gone for this item is not counted for it."""
    meeting, item = held_meeting(board)  # 6 present at the meeting
    spec = {
        board.head: "for",
        board.deputy: "for",
        board.secretary: "for",
        board.justice: "against",
        board.health: (ABSENT, ""),
        board.trade: (ABSENT, ""),
    }
    decided = services.item_decide(
        actor=board.secretary_user,
        item=item,
        method="vote",
        participation=votes(meeting, spec),
        declared=AgendaItem.Outcome.CARRIED,
        conclusion="Thông qua.",
    )
    assert (decided.votes_for, decided.present_count) == (3, 4)


def test_an_absent_member_cannot_vote(board):
    meeting, item = held_meeting(board, absent=(board.trade,))
    spec = {board.head: "for", board.deputy: "for", board.secretary: "for", board.trade: (ABSENT, "for")}
    _refused(board, meeting, item, spec, code="absent_vote")


def test_a_carried_vote_cannot_be_recorded_as_not_carried(board):
    meeting, item = held_meeting(board)
    spec = {board.head: "for", board.deputy: "for", board.secretary: "for", board.justice: "for"}
    _refused(board, meeting, item, spec, declared=AgendaItem.Outcome.NOT_CARRIED)


def test_consensus_has_no_dissent(board):
    meeting, item = held_meeting(board)
    _refused(board, meeting, item, {board.health: "against"}, method="consensus", declared="", code="consensus")
    decided = services.item_decide(
        actor=board.secretary_user,
        item=item,
        method="consensus",
        participation=votes(meeting, {}),
        conclusion="Thống nhất.",
    )
    assert decided.outcome == AgendaItem.Outcome.CONSENSUS
    assert decided.present_count == 6


def test_only_the_secretary_records_outcomes(board):
    meeting, item = held_meeting(board)
    with pytest.raises(PermissionDenied):
        services.item_decide(actor=board.head_user, item=item, method="consensus", participation={}, conclusion="x")
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.PENDING


def test_the_database_refuses_a_carried_outcome_without_majority(board):
    meeting, item = held_meeting(board)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(outcome=AgendaItem.Outcome.CARRIED, present_count=4, votes_for=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(present_count=3, votes_for=2, votes_against=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemVote.objects.create(item=item, invitation=meeting.invitations.first(), attendance=ABSENT, vote="for")
    AgendaItem.objects.filter(pk=item.pk).update(outcome=AgendaItem.Outcome.CARRIED, present_count=5, votes_for=3)


def test_outcome_with_reservations_cannot_become_undecided(board):
    meeting, item = held_meeting(board)
    services.item_decide(
        actor=board.secretary_user, item=item, method="consensus", participation={}, conclusion="Thống nhất."
    )
    services.reservation_record(
        actor=board.member_user, item=item, membership=board.justice, opinion="Bảo lưu.", explanation="Lý do."
    )
    with pytest.raises(ValidationError) as exc:
        services.item_decide(actor=board.secretary_user, item=item, method="deferred", participation={}, conclusion="")
    assert exc.value.code == "reservations"
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.CONSENSUS


def test_a_member_enters_only_their_own_reservation(board):
    meeting, item = held_meeting(board)
    services.item_decide(
        actor=board.secretary_user, item=item, method="consensus", participation={}, conclusion="Thống nhất."
    )
    with pytest.raises(PermissionDenied):
        services.reservation_record(
            actor=board.member_user, item=item, membership=board.health, opinion="x", explanation="y"
        )
    # The Secretary records one for a member at the meeting.
    reservation = services.reservation_record(
        actor=board.secretary_user, item=item, membership=board.health, opinion="Bảo lưu.", explanation="Giải trình."
    )
    assert reservation.recorded_by == board.secretary_user
    with pytest.raises(ValidationError):
        services.reservation_record(
            actor=board.member_user, item=item, membership=board.justice, opinion="x", explanation=""
        )
