"""Partners' notifications: receipt, triage, impact notes, Vietnamese summary, business input and
Vietnam's comment, each state change with its event, deadline and outbox rows, and the refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from network.calendar import add_working_days
from network.models import Deadline, Event, OutboxEmail, Point
from notifications import services, services_in
from notifications.models import BusinessInput, ImpactNote, Notification, NotificationComment
from tests.notifications.workflow_helpers import deadline, events, mails, make_incoming, notified, point, today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]
S = Notification.State
CS = NotificationComment.State


# --- receipt -------------------------------------------------------------------------------------
def test_received_opens_the_forwarding_deadline_once(national_officer, settings) -> None:
    n = make_incoming()
    d = services_in.notification_received(n)
    assert d is not None and d.kind == "triage" and d.point.code == "national"
    assert d.due_date == add_working_days(today(), settings.NOTIFICATION_FORWARD_WORKING_DAYS)
    again = services_in.notification_received(n, today=today() + timedelta(days=3))
    assert again is not None and again.pk == d.pk and again.due_date == d.due_date
    assert Deadline.objects.filter(kind="triage").count() == 1


def test_forwarding_days_are_configurable(national_officer, settings) -> None:
    settings.NOTIFICATION_FORWARD_WORKING_DAYS = 3
    d = services_in.notification_received(make_incoming())
    assert d.due_date == add_working_days(today(), 3)


def test_no_forwarding_deadline_for_closed_or_outgoing_or_triaged(national_officer, ministry_officer) -> None:
    assert services_in.notification_received(make_incoming(deadline_in_days=-1)) is None
    assert services_in.notification_received(make_incoming(state=S.NOT_RELEVANT)) is None
    assert services_in.notification_received(notified(ministry_officer, national_officer)) is None
    assert not Deadline.objects.filter(kind="triage").exists()


def test_import_opens_the_forwarding_deadline_only_for_open_notifications(national_officer) -> None:
    """An ePing file with a notification still open for comments, one whose final date has passed
    and an old one without a date: only the first gets the national point's triage deadline; a
    second import of the same file changes nothing."""
    import io
    import json

    from notifications.importers import InputFile, import_files

    records = [
        {
            "documentSymbol": "G/TBT/N/JPN/900",
            "notifyingMember": "C392",
            "distributionDate": today().isoformat(),
            "commentDeadlineDate": (today() + timedelta(days=60)).isoformat(),
            "title": "Open draft",
        },
        {
            "documentSymbol": "G/TBT/N/JPN/901",
            "notifyingMember": "C392",
            "distributionDate": "2018-02-20",
            "commentDeadlineDate": "2018-03-22",
            "title": "Closed long ago",
        },
        {"documentSymbol": "G/TBT/N/JPN/902", "notifyingMember": "C392", "distributionDate": "2019-05-01"},
    ]
    data = json.dumps(records).encode()
    for _ in range(2):
        report = import_files("eping", [InputFile("eping.json", lambda: io.BytesIO(data))])
        assert report.error_count == 0
    d = Deadline.objects.get(kind="triage")
    assert d.point.code == "national" and d.object_id == str(Notification.objects.get(symbol="G/TBT/N/JPN/900").pk)
    assert d.due_date == add_working_days(today(), 1)
    assert Notification.objects.count() == 3


# --- triage ----------------------------------------------------------------------------------------
def test_triage_relevant_forwards_to_the_ministry_points(
    national_officer, ministry_officer, other_ministry_officer
) -> None:
    n = make_incoming()
    services_in.notification_received(n)
    n = services_in.notification_triage(
        notification=n,
        actor=national_officer,
        relevant=True,
        points=[ministry_officer.point, other_ministry_officer.point],
        note="Toys: exports of plastic toys.",
    )
    assert n.state == S.RELEVANT and n.triaged_by == national_officer and n.triaged_at is not None
    assert set(n.analysing_points.values_list("code", flat=True)) == {"bo-cong-thuong", "bo-y-te"}
    assert events(n, "triaged")[0].to_state == S.RELEVANT
    assert deadline(n, "triage").state == Deadline.State.DONE
    notes = list(n.impact_notes.order_by("point__code"))
    assert [note.state for note in notes] == [ImpactNote.State.REQUESTED] * 2
    for note in notes:
        d = deadline(note, "impact_note")
        assert d.point == note.point and d.state == Deadline.State.OPEN
        assert d.due_date <= n.input_cutoff
        assert events(note, "impact_requested")
    assert len(mails("notification_forwarded", ministry_officer.email)) == 1
    assert len(mails("notification_forwarded", other_ministry_officer.email)) == 1


def test_triage_not_relevant(national_officer) -> None:
    n = make_incoming()
    n = services_in.notification_triage(notification=n, actor=national_officer, relevant=False, note="Not our trade")
    assert n.state == S.NOT_RELEVANT and n.triage_note == "Not our trade"
    assert not n.impact_notes.exists() and not OutboxEmail.objects.exists()
    # It may be reconsidered as relevant; a relevant one is not dismissed afterwards.
    n = services_in.notification_triage(
        notification=n, actor=national_officer, relevant=True, points=[point("bo-cong-thuong")]
    )
    assert n.state == S.RELEVANT
    with pytest.raises(services.TransitionNotAllowed):
        services_in.notification_triage(notification=n, actor=national_officer, relevant=False)


def test_triage_refusals_change_nothing(national_officer) -> None:
    n = make_incoming()
    with pytest.raises(services.NotificationError):
        services_in.notification_triage(notification=n, actor=national_officer, relevant=True, points=[])
    with pytest.raises(services.NotificationError):
        services_in.notification_triage(
            notification=n, actor=national_officer, relevant=True, points=[point("tinh-01")]
        )
    n.refresh_from_db()
    assert n.state == S.RECEIVED and not n.impact_notes.exists() and not events(n)


def test_forward_to_more_points_reopens_the_analysis(
    national_officer, ministry_officer, other_ministry_officer
) -> None:
    n = services_in.notification_triage(
        notification=make_incoming(), actor=national_officer, relevant=True, points=[ministry_officer.point]
    )
    services_in.impact_note_submit(
        note=n.impact_notes.get(), actor=ministry_officer, impact="low", assessment="Little trade."
    )
    n.refresh_from_db()
    assert n.state == S.ANALYSED
    n = services_in.notification_forward(
        notification=n, actor=national_officer, points=[other_ministry_officer.point, ministry_officer.point]
    )
    assert n.state == S.RELEVANT
    assert n.impact_notes.count() == 2
    assert events(n, "forwarded")[0].note == str(other_ministry_officer.point)


# --- impact notes -------------------------------------------------------------------------------------
def test_impact_notes_complete_the_analysis(national_officer, ministry_officer, other_ministry_officer) -> None:
    n = services_in.notification_triage(
        notification=make_incoming(),
        actor=national_officer,
        relevant=True,
        points=[ministry_officer.point, other_ministry_officer.point],
    )
    first = n.impact_notes.get(point=ministry_officer.point)
    first = services_in.impact_note_submit(
        note=first,
        actor=ministry_officer,
        impact="high",
        assessment="Plastic toys worth USD 200m.",
        affected_exports="HS 9503",
        recommendation="comment",
    )
    assert first.state == ImpactNote.State.SUBMITTED and first.written_by == ministry_officer
    assert deadline(first, "impact_note").state == Deadline.State.DONE
    assert events(first, "impact_submitted")
    assert len(mails("notification_impact_submitted", national_officer.email)) == 1
    n.refresh_from_db()
    assert n.state == S.RELEVANT  # one note still missing
    services_in.impact_note_submit(
        note=n.impact_notes.get(point=other_ministry_officer.point),
        actor=other_ministry_officer,
        impact="none",
        assessment="No health issue.",
    )
    n.refresh_from_db()
    assert n.state == S.ANALYSED and events(n, "analysed")


def test_impact_note_twice_or_empty_is_refused(national_officer, ministry_officer) -> None:
    n = services_in.notification_triage(
        notification=make_incoming(), actor=national_officer, relevant=True, points=[ministry_officer.point]
    )
    note = n.impact_notes.get()
    with pytest.raises(services.NotificationError):
        services_in.impact_note_submit(note=note, actor=ministry_officer, impact="low", assessment="")
    services_in.impact_note_submit(note=note, actor=ministry_officer, impact="low", assessment="Small.")
    with pytest.raises(services.NotificationError):
        services_in.impact_note_submit(note=note, actor=ministry_officer, impact="high", assessment="Changed")
    note.refresh_from_db()
    assert note.impact == "low" and note.assessment == "Small."


# --- Vietnamese title and summary --------------------------------------------------------------------------
def test_vietnamese_verified_with_who_and_when(national_officer) -> None:
    n = make_incoming()
    n = services_in.notification_vietnamese_save(
        notification=n,
        actor=national_officer,
        title_vi="Dự thảo quy định về an toàn đồ chơi",
        summary_vi="Yêu cầu hóa chất đối với đồ chơi.",
        verified=True,
    )
    assert n.vi_verified_by == national_officer and n.vi_verified_at is not None
    assert "do choi" in n.search_text
    assert events(n, "vietnamese_verified")
    n = services_in.notification_vietnamese_save(
        notification=n,
        actor=national_officer,
        title_vi="Dự thảo quy định về an toàn đồ chơi trẻ em",
        summary_vi=n.summary_vi,
        verified=False,
    )
    assert n.vi_verified_by is None and n.vi_verified_at is None and events(n, "vietnamese_edited")


def test_vietnamese_refusals(national_officer, ministry_officer) -> None:
    n = make_incoming()
    with pytest.raises(services.NotificationError):
        services_in.notification_vietnamese_save(
            notification=n, actor=national_officer, title_vi="Tiêu đề", summary_vi="", verified=True
        )
    n.refresh_from_db()
    assert n.title_vi == "" and not events(n)
    out = notified(ministry_officer, national_officer)
    with pytest.raises(services.NotificationError):
        services_in.notification_vietnamese_save(
            notification=out, actor=national_officer, title_vi="a", summary_vi="b", verified=True
        )


# --- business input ---------------------------------------------------------------------------------------
def _input(n: Notification, **kw):
    values = {
        "user": None,
        "name": "Bùi Văn Nam",
        "organisation": "Vina Export",
        "email": "Nam@VinaExport.vn",
        "text": "Our toys already meet EN 71.",
        "consent": True,
    }
    values.update(kw)
    return services_in.business_input_submit(notification=n, **values)


def test_business_input_before_the_cutoff(settings) -> None:
    n = make_incoming(deadline_in_days=60)
    assert n.input_cutoff == n.comment_deadline - timedelta(days=settings.NOTIFICATION_INPUT_CUTOFF_DAYS)
    item = _input(n)
    assert item.email == "nam@vinaexport.vn" and item.consent_at is not None and item.consent_version
    assert events(n, "business_input_received")[0].note == "Vina Export"
    ack = mails("notification_input_ack", "nam@vinaexport.vn")
    assert len(ack) == 1 and str(item.public_id) in ack[0].body_text


def test_business_input_on_the_cutoff_day_is_accepted_and_after_refused() -> None:
    n = make_incoming(deadline_in_days=60)
    cutoff = n.input_cutoff
    assert _input(n, today=cutoff)
    with pytest.raises(services_in.InputClosed):
        _input(n, today=cutoff + timedelta(days=1))
    assert BusinessInput.objects.count() == 1
    assert len(mails("notification_input_ack")) == 1


def test_business_input_cutoff_is_configurable(settings) -> None:
    settings.NOTIFICATION_INPUT_CUTOFF_DAYS = 5
    n = make_incoming(deadline_in_days=10)
    assert n.input_cutoff == today() + timedelta(days=5) and n.input_open()


def test_business_input_refused_without_consent_or_deadline() -> None:
    with pytest.raises(services.NotificationError):
        _input(make_incoming(), consent=False)
    with pytest.raises(services_in.InputClosed):
        _input(make_incoming(deadline_in_days=None))
    with pytest.raises(services_in.InputClosed):
        _input(make_incoming(deadline_in_days=20))  # cut-off (deadline − 21 days) already passed
    assert not BusinessInput.objects.exists() and not Event.objects.filter(verb="business_input_received").exists()


# --- Vietnam's comment ------------------------------------------------------------------------------------------
def test_consolidate_send_and_record_the_partner_reply(national_officer) -> None:
    n = make_incoming(deadline_in_days=60)
    a = _input(n, email="a@example.vn")
    b = _input(n, email="b@example.vn", organisation="VINASME")
    other = _input(make_incoming(deadline_in_days=60), email="c@example.vn")
    c = services_in.national_comment_prepare(
        notification=n,
        actor=national_officer,
        text="Viet Nam asks the EU to accept EN 71 test reports.",
        inputs=[a, b, other],
        reply_to_email="tbt@ec.example.eu",
    )
    assert c.direction == "sent" and c.state == CS.DRAFT and c.member.code == "VNM"
    assert set(c.inputs.values_list("pk", flat=True)) == {a.pk, b.pk}
    other.refresh_from_db()
    assert other.used_in is None
    assert events(c, "national_comment_drafted")
    assert deadline(c, "national_comment").state == Deadline.State.OPEN

    c = services_in.national_comment_send(comment=c, actor=national_officer)
    assert c.state == CS.SENT and c.sent_at is not None
    assert deadline(c, "national_comment").state == Deadline.State.DONE
    to_partner = mails("notification_national_comment", "tbt@ec.example.eu")
    assert len(to_partner) == 1 and to_partner[0].language == "en" and "EN 71" in to_partner[0].body_text
    # Answers reach the national point, not a no-reply address.
    national = Point.objects.get(code="national")
    assert to_partner[0].reply_to == national.email and national.email in to_partner[0].body_text
    assert {m.to for m in mails("notification_input_used")} == {"a@example.vn", "b@example.vn"}
    with pytest.raises(services.TransitionNotAllowed):
        services_in.national_comment_send(comment=c, actor=national_officer)

    c = services_in.partner_reply_record(
        comment=c, actor=national_officer, text="The EU accepts them.", replied_on=today()
    )
    assert c.state == CS.PARTNER_REPLIED and c.partner_reply == "The EU accepts them."
    assert events(c, "partner_replied")
    assert {m.to for m in mails("notification_partner_replied")} == {"a@example.vn", "b@example.vn"}


@pytest.mark.parametrize(("days", "says"), [(1, "không thể sau ngày hôm nay"), (-1, "sớm hơn ngày Việt Nam gửi góp ý")])
def test_partner_reply_dated_in_the_future_or_before_sending_is_refused(national_officer, days, says) -> None:
    n = make_incoming()
    c = services_in.national_comment_prepare(notification=n, actor=national_officer, text="Viet Nam's comment")
    c = services_in.national_comment_send(comment=c, actor=national_officer)
    before = Event.objects.count()
    with pytest.raises(services.NotificationError, match=says):
        services_in.partner_reply_record(
            comment=c, actor=national_officer, text="Reply", replied_on=today() + timedelta(days=days)
        )
    c.refresh_from_db()
    assert c.state == CS.SENT and c.partner_reply == "" and Event.objects.count() == before


def test_a_national_comment_written_in_vietnamese_is_not_sent(national_officer) -> None:
    n = make_incoming()
    c = services_in.national_comment_prepare(
        notification=n,
        actor=national_officer,
        text="Việt Nam đề nghị chấp nhận kết quả thử nghiệm.",
        reply_to_email="tbt@ec.example.eu",
    )
    with pytest.raises(services.NotificationError, match="tiếng Việt"):
        services_in.national_comment_send(comment=c, actor=national_officer)
    c.refresh_from_db()
    assert c.state == CS.DRAFT and not mails("notification_national_comment", "tbt@ec.example.eu")
    c = services_in.national_comment_send(
        comment=c, actor=national_officer, text="Viet Nam asks the EU to accept test reports."
    )
    assert c.state == CS.SENT


def test_partner_reply_before_sending_is_refused(national_officer) -> None:
    n = make_incoming()
    c = services_in.national_comment_prepare(notification=n, actor=national_officer, text="Draft")
    with pytest.raises(services.TransitionNotAllowed):
        services_in.partner_reply_record(comment=c, actor=national_officer, text="Reply", replied_on=today())
    c.refresh_from_db()
    assert c.state == CS.DRAFT and c.partner_reply == ""
