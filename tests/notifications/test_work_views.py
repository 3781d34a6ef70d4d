"""Every workflow screen against the cast: who reads (200), who reads but may not act (403), who
may not even know it exists (404), and anonymous visitors of official screens (login)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from network.models import OutboxEmail, WTOMember
from notifications import services, services_in
from notifications.models import BusinessInput, Notification, NotificationComment
from tests.conftest import client_for
from tests.notifications.workflow_helpers import (
    accepted,
    complete_data,
    make_dossier,
    make_incoming,
    notified,
    submitted,
    today,
)

pytestmark = pytest.mark.django_db
ROLES = ["ministry", "other_ministry", "national", "provincial", "business", "board_member", "anonymous"]
LOGIN = "login"


@pytest.fixture
def world(cast) -> dict[str, Any]:
    ministry, national = cast["ministry"], cast["national"]
    draft = make_dossier(ministry)
    sub = submitted(ministry)
    acc = accepted(ministry, national)
    done = notified(ministry, national)
    services.document_add(
        notification=draft,
        actor=ministry,
        kind="draft",
        title="Dự thảo",
        file=SimpleUploadedFile("draft.pdf", b"%PDF draft"),
    )
    public_doc = services.document_add(
        notification=done,
        actor=ministry,
        kind="draft",
        title="Draft text",
        file=SimpleUploadedFile("text.pdf", b"%PDF text"),
    )
    comment = services.comment_record(
        notification=done,
        actor=national,
        member=WTOMember.objects.get(code="USA"),
        received_on=today(),
        text="US comment text",
    )
    routed = services.comment_route(
        comment=comment, actor=national, point=ministry.point, reply_due=today() + timedelta(days=10)
    )
    incoming = make_incoming(title="EU toys regulation")
    services_in.notification_triage(notification=incoming, actor=national, relevant=True, points=[ministry.point])
    services_in.business_input_submit(
        notification=incoming,
        user=None,
        name="Nam",
        organisation="Vina Export",
        email="nam@example.vn",
        text="Secret business detail",
        consent=True,
    )
    return {
        "cast": cast,
        "draft": draft,
        "submitted": sub,
        "accepted": acc,
        "notified": done,
        "doc": public_doc,
        "comment": routed,
        "incoming": incoming,
    }


def status_of(world: dict[str, Any], role: str, url: str, method: str = "get", data: dict | None = None) -> Any:
    response = getattr(client_for(world["cast"][role]), method)(url, data or {})
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def check(world: dict[str, Any], url: str, expected: dict[str, Any]) -> None:
    got = {role: status_of(world, role, url) for role in ROLES}
    assert got == {role: expected[role] for role in ROLES}


def url(name: str, obj: Any = None) -> str:
    """The Vietnamese (unprefixed) path: a request in English leaves English active in the test's thread."""
    with translation.override("vi"):
        return reverse(f"notifications:{name}", kwargs={"public_id": obj.public_id} if obj is not None else None)


# --- reading ------------------------------------------------------------------------------------------
def test_detail_of_a_draft_only_for_owner_and_national_point(world) -> None:
    check(
        world,
        url("detail", world["draft"]),
        {
            "ministry": 200,
            "other_ministry": 404,
            "national": 200,
            "provincial": 404,
            "business": 404,
            "board_member": 404,
            "anonymous": 404,
        },
    )


@pytest.mark.parametrize("which", ["notified", "incoming"])
def test_detail_of_notified_and_incoming_is_public(world, which) -> None:
    check(world, url("detail", world[which]), dict.fromkeys(ROLES, 200))


