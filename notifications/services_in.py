"""Writes on partners' notifications (Đ6.1.d, Đ6.1.i, Đ6.2.c, Đ12.5): triage by the national
point, impact notes from the ministry points, the Vietnamese title and summary, business input
before the internal cut-off, and Vietnam's consolidated comment with the partner's reply.

Same rules as ``services``: lock, check ``TRANSITIONS``, save with ``update_fields``, event row in
the same transaction, deadlines and e-mails (outbox) in it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from network.calendar import add_working_days, roll_back
from network.deadlines import deadline_close, deadlines_for
from network.events import event_record
from network.models import Deadline, Point, User, WTOMember
from network.outbox import email_enqueue

from .models import BusinessInput, ImpactNote, Notification, NotificationComment
from .services import (
    NotificationError,
    _lock,
    check_transition,
    email_point,
    national_point,
    open_deadline,
    path_of,
    refresh_search_text,
    require_english,
)

S = Notification.State
CS = NotificationComment.State
CONSENT_VERSION = "2026-1"


def _label(n: Notification) -> str:
    return n.symbol or n.external_id or (n.title or "")[:120]


def _url(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + path_of(name, **kwargs)


# --- receipt and triage -----------------------------------------------------------------------
def notification_received(notification: Notification, *, today: date | None = None) -> Deadline | None:
    """Open the national point's forwarding deadline for a partner's notification that has just
    arrived (the importer calls this for each new record; the triage screen too, lazily).

    Only for a notification still waiting for triage and still open for comments (a historical
    record imported years later has nobody to forward it to). Idempotent: an existing deadline is
    left as it is."""
    today = today or timezone.localdate()
    n = notification
    if n.direction != Notification.Direction.IN or n.state != S.RECEIVED:
        return None
    if n.comment_deadline is not None and n.comment_deadline < today:
        return None
    existing = deadlines_for(n).filter(kind="triage").first()
    if existing is not None:
        return existing
    with transaction.atomic():
        open_deadline(
            obj=n,
            kind="triage",
            point=national_point(),
            due=add_working_days(today, settings.NOTIFICATION_FORWARD_WORKING_DAYS),
            title_vi=f"Phân loại và chuyển thông báo: {_label(n)}",
            title_en=f"Triage and forward the notification: {_label(n)}",
            url=path_of("triage", public_id=n.public_id),
            actor=None,
        )
    return deadlines_for(n).filter(kind="triage").first()


def _impact_due(n: Notification, today: date) -> date:
    """NOTIFICATION_IMPACT_WORKING_DAYS from today, but not after the business-input cut-off (the
    national point consolidates everything then), and never earlier than the next working day."""
    due = add_working_days(today, settings.NOTIFICATION_IMPACT_WORKING_DAYS)
    cutoff = n.input_cutoff
    if cutoff is not None and cutoff < due:
        due = max(roll_back(cutoff), add_working_days(today, 1))
    return due


def _request_impact_notes(n: Notification, points: Iterable[Point], actor: User) -> list[ImpactNote]:
    created: list[ImpactNote] = []
    today = timezone.localdate()
    for point in points:
        if point.level != Point.Level.MINISTRY:
            raise NotificationError(_("Only ministry points analyse partners' measures."))
        note, is_new = ImpactNote.objects.get_or_create(notification=n, point=point, defaults={"requested_by": actor})
        n.analysing_points.add(point)
        if not is_new:
            continue
        created.append(note)
        event_record(obj=note, actor=actor, verb="impact_requested", to_state=note.state, point=point, note=_label(n))
        url = path_of("impact_note", public_id=n.public_id)
        open_deadline(
            obj=note,
            kind="impact_note",
            point=point,
            due=_impact_due(n, today),
            url=url,
            actor=actor,
            title_vi=f"Đánh giá tác động: {_label(n)}",
            title_en=f"Impact note: {_label(n)}",
        )
        email_point(point, "notification_forwarded", {"notification": n, "url": settings.SITE_URL + url})
    return created


def notification_triage(
    *, notification: Notification, actor: User, relevant: bool, points: Iterable[Point] = (), note: str = ""
) -> Notification:
    """The national point decides whether a partner's notification matters to Vietnam and, if it
    does, forwards it to the ministry point(s) that write an impact note (Đ6.1.d, Đ6.2.c)."""
    points = list(points)
    if relevant and not points:
        raise NotificationError(_("Choose at least one ministry point to analyse it."))
    with transaction.atomic():
        n = _lock(notification)
        target = S.RELEVANT if relevant else S.NOT_RELEVANT
        check_transition(n, target)
        old = n.state
        n.state, n.triaged_by, n.triaged_at, n.triage_note = target, actor, timezone.now(), note.strip()
        n.save(update_fields=["state", "triaged_by", "triaged_at", "triage_note", "updated_at"])
        event_record(
            obj=n,
            actor=actor,
            verb="triaged",
            from_state=old,
            to_state=n.state,
            note=", ".join(str(p) for p in points) or n.triage_note,
        )
        deadline_close(obj=n, kind="triage", actor=actor)
        if relevant:
            _request_impact_notes(n, points, actor)
    return n


def notification_forward(*, notification: Notification, actor: User, points: Iterable[Point]) -> Notification:
    """Forward a relevant notification to more ministry points (reopens the analysis)."""
    points = list(points)
    if not points:
        raise NotificationError(_("Choose at least one ministry point to analyse it."))
    with transaction.atomic():
        n = _lock(notification)
        if n.state not in (S.RELEVANT, S.ANALYSED):
            raise NotificationError(_("Only a notification found relevant is forwarded."))
        created = _request_impact_notes(n, points, actor)
        if created and n.state == S.ANALYSED:
            check_transition(n, S.RELEVANT)
            n.state = S.RELEVANT
            n.save(update_fields=["state", "updated_at"])
        if created:
            event_record(
                obj=n,
                actor=actor,
                verb="forwarded",
                from_state=S.RELEVANT,
                to_state=n.state,
                note=", ".join(str(note.point) for note in created),
            )
    return n


def impact_note_submit(
    *, note: ImpactNote, actor: User, impact: str, assessment: str, affected_exports: str = "", recommendation: str = ""
) -> ImpactNote:
    """The ministry point submits its impact note; when the last requested note is in, the
    notification becomes ``analysed``."""
    if not assessment.strip():
        raise NotificationError(_("Write the assessment."))
    with transaction.atomic():
        locked = _lock(note)
        if ImpactNote.State.SUBMITTED not in ImpactNote.TRANSITIONS.get(locked.state, set()):
            raise NotificationError(_("This impact note has already been submitted."))
        old = locked.state
        locked.state = ImpactNote.State.SUBMITTED
        locked.impact, locked.assessment = impact, assessment.strip()
        locked.affected_exports, locked.recommendation = affected_exports.strip(), recommendation
        locked.written_by, locked.submitted_at = actor, timezone.now()
        locked.save(
            update_fields=[
                "state",
                "impact",
                "assessment",
                "affected_exports",
                "recommendation",
                "written_by",
                "submitted_at",
            ]
        )
        event_record(
            obj=locked,
            actor=actor,
            verb="impact_submitted",
            from_state=old,
            to_state=locked.state,
            note=locked.get_impact_display(),
            point=locked.point,
        )
        deadline_close(obj=locked, kind="impact_note", actor=actor)
        n = Notification.objects.select_for_update(of=("self",)).get(pk=locked.notification_id)
        pending = ImpactNote.objects.filter(notification=n, state=ImpactNote.State.REQUESTED).exists()
        if not pending and n.state == S.RELEVANT:
            n.state = S.ANALYSED
            n.save(update_fields=["state", "updated_at"])
            event_record(obj=n, actor=actor, verb="analysed", from_state=S.RELEVANT, to_state=n.state)
        email_point(
            national_point(),
            "notification_impact_submitted",
            {"notification": n, "impact_note": locked, "url": _url("detail", public_id=n.public_id)},
        )
    return locked


# --- Vietnamese title and summary ---------------------------------------------------------------
def notification_vietnamese_save(
    *, notification: Notification, actor: User, title_vi: str, summary_vi: str, verified: bool
) -> Notification:
    """An official writes or corrects the Vietnamese title and summary; ``verified`` records who
    vouches for them and when (a later unverified edit withdraws the mark)."""
    with transaction.atomic():
        n = _lock(notification)
        if n.direction != Notification.Direction.IN:
            raise NotificationError(_("Vietnamese summaries are kept for partners' notifications."))
        n.title_vi, n.summary_vi = title_vi.strip(), summary_vi.strip()
        if verified:
            if not (n.title_vi and n.summary_vi):
                raise NotificationError(
                    _("Write both the Vietnamese title and the summary before marking them verified.")
                )
            n.vi_verified_by, n.vi_verified_at = actor, timezone.now()
        else:
            n.vi_verified_by, n.vi_verified_at = None, None
        refresh_search_text(n)
        n.save(
            update_fields=["title_vi", "summary_vi", "vi_verified_by", "vi_verified_at", "search_text", "updated_at"]
        )
        event_record(
            obj=n,
            actor=actor,
            verb="vietnamese_verified" if verified else "vietnamese_edited",
            from_state=n.state,
            to_state=n.state,
        )
    return n


# --- business input -----------------------------------------------------------------------------
class InputClosed(NotificationError):
    pass


def business_input_submit(
    *,
    notification: Notification,
    user: User | None,
    name: str,
    organisation: str,
    email: str,
    text: str,
    consent: bool,
    language: str = "vi",
    today: date | None = None,
) -> BusinessInput:
    """A business's input on an open partner's draft, until the internal cut-off (refused after)."""
    if not consent:
        raise NotificationError(_("Your consent is needed to pass your input on."))
    with transaction.atomic():
        n = Notification.objects.select_for_update(of=("self",)).get(pk=notification.pk)
        if not n.input_open(today):
            raise InputClosed(_("Input on this notification is closed."))
        item = BusinessInput.objects.create(
            notification=n,
            user=user if (user is not None and user.is_authenticated) else None,
            name=name.strip(),
            organisation=organisation.strip(),
            email=email.strip().lower(),
            text=text.strip(),
            consent_version=CONSENT_VERSION,
            consent_at=timezone.now(),
        )
        event_record(
            obj=n,
            actor=user,
            verb="business_input_received",
            from_state=n.state,
            to_state=n.state,
            note=item.organisation,
        )
        email_enqueue(
            to=item.email,
            template="notification_input_ack",
            language=language,
            context={
                "notification": n,
                "input": item,
                "cutoff": n.input_cutoff,
                "url": _url("detail", public_id=n.public_id),
            },
        )
    return item


# --- Vietnam's comment on a partner's draft -------------------------------------------------------
def national_comment_prepare(
    *,
    notification: Notification,
    actor: User,
    text: str,
    inputs: Iterable[BusinessInput] = (),
    reply_to_email: str = "",
) -> NotificationComment:
    """The national point consolidates business inputs (and the ministries' notes) into one draft
    comment of Vietnam (state ``draft``)."""
    if not text.strip():
        raise NotificationError(_("Write the text of the comment."))
    with transaction.atomic():
        n = _lock(notification)
        if n.direction != Notification.Direction.IN:
            raise NotificationError(_("Vietnam comments on partners' notifications only."))
        comment = NotificationComment.objects.create(
            notification=n,
            direction=NotificationComment.Direction.SENT,
            kind=NotificationComment.Kind.COMMENT,
            member=WTOMember.objects.filter(code="VNM").first(),
            by_name="Viet Nam",
            state=CS.DRAFT,
            text=text.strip(),
            reply_to_email=reply_to_email.strip(),
            created_by=actor,
            received_on=timezone.localdate(),
        )
        ids = [i.pk for i in inputs]
        linked = BusinessInput.objects.filter(notification=n, pk__in=ids, used_in__isnull=True).update(used_in=comment)
        event_record(
            obj=comment,
            actor=actor,
            verb="national_comment_drafted",
            to_state=comment.state,
            note=str(linked),
            point=national_point(),
        )
        due = roll_back(n.comment_deadline) if n.comment_deadline else None
        if due is None or due < timezone.localdate():
            due = add_working_days(timezone.localdate(), settings.NOTIFICATION_REVIEW_WORKING_DAYS)
        open_deadline(
            obj=comment,
            kind="national_comment",
            point=national_point(),
            due=due,
            actor=actor,
            title_vi=f"Gửi ý kiến của Việt Nam: {_label(n)}",
            title_en=f"Send Viet Nam's comment: {_label(n)}",
            url=path_of("comment", public_id=comment.public_id),
        )
    return comment


def national_comment_send(
    *, comment: NotificationComment, actor: User, text: str = "", to_email: str = ""
) -> NotificationComment:
    """Send Vietnam's comment to the partner's enquiry point; the businesses whose input it uses
    are told."""
    with transaction.atomic():
        c = _lock(comment)
        check_transition(c, CS.SENT)
        old = c.state
        if text.strip():
            c.text = text.strip()
        if to_email.strip():
            c.reply_to_email = to_email.strip()
        require_english(c.text)
        c.state, c.sent_at = CS.SENT, timezone.now()
        c.save(update_fields=["state", "text", "reply_to_email", "sent_at"])
        event_record(
            obj=c,
            actor=actor,
            verb="national_comment_sent",
            from_state=old,
            to_state=c.state,
            note=c.reply_to_email,
            point=national_point(),
        )
        deadline_close(obj=c, kind="national_comment", actor=actor)
        n = c.notification
        if c.reply_to_email:
            email_enqueue(
                to=c.reply_to_email,
                template="notification_national_comment",
                language="en",
                context={"comment": c, "notification": n},
                reply_to=national_point().email,
            )
        for item in c.inputs.all():
            email_enqueue(
                to=item.email,
                template="notification_input_used",
                language="vi",
                context={"notification": n, "input": item, "url": _url("detail", public_id=n.public_id)},
            )
    return c


def partner_reply_record(
    *, comment: NotificationComment, actor: User, text: str, replied_on: date
) -> NotificationComment:
    """Record the partner's reply to Vietnam's comment; contributors are told."""
    if not text.strip():
        raise NotificationError(_("Write the partner's reply."))
    if replied_on > timezone.localdate():
        raise NotificationError(_("The date of the reply cannot be later than today."))
    with transaction.atomic():
        c = _lock(comment)
        check_transition(c, CS.PARTNER_REPLIED)
        if c.sent_at and replied_on < timezone.localdate(c.sent_at):
            raise NotificationError(
                _("The date of the reply is before Viet Nam's comment was sent (%(sent)s).")
                % {"sent": date_format(timezone.localdate(c.sent_at), "SHORT_DATE_FORMAT")}
            )
        old = c.state
        c.state, c.partner_reply, c.partner_replied_on = CS.PARTNER_REPLIED, text.strip(), replied_on
        c.save(update_fields=["state", "partner_reply", "partner_replied_on"])
        event_record(
            obj=c, actor=actor, verb="partner_replied", from_state=old, to_state=c.state, point=national_point()
        )
        n = c.notification
        for item in c.inputs.all():
            email_enqueue(
                to=item.email,
                template="notification_partner_replied",
                language="vi",
                context={"notification": n, "input": item, "url": _url("detail", public_id=n.public_id)},
            )
    return c
