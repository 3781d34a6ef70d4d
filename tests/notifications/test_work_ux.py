"""What officials and businesses see around a partner's draft: the public input form is for
businesses (officials working the case see a note instead), the impact note needs a real choice,
the screen of Viet Nam's comment warns and keeps what was typed, and a business follows its inputs
on its own page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from network.models import User
from notifications import services, services_in
from notifications.models import BusinessInput, ImpactNote, NotificationComment
from tests.conftest import client_for
from tests.notifications.workflow_helpers import make_incoming, today

pytestmark = pytest.mark.django_db


def url(name: str, public_id=None) -> str:
    with translation.override("en"):
        return reverse(f"notifications:{name}", kwargs={"public_id": public_id} if public_id else None)


def _input(n, *, user: User | None = None, text: str = "Please accept EN 71.") -> BusinessInput:
    return services_in.business_input_submit(
        notification=n, user=user, name="Nam", organisation="Vina Export", email="nam@example.vn", text=text,
        consent=True,
    )  # fmt: skip


@pytest.fixture
def relevant(cast):
    n = make_incoming(title="EU toys regulation")
    services_in.notification_triage(
        notification=n, actor=cast["national"], relevant=True, points=[cast["ministry"].point]
    )
    return n


def test_officials_working_the_case_see_a_note_instead_of_the_public_form(cast, relevant) -> None:
    page_of = {role: client_for(cast[role]).get(url("detail", relevant.public_id)).content.decode()
               for role in ("national", "ministry", "business", "provincial")}  # fmt: skip
    for role in ("national", "ministry"):
        assert 'name="consent"' not in page_of[role], role
        assert "Businesses and associations see the input form here" in page_of[role]
        assert "Business input on this draft" in page_of[role] and "Your input on this draft" not in page_of[role]
    for role in ("business", "provincial"):
        assert 'name="consent"' in page_of[role], role
        assert "Your input on this draft" in page_of[role]
    assert 'name="consent"' in client_for(None).get(url("detail", relevant.public_id)).content.decode()


def test_the_impact_note_form_has_no_preselected_answer(cast, relevant) -> None:
    client = client_for(cast["ministry"])
    page = client.get(url("impact_note", relevant.public_id)).content.decode()
    assert '<option value="" selected>— choose —</option>' in page
    assert 'value="none" selected' not in page
    response = client.post(url("impact_note", relevant.public_id), {"assessment": "Looked at it"})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 2
    assert "Looked at it" in response.content.decode()  # nothing typed is lost
    note = ImpactNote.objects.get(notification=relevant)
    assert note.state == ImpactNote.State.REQUESTED and note.impact == ""
    response = client.post(
        url("impact_note", relevant.public_id),
        {"impact": "low", "assessment": "Looked at it", "recommendation": "inform"},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.state, note.impact) == (ImpactNote.State.SUBMITTED, "low")


def test_the_national_comment_screen_says_when_there_is_no_input_and_lists_earlier_comments(cast, relevant) -> None:
    client = client_for(cast["national"])
    page = client.get(url("national_comment_new", relevant.public_id)).content.decode()
    assert "No business input is waiting to be consolidated" in page
    assert "already prepared" not in page
    item = _input(relevant)
    earlier = services_in.national_comment_prepare(
        notification=relevant, actor=cast["national"], text="First comment of Viet Nam", inputs=[item]
    )
    page = client.get(url("national_comment_new", relevant.public_id)).content.decode()
    assert "Viet Nam's comments already prepared on this notification" in page
    assert str(earlier.public_id) in page and "First comment of Viet Nam" in page
    _input(relevant, text="A second input")
    page = client.get(url("national_comment_new", relevant.public_id)).content.decode()
    assert "No business input is waiting" not in page and "A second input" in page


def test_the_national_comment_screen_warns_once_the_deadline_has_passed(cast) -> None:
    late = make_incoming(deadline_in_days=-3, title="Past deadline")
    page = client_for(cast["national"]).get(url("national_comment_new", late.public_id)).content.decode()
    assert "has passed" in page
    open_ = make_incoming(deadline_in_days=40, title="Still open")
    page = client_for(cast["national"]).get(url("national_comment_new", open_.public_id)).content.decode()
    assert "has passed" not in page


def test_a_refused_national_comment_keeps_the_text_on_the_form(cast, relevant, monkeypatch) -> None:
    def refuse(**kwargs):
        raise services.NotificationError("Refused for the test")

    monkeypatch.setattr(services_in, "national_comment_prepare", refuse)
    response = client_for(cast["national"]).post(
        url("national_comment_new", relevant.public_id), {"text": "Carefully written comment"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Refused for the test" in body and "Carefully written comment" in body
    assert not NotificationComment.objects.filter(notification=relevant, direction="sent").exists()


def test_a_business_follows_its_own_inputs(cast, relevant) -> None:
    business = cast["business"]
    client = client_for(business)
    empty = client.get(url("my_inputs")).content.decode()
    assert "You have not sent any input on a notification yet." in empty
    mine = _input(relevant, user=business, text="Our own input")
    _input(relevant, user=None, text="Someone else's input")
    page = client.get(url("my_inputs")).content.decode()
    assert "Our own input" in page and "Someone else&#x27;s input" not in page
    assert "waiting for the national TBT point" in page
    comment = services_in.national_comment_prepare(
        notification=relevant, actor=cast["national"], text="Viet Nam's comment", inputs=[mine]
    )
    assert "Being consolidated into Viet Nam" in client.get(url("my_inputs")).content.decode()
    services_in.national_comment_send(comment=comment, actor=cast["national"], to_email="tbt@ec.example.eu")
    page = client.get(url("my_inputs")).content.decode()
    assert "sent to the notifying member" in page
    # another user's list stays empty; the Vietnamese screen is translated
    assert "Our own input" not in client_for(cast["provincial"]).get(url("my_inputs")).content.decode()
    with translation.override("vi"):
        vi = client.get(reverse("notifications:my_inputs")).content.decode()
    assert "Ý kiến của tôi" in vi


def test_the_menu_and_the_confirmation_lead_a_business_to_its_inputs(cast, relevant) -> None:
    client = client_for(cast["business"])
    home = client.get("/en/").content.decode()
    assert url("my_inputs") in home
    item = _input(relevant, user=cast["business"])
    thanks = client.get(url("input_thanks", item.public_id)).content.decode()
    assert url("my_inputs") in thanks
    anonymous = client_for(None).get(url("input_thanks", item.public_id)).content.decode()
    assert url("my_inputs") not in anonymous


def test_the_status_of_an_input_follows_its_comment(cast, relevant) -> None:
    with translation.override("en"):
        item = _input(relevant)
        assert item.status_label.startswith("Received")
        comment = services_in.national_comment_prepare(
            notification=relevant, actor=cast["national"], text="Comment", inputs=[item]
        )
        item.refresh_from_db()
        assert "consolidated" in item.status_label
        services_in.national_comment_send(comment=comment, actor=cast["national"], to_email="tbt@ec.example.eu")
        item.refresh_from_db()
        assert "sent" in item.status_label
        services_in.partner_reply_record(comment=comment, actor=cast["national"], text="Thank you", replied_on=today())
        item.refresh_from_db()
        assert "replied" in item.status_label


def test_inputs_sent_without_logging_in_count_once_the_address_is_confirmed(cast, relevant) -> None:
    business = cast["business"]
    item = _input(relevant, user=None, text="Sent before logging in")
    BusinessInput.objects.filter(pk=item.pk).update(email=business.email.upper())  # any case
    assert business.email_verified_at is not None
    assert "Sent before logging in" in client_for(business).get(url("my_inputs")).content.decode()
    business.email_verified_at = None
    business.save(update_fields=["email_verified_at"])
    assert "Sent before logging in" not in client_for(business).get(url("my_inputs")).content.decode()