def test_documents_follow_the_notification(world) -> None:
    draft_doc = world["draft"].documents.get()
    check(
        world,
        reverse(
            "notifications:document", kwargs={"public_id": world["draft"].public_id, "doc_id": draft_doc.public_id}
        ),
        {
            "ministry": 200,
            "other_ministry": 404,
            "national": 200,
            "provincial": 404,
            "business": 404,
            "board_member": 404,
            "anonymous": 404,
        },
    )
    response = client_for(None).get(
        reverse(
            "notifications:document",
            kwargs={"public_id": world["notified"].public_id, "doc_id": world["doc"].public_id},
        )
    )
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF text"
    # A document of one notification is not reachable under another.
    assert (
        client_for(world["cast"]["national"])
        .get(
            reverse(
                "notifications:document",
                kwargs={"public_id": world["incoming"].public_id, "doc_id": world["doc"].public_id},
            )
        )
        .status_code
        == 404
    )


def test_public_sees_counts_insiders_see_contents(world) -> None:
    page = client_for(None).get(url("detail", world["incoming"])).content.decode()
    assert "Secret business detail" not in page and "nam@example.vn" not in page
    assert "1 input received" in client_for(None).get("/en" + url("detail", world["incoming"])).content.decode()
    for role in ("national", "ministry"):
        assert (
            "Secret business detail"
            in client_for(world["cast"][role]).get(url("detail", world["incoming"])).content.decode()
        )
    assert (
        "Secret business detail"
        not in client_for(world["cast"]["other_ministry"]).get(url("detail", world["incoming"])).content.decode()
    )
    public_out = client_for(None).get("/en" + url("detail", world["notified"])).content.decode()
    assert "US comment text" not in public_out and "United States" in public_out
    assert (
        "US comment text"
        in client_for(world["cast"]["ministry"]).get(url("detail", world["notified"])).content.decode()
    )


def test_detail_shows_codes_with_descriptions_and_the_verified_badge(world) -> None:
    n = world["incoming"]
    services_in.notification_vietnamese_save(
        notification=n,
        actor=world["cast"]["national"],
        title_vi="Quy định an toàn đồ chơi",
        summary_vi="Tóm tắt.",
        verified=True,
    )
    page = client_for(None).get("/en" + url("detail", n)).content.decode()
    assert "HS 9503.00" in page and "Tricycles, scooters" in page
    assert "Verified by Nguyễn Thị Lan on" in page
    assert "Quy định an toàn đồ chơi" in page
    vi = client_for(None).get(url("detail", n)).content.decode()
    assert "Đã được Nguyễn Thị Lan kiểm tra ngày" in vi


def test_detail_shows_the_thread(world) -> None:
    n = world["notified"]
    add = notified(
        world["cast"]["ministry"],
        world["cast"]["national"],
        followup_kind="add",
        followup_of_symbol=n.symbol,
        addendum_reason="adopted",
        title="Adopted",
        description="Adopted.",
    )
    page = client_for(None).get("/en" + url("detail", n)).content.decode()
    assert add.symbol in page and "Comments received" in page and "History" in page
    assert "Notified to the WTO" in page
    child = client_for(None).get("/en" + url("detail", add)).content.decode()
    assert n.symbol in child and "Follows up" in child


def test_the_thread_lists_a_comments_files_for_insiders(world) -> None:
    n = world["notified"]
    comment = services.comment_record(
        notification=n,
        actor=world["cast"]["national"],
        member=WTOMember.objects.get(code="USA"),
        received_on=n.distribution_date,
        text="Please clarify the SAR test method.",
        files=[SimpleUploadedFile("usa-comment.pdf", b"%PDF-1.4 comment", content_type="application/pdf")],
    )
    doc = comment.documents.get()
    link = reverse("notifications:document", kwargs={"public_id": n.public_id, "doc_id": doc.public_id})
    page = client_for(world["cast"]["national"]).get(url("detail", n)).content.decode()
    assert link in page and doc.title in page
    assert link not in client_for(None).get(url("detail", n)).content.decode()


# --- the ministry's dossier screens ---------------------------------------------------------------------------
def test_dossier_list(world) -> None:
    check(
        world,
        url("dossiers"),
        {
            "ministry": 200,
            "other_ministry": 200,
            "national": 200,
            "provincial": 404,
            "business": 404,
            "board_member": 404,
            "anonymous": LOGIN,
        },
    )
    other = client_for(world["cast"]["other_ministry"]).get(url("dossiers")).content.decode()
    assert world["draft"].title not in other


