"""``manage.py notifications_demo``: demo partners' notifications and Ministry of Industry and Trade
dossiers, brought in through the importer and the officials' services, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from network.models import Deadline, Event, OutboxEmail, User
from notifications.demo import DEMO_DOSSIERS, DEMO_INCOMING, DEMO_NOTE
from notifications.models import BusinessInput, ImpactNote, Notification
from tests.conftest import client_for

from .workflow_helpers import deadline, events

S = Notification.State
OPEN = [d.symbol for d in DEMO_INCOMING if d.deadline_in_days > 0]
CLOSED = [d.symbol for d in DEMO_INCOMING if d.deadline_in_days < 0]


def run(command: str = "notifications_demo") -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(reference, settings):
    """The demo portal after ``create_demo_accounts`` (no demo content yet)."""
    settings.DEMO_MODE = True
    run("create_demo_accounts")


@pytest.fixture
def built(demo) -> str:
    return run()


def account(email: str) -> User:
    return User.objects.get(email=email)


def counts() -> tuple[int, ...]:
    return (
        Notification.objects.count(),
        ImpactNote.objects.count(),
        Event.objects.count(),
        OutboxEmail.objects.count(),
        Deadline.objects.count(),
        BusinessInput.objects.count(),
    )


def test_refuses_outside_demo_and_debug_mode(demo, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        run()
    assert not Notification.objects.exists()


def test_refuses_without_the_demo_accounts(reference, settings):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="create_demo_accounts"):
        run()
    assert not Notification.objects.exists()


def test_runs_in_debug_mode_too(demo, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = True
    run()
    assert Notification.objects.filter(direction=Notification.Direction.IN).count() == len(DEMO_INCOMING)


def test_a_second_run_changes_nothing(built):
    before = counts()
    states = dict(Notification.objects.values_list("id", "state"))
    output = run()
    assert counts() == before
    assert dict(Notification.objects.values_list("id", "state")) == states
    lines = [line for line in output.splitlines() if line[:2] in ("+ ", "= ")]
    assert len(lines) == len(DEMO_INCOMING) + len(DEMO_DOSSIERS)
    assert all(line.startswith("= ") for line in lines)
    assert all(line.startswith("+ ") for line in built.splitlines() if line[:2] in ("+ ", "= "))


def test_partners_notifications_arrive_through_the_importer(built):
    today = timezone.localdate()
    incoming = Notification.objects.filter(direction=Notification.Direction.IN)
    assert sorted(incoming.values_list("symbol", flat=True)) == sorted(d.symbol for d in DEMO_INCOMING)
    assert {n.member.code for n in incoming} >= {"EU", "USA", "CHN", "JPN", "KOR", "THA", "IDN", "MYS"}
    for n in incoming:
        assert n.title and n.description and n.products_text and n.hs_codes and n.ics_codes and n.objectives
        assert n.distribution_date is not None and n.distribution_date <= today
        assert [e.note for e in events(n, "notification_imported")] == [DEMO_NOTE]
    for symbol in OPEN:
        n = incoming.get(symbol=symbol)
        assert 30 <= (n.comment_deadline - today).days <= 70
        assert n.input_open()
    for symbol in CLOSED:
        n = incoming.get(symbol=symbol)
        assert n.comment_deadline < today and not n.input_open()
        assert deadline(n, "triage") is None  # history: nobody to forward it to
    eu = incoming.get(symbol="G/TBT/N/EU/1185")
    assert eu.objectives == ["environment", "consumer_information"]
    assert eu.ics_codes == ["29.220.20", "13.020.60"]


def test_open_notifications_wait_for_the_national_points_triage(built):
    national = account("national.officer@demo.tbt.example")
    waiting = Notification.objects.filter(direction=Notification.Direction.IN, state=S.RECEIVED, symbol__in=OPEN)
    assert waiting.count() == len(OPEN) - 1  # the Indonesian one is forwarded already
    for n in waiting:
        triage = deadline(n, "triage")
        assert triage is not None and triage.state == Deadline.State.OPEN and triage.point == national.point


def test_vietnamese_titles_are_verified_by_the_national_point(built):
    national = account("national.officer@demo.tbt.example")
    verified = Notification.objects.filter(vi_verified_at__isnull=False)
    assert sorted(verified.values_list("symbol", flat=True)) == sorted(d.symbol for d in DEMO_INCOMING if d.title_vi)
    for n in verified:
        assert n.title_vi and n.summary_vi and n.vi_verified_by == national
        assert events(n, "vietnamese_verified")[0].actor == national


def test_one_is_forwarded_to_the_ministry_of_industry_and_trade(built):
    ministry = account("ministry.officer@demo.tbt.example")
    n = Notification.objects.get(symbol="G/TBT/N/IDN/182")
    assert n.state == S.RELEVANT
    assert list(n.analysing_points.values_list("code", flat=True)) == ["bo-cong-thuong"]
    note = ImpactNote.objects.get(notification=n)
    assert note.point == ministry.point and note.state == ImpactNote.State.REQUESTED
    due = deadline(note, "impact_note")
    assert due is not None and due.state == Deadline.State.OPEN and due.point == ministry.point
    assert timezone.localdate() < due.due_date <= n.input_cutoff
    assert OutboxEmail.objects.filter(template="notification_forwarded", to=ministry.email).count() == 1


def test_the_ministry_has_a_draft_and_a_dossier_under_review(built):
    ministry = account("ministry.officer@demo.tbt.example")
    national = account("national.officer@demo.tbt.example")
    dossiers = Notification.objects.filter(direction=Notification.Direction.OUT)
    assert dossiers.count() == len(DEMO_DOSSIERS) == 2
    draft = dossiers.get(state=S.DRAFT)
    assert draft.point == ministry.point and draft.created_by == ministry and draft.symbol is None
    submitted = dossiers.get(state=S.SUBMITTED)
    review = deadline(submitted, "dossier_review")
    assert review is not None and review.state == Deadline.State.OPEN and review.point == national.point
    assert events(submitted, "dossier_submitted")[0].actor == ministry


def test_the_business_finds_open_drafts_to_comment_on(built):
    business = account("business@demo.tbt.example")
    client = client_for(business)
    page = client.get(reverse("notifications:search"), {"open": "1"}).content.decode()
    for symbol in OPEN:
        assert symbol in page
    for symbol in CLOSED:
        assert symbol not in page
    # Drafts of Vietnamese measures are not public.
    assert DEMO_DOSSIERS[0].title[:40] not in client.get(reverse("notifications:search")).content.decode()
    n = Notification.objects.get(symbol="G/TBT/N/USA/2172")
    detail = client.get(n.get_absolute_url())
    assert detail.status_code == 200
    assert reverse("notifications:input", kwargs={"public_id": n.public_id}) in detail.content.decode()
    assert n.title_vi in detail.content.decode()


def test_the_search_finds_them_by_product(built):
    page = client_for(None).get(reverse("notifications:search"), {"q": "steel"}).content.decode()
    assert "G/TBT/N/IDN/182" in page


def test_the_ministry_officer_has_something_due(built):
    ministry = account("ministry.officer@demo.tbt.example")
    response = client_for(ministry).get(reverse("network:dashboard"))
    groups = response.context["board"].groups
    kinds = {d.kind for d in [*groups.overdue, *groups.due_soon, *groups.assigned]}
    assert "impact_note" in kinds
    assert "Đánh giá tác động: G/TBT/N/IDN/182" in response.content.decode()


def test_the_national_officer_has_triage_and_a_review_due(built):
    national = account("national.officer@demo.tbt.example")
    groups = client_for(national).get(reverse("network:dashboard")).context["board"].groups
    kinds = {d.kind for d in [*groups.overdue, *groups.due_soon, *groups.assigned]}
    assert {"triage", "dossier_review"} <= kinds


def test_the_search_hint_works_on_the_demo(built):
    """The search box's example, "do choi" without accents, finds the toys draft by its verified
    Vietnamese title, and only notifications that mention toys."""
    page = client_for(None).get(reverse("notifications:search"), {"q": "do choi"}).content.decode()
    assert "G/TBT/N/KOR/1268" in page
    assert "G/TBT/N/THA/761" not in page
