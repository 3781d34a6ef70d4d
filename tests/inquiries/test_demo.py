"""``manage.py inquiries_demo``: demo enquiries submitted and routed through the services, once."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from inquiries.demo import DEMO_INQUIRIES
from inquiries.models import Contribution, Inquiry, Message, Note
from network.models import Deadline, Event, OutboxEmail, User
from tests.conftest import client_for

S = Inquiry.State


def run(command: str = "inquiries_demo") -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(reference, settings, media):
    settings.DEMO_MODE = True
    run("create_demo_accounts")


@pytest.fixture
def built(demo) -> str:
    return run()


def account(email: str) -> User:
    return User.objects.get(email=email)


def by_slug(slug: str) -> Inquiry:
    spec = next(s for s in DEMO_INQUIRIES if s.slug == slug)
    return Inquiry.objects.get(idempotency_key=spec.key)


def open_deadlines(obj, kind: str) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            kind=kind,
            state=Deadline.State.OPEN,
        )
    )


def counts() -> tuple[int, ...]:
    return (
        Inquiry.objects.count(),
        Contribution.objects.count(),
        Message.objects.count(),
        Note.objects.count(),
        Event.objects.count(),
        OutboxEmail.objects.count(),
        Deadline.objects.count(),
    )


def test_refuses_outside_demo_and_debug_mode(demo, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        run()
    assert not Inquiry.objects.exists()


def test_refuses_without_the_demo_accounts(reference, settings):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="create_demo_accounts"):
        run()
    assert not Inquiry.objects.exists()


def test_a_second_run_changes_nothing(built):
    before = counts()
    states = dict(Inquiry.objects.values_list("code", "state"))
    output = run()
    assert counts() == before
    assert dict(Inquiry.objects.values_list("code", "state")) == states
    lines = [line for line in output.splitlines() if line[:2] in ("+ ", "= ")]
    assert len(lines) == len(DEMO_INQUIRIES) == Inquiry.objects.count()
    assert all(line.startswith("= ") for line in lines)


def test_every_enquiry_was_received_and_acknowledged(built):
    for inquiry in Inquiry.objects.all():
        assert Event.objects.filter(
            content_type=ContentType.objects.get_for_model(Inquiry), object_id=str(inquiry.pk), verb="received"
        ).exists()
        assert OutboxEmail.objects.filter(template="inquiry_ack", to=inquiry.email).exists()


def test_one_waits_in_the_national_points_queue(built):
    national = account("national.officer@demo.tbt.example")
    inquiry = by_slug("nz-electric-bicycles")
    assert inquiry.state == S.RECEIVED and inquiry.lead_point is None and inquiry.language == "en"
    [triage] = open_deadlines(inquiry, "inquiry_triage")
    assert triage.point == national.point
    assert inquiry.code in client_for(national).get(reverse("inquiries:queue")).content.decode()


def test_one_is_led_by_the_ministry_with_a_contribution_asked(built):
    ministry = account("ministry.officer@demo.tbt.example")
    inquiry = by_slug("textile-formaldehyde-fabric")
    assert inquiry.state == S.ASSIGNED and inquiry.lead_point == ministry.point
    [contribution] = inquiry.contributions.all()
    assert contribution.point.code == "bo-khoa-hoc-va-cong-nghe" and contribution.state == Contribution.State.REQUESTED
    assert open_deadlines(contribution, "inquiry_contribution")
    [answer] = open_deadlines(inquiry, "inquiry_answer")
    assert answer.point == ministry.point
    assert inquiry.code in client_for(ministry).get(reverse("inquiries:queue")).content.decode()


def test_the_demo_business_has_an_answered_enquiry(built):
    business = account("business@demo.tbt.example")
    inquiry = by_slug("coffee-labelling-eu")
    assert inquiry.state == S.ANSWERED and inquiry.user == business and inquiry.answered_at is not None
    assert inquiry.answer.startswith("Theo Quy định (EU) số 1169/2011")
    assert not Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Inquiry), object_id=str(inquiry.pk), state=Deadline.State.OPEN
    ).exists()
    assert OutboxEmail.objects.filter(template="inquiry_answer", to=business.email).count() == 1
    client = client_for(business)
    mine = client.get(reverse("inquiries:mine")).content.decode()
    assert inquiry.code in mine and by_slug("china-prepackaged-food-labelling").code in mine
    detail = client.get(reverse("inquiries:track_detail", kwargs={"code": inquiry.code}))
    assert detail.status_code == 200 and "1169/2011" in detail.content.decode()


def test_a_hanoi_business_is_handled_by_the_provincial_point(built):
    provincial = account("provincial.officer@demo.tbt.example")
    inquiry = by_slug("hanoi-ceramic-tiles-thailand")
    assert provincial.point.code == "tinh-01"
    assert inquiry.province.gso_code == "01" and inquiry.local_point == provincial.point
    assert inquiry.state == S.ASSIGNED and inquiry.handled_locally and inquiry.lead_point == provincial.point
    [answer] = open_deadlines(inquiry, "inquiry_answer")
    assert answer.point == provincial.point
    assert inquiry.code in client_for(provincial).get(reverse("inquiries:queue")).content.decode()


def test_the_ministry_is_asked_to_contribute_to_another(built):
    ministry = account("ministry.officer@demo.tbt.example")
    inquiry = by_slug("china-prepackaged-food-labelling")
    assert inquiry.state == S.ASSIGNED and inquiry.lead_point.code == "bo-y-te"
    contribution = inquiry.contributions.get(point=ministry.point)
    assert contribution.state == Contribution.State.REQUESTED
    assert open_deadlines(contribution, "inquiry_contribution")


def test_the_ministry_officer_has_something_due(built):
    ministry = account("ministry.officer@demo.tbt.example")
    response = client_for(ministry).get(reverse("network:dashboard"))
    groups = response.context["board"].groups
    kinds = {d.kind for d in [*groups.overdue, *groups.due_soon, *groups.assigned]}
    assert {"inquiry_answer", "inquiry_contribution"} <= kinds
    assert by_slug("textile-formaldehyde-fabric").code in response.content.decode()


def test_the_provincial_and_national_officers_have_something_due(built):
    for email, kind in (
        ("provincial.officer@demo.tbt.example", "inquiry_answer"),
        ("national.officer@demo.tbt.example", "inquiry_triage"),
    ):
        groups = client_for(account(email)).get(reverse("network:dashboard")).context["board"].groups
        assert kind in {d.kind for d in [*groups.overdue, *groups.due_soon, *groups.assigned]}


def test_both_demo_commands_together(built):
    run("notifications_demo")
    before = counts()
    run("notifications_demo")
    run()
    assert counts() == before