def test_dossier_new(world) -> None:
    check(
        world,
        url("dossier_new"),
        {
            "ministry": 200,
            "other_ministry": 200,
            "national": 403,
            "provincial": 404,
            "business": 404,
            "board_member": 404,
            "anonymous": LOGIN,
        },
    )


@pytest.mark.parametrize("name", ["dossier_edit", "dossier_submit"])
def test_dossier_edit_and_submit_screens(world, name) -> None:
    check(
        world,
        url(name, world["draft"]),
        {
            "ministry": 200,
            "other_ministry": 404,
            "national": 403,
            "provincial": 404,
            "business": 404,
            "board_member": 404,
            "anonymous": LOGIN,
        },
    )
    # Once with the national point the ministry reads but may not edit.
    assert status_of(world, "ministry", url(name, world["submitted"])) == 403


def test_review_and_notify_screens(world) -> None:
    national_only = {
        "ministry": 403,
        "other_ministry": 404,
        "national": 200,
        "provincial": 404,
        "business": 404,
        "board_member": 404,
        "anonymous": LOGIN,
    }
    check(world, url("dossier_review", world["submitted"]), national_only)
    check(world, url("dossier_notify", world["accepted"]), national_only)
    assert status_of(world, "national", url("dossier_notify", world["submitted"])) == 403
    assert status_of(world, "national", url("dossier_review", world["draft"])) == 403


def test_document_add_screen(world) -> None:
    check(
        world,
        url("document_add", world["draft"]),
        {
            "ministry": 200,
            "other_ministry": 404,
            "national": 200,
            "provincial": 404,
            "business": 404,
            "board_member": 404,
            "anonymous": LOGIN,
        },
    )
    check(
        world,
        url("document_add", world["notified"]),
        {
            "ministry": 200,
            "other_ministry": 403,
            "national": 200,
            "provincial": 403,
            "business": 403,
            "board_member": 403,
            "anonymous": LOGIN,
        },
    )


def test_comment_screens(world) -> None:
    check(
        world,
        url("comment_new", world["notified"]),
        {
            "ministry": 403,
            "other_ministry": 403,
            "national": 200,
            "provincial": 403,
            "business": 403,
            "board_member": 403,
            "anonymous": LOGIN,
        },
    )
    check(
        world,
        url("comment", world["comment"]),
        {
            "ministry": 200,
            "other_ministry": 404,
            "national": 200,
            "provincial": 404,
            "business": 404,
            "board_member": 404,
            "anonymous": LOGIN,
        },
    )


def test_comment_actions_by_role(world) -> None:
    c = world["comment"]
    # The national point may not draft the ministry's reply; the ministry may not send it.
    assert status_of(world, "national", url("comment_reply", c), "post", {"reply_text": "x"}) == 403
    assert status_of(world, "other_ministry", url("comment_reply", c), "post", {"reply_text": "x"}) == 404
    assert status_of(world, "anonymous", url("comment_reply", c), "post", {"reply_text": "x"}) == LOGIN
    assert status_of(world, "ministry", url("comment_reply", c), "post", {"reply_text": "Our reply"}) == 302
    c.refresh_from_db()
    assert c.state == NotificationComment.State.REPLY_DRAFTED
    assert status_of(world, "ministry", url("comment_send", c), "post", {"reply_text": "x"}) == 403
    assert status_of(world, "national", url("comment_send", c), "post", {"reply_text": "Approved reply"}) == 302
    c.refresh_from_db()
    assert c.state == NotificationComment.State.REPLIED and c.reply_text == "Approved reply"


# --- partners' notifications -------------------------------------------------------------------------------------
def test_triage_screen(world) -> None:
    check(
        world,
        url("triage", world["incoming"]),
        {
            "ministry": 403,
            "other_ministry": 403,
            "national": 200,
            "provincial": 403,
            "business": 403,
            "board_member": 403,
            "anonymous": LOGIN,
        },
    )
    assert status_of(world, "national", url("triage", world["draft"])) == 403


