"""Outgoing workflow: every state change (state, event row, deadline, outbox) and every refusal."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from network.models import Deadline, Event, OutboxEmail
from notifications import services
from notifications.models import Notification, NotificationComment, NotificationDocument
from notifications.pdf import wto_date
from notifications.tasks import notification_form_pdf
from tests.notifications.workflow_helpers import (
    accepted,
    complete_data,
    deadline,
    events,
    mails,
    make_dossier,
    notified,
    point,
    submitted,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]
S = Notification.State
CS = NotificationComment.State


# --- create and edit ----------------------------------------------------------------------------
def test_create_starts_a_draft_of_the_ministry(ministry_officer) -> None:
    n = make_dossier(ministry_officer)
    assert n.state == S.DRAFT and n.direction == "out" and n.point == ministry_officer.point
    assert n.member is not None and n.member.code == "VNM"
    assert [e.verb for e in events(n)] == ["dossier_created"]
    assert n.search_text and "absorption" in n.search_text


def test_update_while_draft_records_what_changed(ministry_officer) -> None:
    n = make_dossier(ministry_officer)
    services.dossier_update(notification=n, actor=ministry_officer, data={"title": "New title", "pages": "14"})
    n.refresh_from_db()
    assert n.title == "New title"
    event = events(n, "dossier_edited")[0]
    assert "title" in event.note and "pages" in event.note


def test_update_is_refused_once_with_the_national_point(ministry_officer, national_officer) -> None:
    n = submitted(ministry_officer)
    before = Event.objects.count()
    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_update(notification=n, actor=ministry_officer, data={"title": "Changed"})
    n.refresh_from_db()
    assert n.title != "Changed" and Event.objects.count() == before


# --- submit (quality gate) ------------------------------------------------------------------------
def test_submit_sends_to_the_national_point(ministry_officer, national_officer) -> None:
    n = submitted(ministry_officer)
    assert n.state == S.SUBMITTED and n.submitted_at is not None
    assert events(n, "dossier_submitted")[0].to_state == S.SUBMITTED
    review = deadline(n, "dossier_review")
    assert review is not None and review.point.code == "national" and review.state == Deadline.State.OPEN
    assert review.due_date > today()
    assert len(mails("notification_dossier_submitted", national_officer.email)) == 1


def test_submit_refused_by_the_gate_changes_nothing(ministry_officer, national_officer) -> None:
    n = make_dossier(ministry_officer, title="", hs_codes=["000000"])
    before = (Event.objects.count(), OutboxEmail.objects.count(), Deadline.objects.count())
    with pytest.raises(services.GateRefused) as refused:
        services.dossier_submit(notification=n, actor=ministry_officer)
    assert len(refused.value.reasons) == 2
    n.refresh_from_db()
    assert n.state == S.DRAFT and n.submitted_at is None
    assert (Event.objects.count(), OutboxEmail.objects.count(), Deadline.objects.count()) == before


def test_submit_twice_is_refused(ministry_officer, national_officer) -> None:
    n = submitted(ministry_officer)
    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_submit(notification=n, actor=ministry_officer)


# --- review ----------------------------------------------------------------------------------------
def test_return_with_remarks_goes_back_to_the_ministry(ministry_officer, national_officer) -> None:
    n = submitted(ministry_officer)
    services.dossier_return(notification=n, actor=national_officer, remarks="Box 4: give the HS subheadings.")
    n.refresh_from_db()
    assert n.state == S.RETURNED and n.review_remarks.startswith("Box 4")
    assert events(n, "dossier_returned")[0].note.startswith("Box 4")
    assert deadline(n, "dossier_review").state == Deadline.State.DONE
    fix = deadline(n, "dossier_fix")
    assert fix.point == ministry_officer.point and fix.state == Deadline.State.OPEN
    assert len(mails("notification_dossier_returned", ministry_officer.email)) == 1


def test_return_without_remarks_is_refused(ministry_officer, national_officer) -> None:
    n = submitted(ministry_officer)
    with pytest.raises(services.NotificationError):
        services.dossier_return(notification=n, actor=national_officer, remarks="  ")
    n.refresh_from_db()
    assert n.state == S.SUBMITTED


def test_resubmit_after_return_closes_the_fix_deadline(ministry_officer, national_officer) -> None:
    n = submitted(ministry_officer)
    services.dossier_return(notification=n, actor=national_officer, remarks="Fix box 6.")
    services.dossier_update(notification=n, actor=ministry_officer, data={"description": "Better description."})
    services.dossier_submit(notification=n, actor=ministry_officer)
    n.refresh_from_db()
    assert n.state == S.SUBMITTED
    assert deadline(n, "dossier_fix").state == Deadline.State.DONE
    assert deadline(n, "dossier_review").state == Deadline.State.OPEN
    assert len(events(n, "dossier_submitted")) == 2


def test_accept(ministry_officer, national_officer) -> None:
    n = accepted(ministry_officer, national_officer)
    assert n.state == S.ACCEPTED
    assert events(n, "dossier_accepted")[0].actor == national_officer
    assert deadline(n, "dossier_review").state == Deadline.State.DONE
    assert deadline(n, "dossier_notify").point.code == "national"
    assert len(mails("notification_dossier_accepted", ministry_officer.email)) == 1


def test_accept_a_draft_is_refused(ministry_officer, national_officer) -> None:
    n = make_dossier(ministry_officer)
    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_accept(notification=n, actor=national_officer)
    n.refresh_from_db()
    assert n.state == S.DRAFT and not events(n, "dossier_accepted")


def test_an_accepted_dossier_can_still_be_returned(ministry_officer, national_officer) -> None:
    n = accepted(ministry_officer, national_officer)
    services.dossier_return(notification=n, actor=national_officer, remarks="Wait for the Minister.")
    n.refresh_from_db()
    assert n.state == S.RETURNED
    assert deadline(n, "dossier_notify").state == Deadline.State.DONE


# --- notify, symbols and the form --------------------------------------------------------------------
def test_notify_assigns_the_first_symbol_and_records_the_distribution(ministry_officer, national_officer) -> None:
    n = accepted(ministry_officer, national_officer)
    n = services.dossier_notify(notification=n, actor=national_officer, distribution_date=today())
    assert n.symbol == "G/TBT/N/VNM/1" and n.state == S.NOTIFIED and n.distribution_date == today()
    assert n.notified_at is not None
    event = events(n, "dossier_notified")[0]
    assert event.note == "G/TBT/N/VNM/1" and event.from_state == S.ACCEPTED
    assert deadline(n, "dossier_notify").state == Deadline.State.DONE
    assert len(mails("notification_dossier_notified", ministry_officer.email)) == 1


def test_symbols_follow_the_highest_existing_number(ministry_officer, national_officer) -> None:
    Notification.objects.create(direction="out", state="notified", symbol="G/TBT/N/VNM/298")
    Notification.objects.create(direction="out", state="notified", symbol="G/TBT/N/VNM/298/Add.1")
    first = notified(ministry_officer, national_officer)
    second = notified(ministry_officer, national_officer)
    assert (first.symbol, second.symbol) == ("G/TBT/N/VNM/299", "G/TBT/N/VNM/300")


def test_notify_keeps_a_long_enough_comment_deadline(ministry_officer, national_officer) -> None:
    n = accepted(ministry_officer, national_officer)
    kept = today() + timedelta(days=90)
    n = services.dossier_notify(
        notification=n, actor=national_officer, distribution_date=today(), comment_deadline=kept
    )
    assert n.comment_deadline == kept


def test_notify_extends_a_short_comment_period_to_the_minimum(ministry_officer, national_officer) -> None:
    n = accepted(ministry_officer, national_officer)
    late = today() + timedelta(days=30)  # distributed later than planned: only 30 days would be left
    n = services.dossier_notify(notification=n, actor=national_officer, distribution_date=late)
    assert n.comment_deadline == late + timedelta(days=60)


def test_notify_is_refused_before_acceptance(ministry_officer, national_officer) -> None:
    n = submitted(ministry_officer)
    with pytest.raises(services.TransitionNotAllowed):
        services.dossier_notify(notification=n, actor=national_officer, distribution_date=today())
    n.refresh_from_db()
    assert n.symbol is None and n.state == S.SUBMITTED


def test_follow_ups_get_numbered_symbols_of_their_parent(ministry_officer, national_officer) -> None:
    parent = notified(ministry_officer, national_officer)
    add1 = notified(
        ministry_officer,
        national_officer,
        followup_kind="add",
        followup_of_symbol=parent.symbol,
        addendum_reason="adopted",
        title="Adopted",
        description="Adopted on 1 June.",
    )
    add2 = notified(
        ministry_officer,
        national_officer,
        followup_kind="add",
        followup_of_symbol=parent.symbol,
        addendum_reason="comment_period",
        title="Comment period",
        description="Extended.",
    )
    corr = notified(
        ministry_officer,
        national_officer,
        followup_kind="corr",
        followup_of_symbol=parent.symbol,
        title="Corrigendum",
        description="Box 4 corrected.",
    )
    rev = notified(ministry_officer, national_officer, followup_kind="rev", followup_of_symbol=parent.symbol)
    assert add1.symbol == f"{parent.symbol}/Add.1" and add1.parent == parent and add1.addendum_reason == "adopted"
    assert add2.symbol == f"{parent.symbol}/Add.2"
    assert corr.symbol == f"{parent.symbol}/Corr.1"
    assert rev.symbol == f"{parent.symbol}/Rev.1"
    assert set(parent.followups.values_list("symbol", flat=True)) == {add1.symbol, add2.symbol, corr.symbol, rev.symbol}
    # A follow-up never takes a number of the main series.
    assert notified(ministry_officer, national_officer).symbol == "G/TBT/N/VNM/2"


def test_notify_queues_the_form_and_the_task_runs_once(
    ministry_officer, national_officer, django_capture_on_commit_callbacks
) -> None:
    n = accepted(ministry_officer, national_officer)
    with django_capture_on_commit_callbacks(execute=True):
        n = services.dossier_notify(notification=n, actor=national_officer, distribution_date=today())
    assert n.documents.filter(kind=NotificationDocument.Kind.FORM).count() == 1
    assert notification_form_pdf(n.pk) is False  # a second run does nothing
    assert n.documents.filter(kind=NotificationDocument.Kind.FORM).count() == 1
    assert len(events(n, "form_generated")) == 1


def test_form_task_does_nothing_for_a_dossier_not_notified(ministry_officer, national_officer) -> None:
    n = accepted(ministry_officer, national_officer)
    assert notification_form_pdf(n.pk) is False
    assert not n.documents.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_form_pdf_has_the_wto_layout(ministry_officer, national_officer, tmp_path) -> None:
    n = notified(
        ministry_officer, national_officer, local_government="not known", comment_body="National TBT enquiry point"
    )
    assert notification_form_pdf(n.pk) is True
    doc = n.documents.get(kind=NotificationDocument.Kind.FORM)
    path = tmp_path / "form.pdf"
    path.write_bytes(doc.file.read())
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for expected in [
        "G/TBT/N/VNM/1",
        "Committee on Technical Barriers to Trade",
        "in accordance with Article 10.6",
        "1. Notifying Member: VIET NAM",
        "2. Agency responsible:",
        "Ministry of Industry and Trade (Bo Cong Thuong), 54 Hai Ba Trung, Hanoi",
        "3. Notified under Article",
        "2.9.2 [X]",
        "4. Products covered",
        "HS: 8517.13",
        "smartphones",
        "33.050",
        "5. Title, number of pages and language(s) of the notified document:",
        "specific absorption rate",
        "6. Description of content:",
        "7. Objective and rationale",
        "Protection of human health or safety",
        "8. Relevant documents:",
        "IEC 62209-1528:2020",
        "9. Proposed date of adoption:",
        "Proposed date of entry into force:",
        "10. Final date for comments:",
        "11. Texts available from: National enquiry point [X]",
        "G/TBT/N/VNM/1 · Page: 1/1",
        "in accordance with Article 10.6.",
    ]:
        assert expected in text, expected
    assert n.comment_deadline is not None
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    d = n.comment_deadline
    assert f"10. Final date for comments: {d.day} {months[d.month - 1]} {d.year}" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_addendum_form_has_the_reason(ministry_officer, national_officer, tmp_path) -> None:
    parent = notified(ministry_officer, national_officer)
    add = notified(
        ministry_officer,
        national_officer,
        followup_kind="add",
        followup_of_symbol=parent.symbol,
        addendum_reason="adopted",
        title="Adoption",
        description="Adopted as QCVN 1:2027/BTTTT.",
    )
    notification_form_pdf(add.pk)
    path = tmp_path / "add.pdf"
    path.write_bytes(add.documents.get(kind="form").file.read())
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "G/TBT/N/VNM/1/Add.1" in text and "NOTIFICATION Addendum" in text
    assert "This addendum concerns a:" in text
    # The WTO checklist: the reason "adopted" ticks what the addendum's dates and texts say.
    adoption = add.proposed_adoption_date
    assert adoption is not None
    assert f"[X] Notified measure adopted {adoption.day} " in text
    assert "[X] Notified measure enters into force" in text
    assert "[X] Text of final measure available from National TBT enquiry point of Viet Nam" in text
    for unticked in ("Modification of final date for comments", "Notified measure published", "Other"):
        assert f"[ ] {unticked}" in text, unticked
    assert "Adopted as QCVN 1:2027/BTTTT." in text
    assert "Final date for comments" not in text  # not what this addendum is about


def _pdf_text(n: Notification, tmp_path) -> str:
    notification_form_pdf(n.pk)
    path = tmp_path / f"{n.pk}.pdf"
    path.write_bytes(n.documents.get(kind="form").file.read())
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_addendum_of_a_new_comment_period_and_texts_of_another_body(ministry_officer, national_officer, tmp_path):
    parent = notified(ministry_officer, national_officer, texts_available="Vietnam Standards and Quality Institute")
    assert "11. Texts available from: National enquiry point [ ]" in _pdf_text(parent, tmp_path)
    add = notified(
        ministry_officer,
        national_officer,
        followup_kind="add",
        followup_of_symbol=parent.symbol,
        addendum_reason="comment_period",
        title="Extension of the comment period",
        description="The final date for comments is extended.",
    )
    text = _pdf_text(add, tmp_path)
    assert add.comment_deadline is not None
    assert "[X] Modification of final date for comments" in text
    assert "[ ] Notified measure adopted" in text
    assert f"Final date for comments: {wto_date(add.comment_deadline)}" in text


# --- documents -----------------------------------------------------------------------------------------
def test_document_add_stores_the_file_and_an_event(ministry_officer) -> None:
    n = make_dossier(ministry_officer)
    doc = services.document_add(
        notification=n,
        actor=ministry_officer,
        kind="draft",
        title="Dự thảo QCVN",
        language="vi",
        file=SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 test"),
    )
    assert doc.file.read() == b"%PDF-1.4 test" and doc.original_name == "du-thao.pdf"
    assert "Dự thảo QCVN" in events(n, "document_added")[0].note


def test_document_needs_a_file_or_a_link(ministry_officer) -> None:
    n = make_dossier(ministry_officer)
    with pytest.raises(services.NotificationError):
        services.document_add(notification=n, actor=ministry_officer, kind="agreement", title="MRA")
    assert not n.documents.exists()


# --- comments from members and the replies ----------------------------------------------------------------
def _comment(n: Notification, national) -> NotificationComment:
    from network.models import WTOMember

    return services.comment_record(
        notification=n,
        actor=national,
        member=WTOMember.objects.get(code="USA"),
        received_on=today(),
        text="Please clarify the SAR test method.",
        reply_to_email="tbt@nist.example.gov",
        files=[SimpleUploadedFile("usa.pdf", b"%PDF comments")],
    )


def test_a_comment_received_tomorrow_is_refused(ministry_officer, national_officer) -> None:
    from network.models import WTOMember

    n = notified(ministry_officer, national_officer)
    with pytest.raises(services.NotificationError, match="Ngày nhận góp ý không thể sau ngày hôm nay"):
        services.comment_record(
            notification=n,
            actor=national_officer,
            member=WTOMember.objects.get(code="USA"),
            received_on=today() + timedelta(days=1),
            text="From the future.",
        )
    assert not n.comments.exists()


def test_record_a_comment(ministry_officer, national_officer) -> None:
    n = notified(ministry_officer, national_officer)
    c = _comment(n, national_officer)
    assert c.state == CS.RECEIVED and c.direction == "received" and c.member.code == "USA"
    assert events(c, "comment_received")[0].to_state == CS.RECEIVED
    assert c.documents.get().original_name == "usa.pdf"
    assert deadline(c, "comment_route").point.code == "national"


def test_comments_only_on_notified_measures(ministry_officer, national_officer) -> None:
    n = accepted(ministry_officer, national_officer)
    with pytest.raises(services.NotificationError):
        _comment(n, national_officer)
    assert not NotificationComment.objects.exists()


def test_route_to_the_ministry_with_the_reply_due(ministry_officer, national_officer) -> None:
    n = notified(ministry_officer, national_officer)
    c = _comment(n, national_officer)
    due = services.comment_default_reply_due(c)
    c = services.comment_route(comment=c, actor=national_officer, point=ministry_officer.point, reply_due=due)
    assert c.state == CS.ROUTED and c.point == ministry_officer.point and c.reply_due == due
    assert events(c, "comment_routed")[0].from_state == CS.RECEIVED
    assert deadline(c, "comment_route").state == Deadline.State.DONE
    reply = deadline(c, "comment_reply")
    assert reply.point == ministry_officer.point and reply.due_date == due
    assert len(mails("notification_comment_routed", ministry_officer.email)) == 1


def test_route_refusals_change_nothing(ministry_officer, national_officer) -> None:
    n = notified(ministry_officer, national_officer)
    c = _comment(n, national_officer)
    with pytest.raises(services.NotificationError):
        services.comment_route(comment=c, actor=national_officer, point=point("tinh-01"), reply_due=today())
    with pytest.raises(services.NotificationError):
        services.comment_route(
            comment=c, actor=national_officer, point=ministry_officer.point, reply_due=today() - timedelta(days=1)
        )
    c.refresh_from_db()
    assert c.state == CS.RECEIVED and c.point is None and deadline(c, "comment_reply") is None
    services.comment_route(comment=c, actor=national_officer, point=ministry_officer.point, reply_due=today())
    with pytest.raises(services.TransitionNotAllowed):
        services.comment_route(comment=c, actor=national_officer, point=ministry_officer.point, reply_due=today())


def test_default_reply_due_is_before_the_end_of_the_comment_period(
    ministry_officer, national_officer, settings
) -> None:
    from network.calendar import add_working_days, roll_back, subtract_working_days

    n = notified(ministry_officer, national_officer)
    c = _comment(n, national_officer)
    assert services.comment_default_reply_due(c) == subtract_working_days(
        roll_back(n.comment_deadline), settings.NOTIFICATION_REPLY_DAYS_BEFORE_END
    )
    assert services.comment_default_reply_due(c) < n.comment_deadline
    # Too close to (or past) the end: the configured working days from today instead.
    late = n.comment_deadline - timedelta(days=2)
    assert services.comment_default_reply_due(c, today=late) == add_working_days(
        late, settings.NOTIFICATION_REPLY_WORKING_DAYS
    )


def test_ministry_drafts_national_point_returns_then_sends(ministry_officer, national_officer) -> None:
    n = notified(ministry_officer, national_officer)
    c = _comment(n, national_officer)
    c = services.comment_route(
        comment=c, actor=national_officer, point=ministry_officer.point, reply_due=today() + timedelta(days=20)
    )
    c = services.comment_reply_draft(comment=c, actor=ministry_officer, reply_text="The method is IEC 62209.")
    assert c.state == CS.REPLY_DRAFTED
    assert deadline(c, "comment_reply").state == Deadline.State.DONE
    assert deadline(c, "comment_send").state == Deadline.State.OPEN
    assert len(mails("notification_comment_reply_drafted", national_officer.email)) == 1

    c = services.comment_reply_return(comment=c, actor=national_officer, remarks="Cite the edition.")
    assert c.state == CS.ROUTED and c.remarks == "Cite the edition."
    assert deadline(c, "comment_send").state == Deadline.State.DONE
    assert deadline(c, "comment_reply").state == Deadline.State.OPEN
    assert len(mails("notification_comment_reply_returned", ministry_officer.email)) == 1

    c = services.comment_reply_draft(comment=c, actor=ministry_officer, reply_text="IEC 62209-1528:2020.")
    c = services.comment_reply_send(comment=c, actor=national_officer)
    assert c.state == CS.REPLIED and c.reply_sent_at is not None and c.reply_text == "IEC 62209-1528:2020."
    assert deadline(c, "comment_send").state == Deadline.State.DONE
    to_member = mails("notification_comment_reply", "tbt@nist.example.gov")
    assert len(to_member) == 1 and to_member[0].language == "en" and "IEC 62209-1528:2020." in to_member[0].body_text
    assert len(mails("notification_comment_replied", ministry_officer.email)) == 1
    assert [e.verb for e in events(c)] == [
        "comment_received",
        "comment_routed",
        "comment_reply_drafted",
        "comment_reply_returned",
        "comment_reply_drafted",
        "comment_replied",
    ]


def test_send_before_a_draft_is_refused(ministry_officer, national_officer) -> None:
    n = notified(ministry_officer, national_officer)
    c = _comment(n, national_officer)
    with pytest.raises(services.TransitionNotAllowed):
        services.comment_reply_send(comment=c, actor=national_officer, reply_text="Too early")
    c.refresh_from_db()
    assert c.state == CS.RECEIVED and c.reply_text == "" and not mails("notification_comment_reply")


def test_draft_reply_needs_text(ministry_officer, national_officer) -> None:
    n = notified(ministry_officer, national_officer)
    c = services.comment_route(
        comment=_comment(n, national_officer), actor=national_officer, point=ministry_officer.point, reply_due=today()
    )
    with pytest.raises(services.NotificationError):
        services.comment_reply_draft(comment=c, actor=ministry_officer, reply_text=" ")
    c.refresh_from_db()
    assert c.state == CS.ROUTED


def test_complete_data_is_valid_for_the_form() -> None:
    from notifications.forms import DossierForm

    data = complete_data()
    post = {k: (", ".join(v) if k in ("hs_codes", "ics_codes", "related_symbols") else v) for k, v in data.items()}
    post = {k: v for k, v in post.items() if v not in (None, False)}
    form = DossierForm(data=post)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hs_codes"] == ["851713"]