def test_impact_note_screen(world) -> None:
    check(
        world,
        url("impact_note", world["incoming"]),
        {
            "ministry": 200,
            "other_ministry": 404,
            "national": 403,
            "provincial": 404,
            "business": 404,
            "board_member": 404,
            "anonymous": LOGIN,
        },
    )


def test_vietnamese_screen(world) -> None:
    check(
        world,
        url("vietnamese", world["incoming"]),
        {
            "ministry": 200,
            "other_ministry": 403,
            "national": 200,
            "provincial": 403,
            "business": 403,
            "board_member": 403,
            "anonymous": LOGIN,
        },
    )


def test_national_comment_screen(world) -> None:
    check(
        world,
        url("national_comment_new", world["incoming"]),
        {
            "ministry": 403,
            "other_ministry": 403,
            "national": 200,
            "provincial": 403,
            "business": 403,
            "board_member": 403,
            "anonymous": LOGIN,
        },
    )


def test_input_form_is_public_for_incoming_only(world) -> None:
    check(world, url("input", world["incoming"]), dict.fromkeys(ROLES, 200))
    assert status_of(world, "national", url("input", world["notified"])) == 404


def test_work_queues(world) -> None:
    check(
        world,
        url("work"),
        {
            "ministry": 200,
            "other_ministry": 200,
            "national": 200,
            "provincial": 200,
            "business": 404,
            "board_member": 404,
            "anonymous": LOGIN,
        },
    )
    national = client_for(world["cast"]["national"]).get("/en" + url("work")).content.decode()
    assert "Dossiers to review" in national and world["submitted"].title[:40] in national
    ministry = client_for(world["cast"]["ministry"]).get("/en" + url("work")).content.decode()
    assert "Replies to draft" in ministry and "United States" in ministry and "Impact notes to write" in ministry
    assert "Dossiers to review" not in ministry


def test_inputs_to_consolidate_lists_only_notifications_with_inputs_waiting(world) -> None:
    """A partner's notification without any business input is not work to consolidate."""
    quiet = make_incoming("JPN", symbol="G/TBT/N/JPN/900", title="No input here")
    page = client_for(world["cast"]["national"]).get("/en" + url("work")).content.decode()
    queue = page.split('id="queue-inputs"')[1].split("</section>")[0]
    assert world["incoming"].title in queue and "1 input waiting" in queue
    assert quiet.title not in queue and "(1)" in page.split('id="q-inputs"')[1][:200]


# --- posting through the screens -------------------------------------------------------------------------------------
def _post_dossier(**overrides: Any) -> dict[str, Any]:
    data = complete_data(**overrides)
    post: dict[str, Any] = {}
    for key, value in data.items():
        if value in (None, False, "", []):
            continue
        if key in ("hs_codes", "ics_codes", "related_symbols"):
            post[key] = ", ".join(value)
        elif hasattr(value, "isoformat"):
            post[key] = value.isoformat()
        else:
            post[key] = value
    return post


def test_file_fail_the_gate_fix_and_send(world) -> None:
    ministry = client_for(world["cast"]["ministry"])
    response = ministry.post(url("dossier_new"), _post_dossier(title="", hs_codes=["8517.13"]))
    assert response.status_code == 302
    n = Notification.objects.filter(direction="out", title="").get()
    assert n.hs_codes == ["851713"]
    refused = ministry.post("/en" + url("dossier_submit", n))
    assert refused.status_code == 200 and "Box 5: Title of the notified document is empty" in refused.content.decode()
    n.refresh_from_db()
    assert n.state == Notification.State.DRAFT
    ministry.post(url("dossier_edit", n), _post_dossier(title="Fixed title"))
    assert ministry.post(url("dossier_submit", n)).status_code == 302
    n.refresh_from_db()
    assert n.state == Notification.State.SUBMITTED and n.title == "Fixed title"


def test_the_new_dossier_form_asks_for_english_and_prefills_box_11_in_english(world) -> None:
    """On the Vietnamese screen too: the boxes are the notification's text, sent to the WTO as they are."""
    page = client_for(world["cast"]["ministry"]).get(url("dossier_new")).content.decode()
    assert "bằng tiếng Anh" in page
    assert "National TBT Enquiry Point of Viet Nam (TBT Office, STAMEQ)" in page


def test_review_and_notify_through_the_screens(world) -> None:
    national = client_for(world["cast"]["national"])
    n = world["submitted"]
    invalid = national.post(url("dossier_review", n), {"decision": "return", "remarks": ""})
    assert invalid.status_code == 200
    n.refresh_from_db()
    assert n.state == Notification.State.SUBMITTED
    assert national.post(url("dossier_review", n), {"decision": "accept"}).status_code == 302
    response = national.post("/en" + url("dossier_notify", n), {"distribution_date": today().isoformat()}, follow=True)
    n.refresh_from_db()
    assert n.state == Notification.State.NOTIFIED
    assert f"Notified to the WTO as {n.symbol}" in response.content.decode()


def test_business_input_post_before_the_cutoff(world, cast) -> None:
    n = world["incoming"]
    client = client_for(cast["business"])
    form = client.get(url("detail", n)).content.decode()
    assert "ceo@vinaexport.example.vn" in form and "Công ty TNHH Vina Export" in form  # pre-filled
    response = client.post(
        url("input", n),
        {
            "name": "Bùi Văn Nam",
            "organisation": "Công ty TNHH Vina Export",
            "email": "ceo@vinaexport.example.vn",
            "text": "Please accept EN 71.",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302
    item = BusinessInput.objects.get(text="Please accept EN 71.")
    assert item.user == cast["business"]
    with translation.override("vi"):
        assert response["Location"] == reverse("notifications:input_thanks", kwargs={"public_id": item.public_id})
    thanks = client.get(response["Location"]).content.decode()
    assert str(item.public_id) in thanks
    assert OutboxEmail.objects.filter(template="notification_input_ack", to="ceo@vinaexport.example.vn").exists()


def test_business_input_refused_after_the_cutoff(world) -> None:
    closed = make_incoming(deadline_in_days=10, title="Closed draft")
    page = client_for(None).get("/en" + url("detail", closed)).content.decode()
    assert "Input closed on" in page and 'name="consent"' not in page
    response = client_for(None).post(
        url("input", closed), {"name": "A", "organisation": "B", "email": "a@b.vn", "text": "Late", "consent": "on"}
    )
    assert response.status_code == 403
    assert not BusinessInput.objects.filter(notification=closed).exists()


def test_business_input_honeypot_and_missing_consent(world) -> None:
    n = world["incoming"]
    before = BusinessInput.objects.count()
    for extra in ({"website": "http://spam.example"}, {"consent": ""}):
        data = {"name": "A", "organisation": "B", "email": "a@b.vn", "text": "T", "consent": "on", **extra}
        assert client_for(None).post(url("input", n), data).status_code == 400
    assert BusinessInput.objects.count() == before


def test_triage_through_the_screen_opens_the_deadline_lazily(world) -> None:
    fresh = make_incoming(title="Fresh")
    national = client_for(world["cast"]["national"])
    assert "To forward by" in national.get("/en" + url("triage", fresh)).content.decode()
    ministry_point = world["cast"]["ministry"].point
    response = national.post(
        url("triage", fresh), {"decision": "relevant", "points": [ministry_point.pk], "note": "Toys"}
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.state == Notification.State.RELEVANT


def test_the_board_panel_offers_escalation_to_national_officers_only(world) -> None:
    incoming = url("detail", world["incoming"])
    national = client_for(world["cast"]["national"]).get("/en" + incoming).content.decode()
    assert 'id="board-conclusions-h"' in national and "Escalate to the Board" in national
    ministry = client_for(world["cast"]["ministry"]).get("/en" + incoming).content.decode()
    assert "Escalate to the Board" not in ministry
    public = client_for(None).get("/en" + incoming).content.decode()
    assert 'id="board-conclusions-h"' not in public
