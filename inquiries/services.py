"""Every write of the enquiry service (see STYLE.md).

Each state change locks the row, checks ``Inquiry.TRANSITIONS``, changes, saves the changed fields,
writes an event row and queues its e-mails in the outbox, all in one transaction. Access decisions
are made by ``permissions.py`` before a service is called; a service refuses what the state does
not allow with ``InquiryError`` and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from network.calendar import add_working_days, subtract_working_days
from network.deadlines import deadline_close, deadline_open, deadline_open_done
from network.events import event_record
from network.models import HSCode, Point, User, WTOMember
from network.outbox import email_enqueue
from tbt_portal.files import CheckedFile, delete_stored, storage_name

from .models import Attachment, Contribution, FAQEntry, Inquiry, Message, Note, SubmissionBlock

S = Inquiry.State
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed safely
ERASED = "—"

DEADLINE_ACK = "inquiry_ack"
DEADLINE_TRIAGE = "inquiry_triage"
DEADLINE_ANSWER = "inquiry_answer"
DEADLINE_APPROVAL = "inquiry_approval"
DEADLINE_CONTRIBUTION = "inquiry_contribution"
INQUIRY_DEADLINES = (DEADLINE_ACK, DEADLINE_TRIAGE, DEADLINE_ANSWER, DEADLINE_APPROVAL)


class InquiryError(Exception):
    """A refusal with a message for the person (nothing was changed)."""


# --- helpers ----------------------------------------------------------------------------------
def tracking_code_new(year: int | None = None) -> str:
    year = year or timezone.localdate().year
    return f"HD-{year}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def secret_hash(value: str) -> str:
    """A keyed hash (never the raw IP or e-mail) for rate limits and the block log."""
    return hmac.new(settings.SECRET_KEY.encode(), (value or "").strip().lower().encode(), hashlib.sha256).hexdigest()


def _both(msgid: str, **params: Any) -> tuple[str, str]:
    """The Vietnamese and English text of one message (deadline titles are stored in both)."""
    out = []
    for lang in ("vi", "en"):
        with translation.override(lang):
            out.append(_(msgid) % params)
    return out[0], out[1]


def _national() -> Point:
    return Point.objects.get(level=Point.Level.NATIONAL)


def _path(name: str, language: str = "vi", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"inquiries:{name}", kwargs=kwargs)


def track_url(inquiry: Inquiry, language: str | None = None) -> str:
    return settings.SITE_URL + _path("track_secret", language or inquiry.language, secret=inquiry.secret)


def _point_recipients(point: Point) -> list[tuple[str, str]]:
    staff = list(User.objects.filter(point=point, is_active=True).values_list("email", "language"))
    if staff:
        return staff
    return [(point.email, "vi")] if point.email else []


def _tell_point(point: Point, template: str, inquiry: Inquiry, **extra: Any) -> None:
    for to, language in _point_recipients(point):
        email_enqueue(
            to=to,
            template=template,
            language=language,
            context={
                "inquiry": inquiry,
                "point": point,
                "url": settings.SITE_URL + _path("detail", language, code=inquiry.code),
                **extra,
            },
        )


def _tell_asker(inquiry: Inquiry, template: str, **extra: Any) -> None:
    if not inquiry.email or inquiry.personal_data_erased_at:
        return
    email_enqueue(
        to=inquiry.email,
        template=template,
        language=inquiry.language,
        context={"inquiry": inquiry, "track_url": track_url(inquiry), **extra},
    )


def _lock(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update(of=("self",)).get(pk=inquiry.pk)


def _check(inquiry: Inquiry, to_state: str) -> None:
    if to_state not in Inquiry.TRANSITIONS[inquiry.state]:
        raise InquiryError(
            _("This cannot be done while the enquiry is “%(state)s”.") % {"state": inquiry.get_state_display()}
        )


def _move(
    inquiry: Inquiry, to_state: str, *, actor: User | None, verb: str, note: str = "", fields: Iterable[str] = ()
) -> None:
    _check(inquiry, to_state)
    old = inquiry.state
    inquiry.state = to_state
    inquiry.save(update_fields=["state", *fields])
    event_record(obj=inquiry, actor=actor, verb=verb, from_state=old, to_state=to_state, note=note, point=inquiry.point)


class FileGuard:
    """Files written during a transaction, removed again if the transaction fails."""

    def __init__(self) -> None:
        self.written: list[Any] = []

    def __enter__(self) -> FileGuard:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            for stored in self.written:
                delete_stored(stored)


def _save_files(
    inquiry: Inquiry,
    files: list[CheckedFile],
    *,
    kind: str,
    actor: User | None,
    guard: FileGuard,
    message: Message | None = None,
) -> list[Attachment]:
    saved = []
    for checked in files:
        attachment = Attachment(
            inquiry=inquiry,
            message=message,
            kind=kind,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        checked.upload.seek(0)
        attachment.file.save(storage_name(f"inquiries/{kind}", checked.extension), File(checked.upload), save=False)
        guard.written.append(attachment.file)
        attachment.save()
        saved.append(attachment)
    return saved


def answer_days(asker_type: str) -> int:
    return int(settings.INQUIRY_ANSWER_WORKING_DAYS_BY_TYPE.get(asker_type, settings.INQUIRY_ANSWER_WORKING_DAYS))


def _close_all_deadlines(inquiry: Inquiry, actor: User | None) -> None:
    for kind in INQUIRY_DEADLINES:
        deadline_close(obj=inquiry, kind=kind, actor=actor)
    for contribution in inquiry.contributions.all():
        deadline_close(obj=contribution, kind=DEADLINE_CONTRIBUTION, actor=actor)


# --- submitting -------------------------------------------------------------------------------
@dataclass
class Submission:
    """What the public form collected (validated)."""

    name: str
    email: str
    asker_type: str
    subject: str
    question: str
    language: str
    consent_version: str
    organisation: str = ""
    phone: str = ""
    province: Any = None
    notification_symbol: str = ""
    hs_codes: list[HSCode] = field(default_factory=list)
    markets: list[WTOMember] = field(default_factory=list)


def rate_limit_reason(*, ip_hash: str, email: str) -> str | None:
    """Which limit a new submission would break (None when it may go ahead).

    The counts stop at the limit (``[:limit].count()``): a flood from one address costs the same
    small query as a normal day.
    """
    now = timezone.now()
    window = now - timedelta(minutes=settings.INQUIRY_RATE_IP_WINDOW_MINUTES)
    per_ip, per_email = settings.INQUIRY_RATE_PER_IP, settings.INQUIRY_RATE_PER_EMAIL_DAY
    if ip_hash and Inquiry.objects.filter(ip_hash=ip_hash, created_at__gte=window)[:per_ip].count() >= per_ip:
        return SubmissionBlock.Reason.IP_RATE
    recent = Inquiry.objects.filter(email=email.lower(), created_at__gte=now - timedelta(days=1))
    if email and recent[:per_email].count() >= per_email:
        return SubmissionBlock.Reason.EMAIL_RATE
    return None


def submission_block_record(
    *, reason: str, ip_hash: str = "", email: str = "", path: str = "", user_agent: str = ""
) -> SubmissionBlock:
    return SubmissionBlock.objects.create(
        reason=reason,
        ip_hash=ip_hash,
        email_hash=secret_hash(email) if email else "",
        path=path[:255],
        user_agent=user_agent[:255],
    )


def inquiry_submit(
    *, data: Submission, files: list[CheckedFile], idempotency_key: Any, user: User | None, ip_hash: str = ""
) -> tuple[Inquiry, bool]:
    """Record a new enquiry, acknowledge it at once, and open the triage deadline.

    Returns (enquiry, created). The same idempotency key (one per displayed form) always gives the
    same enquiry: a double click or a resubmitted form creates one enquiry, not two.
    """
    existing = Inquiry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    local_point = None
    if data.asker_type in Inquiry.LOCAL_TYPES and data.province is not None:
        local_point = Point.objects.filter(province=data.province, level=Point.Level.PROVINCIAL, is_active=True).first()
    try:
        with FileGuard() as guard, transaction.atomic():
            inquiry = _create(data, idempotency_key, user, ip_hash, local_point)
            # A new enquiry has no codes or markets yet: add() without set()'s read of the old ones.
            if data.hs_codes:
                inquiry.hs_codes.add(*data.hs_codes)
            if data.markets:
                inquiry.markets.add(*data.markets)
            _save_files(inquiry, files, kind=Attachment.Kind.QUESTION, actor=user, guard=guard)
            event_record(
                obj=inquiry,
                actor=user,
                verb="received",
                to_state=S.RECEIVED,
                note=inquiry.get_asker_type_display(),
                point=local_point,
            )
            national = _national()
            today = timezone.localdate()
            url = _path("detail", code=inquiry.code)
            # The acknowledgement is a duty with a deadline of "at once", fulfilled by the e-mail
            # queued here: the deadline is written done, with its "opened" and "done" events.
            _tell_asker(inquiry, "inquiry_ack")
            vi, en = _both(gettext_noop("Acknowledge enquiry %(code)s"), code=inquiry.code)
            deadline_open_done(
                obj=inquiry, kind=DEADLINE_ACK, title_vi=vi, title_en=en, point=national, due_date=today, url=url
            )
            vi, en = _both(gettext_noop("Triage enquiry %(code)s"), code=inquiry.code)
            deadline_open(
                obj=inquiry,
                kind=DEADLINE_TRIAGE,
                title_vi=vi,
                title_en=en,
                point=national,
                due_date=add_working_days(today, settings.INQUIRY_TRIAGE_WORKING_DAYS),
                url=url,
                new=True,  # the enquiry was created above: a plain insert
            )
    except IntegrityError:
        # Two identical submissions raced: the other one won, show it.
        existing = Inquiry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return inquiry, True


def _create(data: Submission, key: Any, user: User | None, ip_hash: str, local_point: Point | None) -> Inquiry:
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Inquiry.objects.create(
                    code=tracking_code_new(now.year),
                    secret=secrets.token_urlsafe(32),
                    idempotency_key=key,
                    user=user if user is not None and user.is_authenticated else None,
                    name=data.name,
                    organisation=data.organisation,
                    email=data.email.lower(),
                    phone=data.phone,
                    asker_type=data.asker_type,
                    province=data.province,
                    language=data.language,
                    consent_version=data.consent_version,
                    consent_at=now,
                    ip_hash=ip_hash,
                    subject=data.subject,
                    question=data.question,
                    notification_symbol=data.notification_symbol,
                    local_point=local_point,
                    created_at=now,
                )
        except IntegrityError:
            if Inquiry.objects.filter(idempotency_key=key).exists():
                raise
            continue  # a tracking-code collision (about 1 in 10⁹): draw again
    raise IntegrityError("could not draw a free tracking code")


# --- triage and assignment --------------------------------------------------------------------
def _set_contributors(inquiry: Inquiry, points: list[Point], actor: User | None) -> list[Point]:
    """Make the set of contributing points exactly ``points``; return the newly asked ones."""
    wanted = {p.pk: p for p in points if p.pk != inquiry.lead_point_id}
    added: list[Point] = []
    for contribution in inquiry.contributions.select_for_update(of=("self",)).select_related("point"):
        if contribution.point_id == inquiry.lead_point_id:
            continue  # the lead's own part is not a requested contribution
        if contribution.point_id in wanted:
            wanted.pop(contribution.point_id)
            if contribution.state == Contribution.State.CANCELLED:
                contribution.state = Contribution.State.REQUESTED
                contribution.save(update_fields=["state"])
                added.append(contribution.point)
        elif contribution.state != Contribution.State.CANCELLED:
            contribution.state = Contribution.State.CANCELLED
            contribution.save(update_fields=["state"])
            deadline_close(obj=contribution, kind=DEADLINE_CONTRIBUTION, actor=actor)
    for point in wanted.values():
        Contribution.objects.create(inquiry=inquiry, point=point)
        added.append(point)
    return added


def _open_work_deadlines(inquiry: Inquiry, actor: User | None) -> None:
    assert inquiry.lead_point is not None and inquiry.answer_due is not None
    url = _path("detail", code=inquiry.code)
    vi, en = _both(gettext_noop("Answer enquiry %(code)s"), code=inquiry.code)
    deadline_open(
        obj=inquiry,
        kind=DEADLINE_ANSWER,
        title_vi=vi,
        title_en=en,
        point=inquiry.lead_point,
        due_date=inquiry.answer_due,
        url=url,
        actor=actor,
    )
    due = max(subtract_working_days(inquiry.answer_due, settings.INQUIRY_CONTRIBUTION_LEAD_DAYS), timezone.localdate())
    for contribution in inquiry.contributions.filter(state=Contribution.State.REQUESTED).select_related("point"):
        vi, en = _both(gettext_noop("Contribute to the answer to enquiry %(code)s"), code=inquiry.code)
        if contribution.due_date != due:
            contribution.due_date = due
            contribution.save(update_fields=["due_date"])
        deadline_open(
            obj=contribution,
            kind=DEADLINE_CONTRIBUTION,
            title_vi=vi,
            title_en=en,
            point=contribution.point,
            due_date=due,
            url=url,
            actor=actor,
        )


def inquiry_assign(
    *, inquiry: Inquiry, actor: User, lead_point: Point, contributing_points: list[Point] | None = None, note: str = ""
) -> Inquiry:
    """Triage (if not yet done) and route: one lead point, optional contributing points.

    The answer falls due ``answer_days(asker_type)`` working days after triage; contributions two
    working days before it (INQUIRY_CONTRIBUTION_LEAD_DAYS).
    """
    contributing_points = [p for p in (contributing_points or []) if p.pk != lead_point.pk]
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.state not in (S.RECEIVED, S.TRIAGED, S.ASSIGNED, S.INFO_REQUESTED, S.INFO_RECEIVED):
            _check(inquiry, S.ASSIGNED)  # raises with the state's name
        if not lead_point.is_active:
            raise InquiryError(_("The chosen point is not active."))
        if inquiry.state == S.RECEIVED:
            inquiry.triaged_at = timezone.now()
            inquiry.answer_due = add_working_days(timezone.localdate(), answer_days(inquiry.asker_type))
            inquiry.handled_locally = bool(
                actor.point_id is not None
                and actor.point_id == inquiry.local_point_id
                and not inquiry.passed_up
                and lead_point.pk == inquiry.local_point_id
            )
            _move(
                inquiry,
                S.TRIAGED,
                actor=actor,
                verb="triaged",
                note=note,
                fields=["triaged_at", "answer_due", "handled_locally"],
            )
            deadline_close(obj=inquiry, kind=DEADLINE_TRIAGE, actor=actor)
        names = ", ".join(str(p) for p in contributing_points)
        assignment_note = str(lead_point) + (f" + {names}" if names else "")
        previous_lead = inquiry.lead_point
        inquiry.lead_point = lead_point
        if inquiry.state == S.TRIAGED:
            _move(inquiry, S.ASSIGNED, actor=actor, verb="assigned", note=assignment_note, fields=["lead_point"])
        else:
            inquiry.save(update_fields=["lead_point"])
            event_record(
                obj=inquiry,
                actor=actor,
                verb="reassigned",
                from_state=inquiry.state,
                to_state=inquiry.state,
                note=assignment_note,
                point=lead_point,
            )
        added = _set_contributors(inquiry, contributing_points, actor)
        _open_work_deadlines(inquiry, actor)
        if previous_lead != lead_point:
            _tell_point(lead_point, "inquiry_assigned", inquiry, role="lead")
        for point in added:
            _tell_point(point, "inquiry_assigned", inquiry, role="contributor")
    return inquiry


@dataclass
class BulkResult:
    done: list[Inquiry] = field(default_factory=list)
    refused: list[tuple[Inquiry, str]] = field(default_factory=list)


def inquiries_bulk_assign(
    *, inquiries: Iterable[Inquiry], actor: User, lead_point: Point, contributing_points: list[Point] | None = None
) -> BulkResult:
    """Assign several enquiries; each one independently (a refusal does not undo the others)."""
    result = BulkResult()
    for inquiry in inquiries:
        try:
            result.done.append(
                inquiry_assign(
                    inquiry=inquiry, actor=actor, lead_point=lead_point, contributing_points=contributing_points
                )
            )
        except InquiryError as exc:
            result.refused.append((inquiry, str(exc)))
    return result


def inquiry_reject(*, inquiry: Inquiry, actor: User, reason: str) -> Inquiry:
    """Spam or out of scope: the asker is told the reason."""
    if not reason.strip():
        raise InquiryError(_("Give the reason the asker will read."))
    with transaction.atomic():
        inquiry = _lock(inquiry)
        inquiry.rejection_reason = reason.strip()
        inquiry.closed_at = timezone.now()
        _move(
            inquiry,
            S.REJECTED,
            actor=actor,
            verb="rejected",
            note=inquiry.rejection_reason,
            fields=["rejection_reason", "closed_at"],
        )
        _close_all_deadlines(inquiry, actor)
        _tell_asker(inquiry, "inquiry_rejected")
    return inquiry


def inquiry_pass_up(*, inquiry: Inquiry, actor: User, note: str = "") -> Inquiry:
    """A provincial point hands an enquiry beyond local authority to the national point (Đ6.3.c)."""
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.passed_up or inquiry.local_point_id is None:
            raise InquiryError(_("This enquiry is already with the national point."))
        if inquiry.state != S.RECEIVED and not inquiry.handled_locally:
            raise InquiryError(_("Only an enquiry handled locally can be passed up."))
        old_state = inquiry.state
        inquiry.passed_up = True
        inquiry.handled_locally = False
        if old_state == S.RECEIVED:
            inquiry.save(update_fields=["passed_up", "handled_locally"])
            event_record(
                obj=inquiry,
                actor=actor,
                verb="passed_up",
                from_state=old_state,
                to_state=old_state,
                note=note,
                point=inquiry.local_point,
            )
        else:
            _check(inquiry, S.RECEIVED)
            for contribution in inquiry.contributions.exclude(state=Contribution.State.CANCELLED):
                contribution.state = Contribution.State.CANCELLED
                contribution.save(update_fields=["state"])
            _close_all_deadlines(inquiry, actor)
            inquiry.lead_point = None
            inquiry.triaged_at = None
            inquiry.answer_due = None
            _move(
                inquiry,
                S.RECEIVED,
                actor=actor,
                verb="passed_up",
                note=note,
                fields=["passed_up", "handled_locally", "lead_point", "triaged_at", "answer_due"],
            )
            vi, en = _both(gettext_noop("Triage enquiry %(code)s"), code=inquiry.code)
            deadline_open(
                obj=inquiry,
                kind=DEADLINE_TRIAGE,
                title_vi=vi,
                title_en=en,
                point=_national(),
                due_date=add_working_days(timezone.localdate(), settings.INQUIRY_TRIAGE_WORKING_DAYS),
                url=_path("detail", code=inquiry.code),
                actor=actor,
            )
        _tell_point(_national(), "inquiry_passed_up", inquiry, note=note)
    return inquiry


# --- the work on the answer -------------------------------------------------------------------
def contribution_file(*, inquiry: Inquiry, actor: User, point: Point, text: str) -> Contribution:
    """A point files (or corrects) its part of the answer; the lead may file its own part too."""
    if not text.strip():
        raise InquiryError(_("Write the contribution."))
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.state not in (S.ASSIGNED, S.INFO_REQUESTED, S.INFO_RECEIVED):
            raise InquiryError(_("Contributions are closed: the answer has been drafted."))
        contribution = Contribution.objects.select_for_update(of=("self",)).filter(inquiry=inquiry, point=point).first()
        if contribution is None:
            if point.pk != inquiry.lead_point_id:
                raise InquiryError(_("Your point was not asked to contribute to this enquiry."))
            contribution = Contribution.objects.create(inquiry=inquiry, point=point)
        if Contribution.State.SUBMITTED not in Contribution.TRANSITIONS[contribution.state]:
            raise InquiryError(_("Your point was not asked to contribute to this enquiry."))
        old = contribution.state
        contribution.state = Contribution.State.SUBMITTED
        contribution.text = text.strip()
        contribution.submitted_by = actor
        contribution.submitted_at = timezone.now()
        contribution.save(update_fields=["state", "text", "submitted_by", "submitted_at"])
        event_record(
            obj=inquiry,
            actor=actor,
            verb="contribution_filed" if old != Contribution.State.SUBMITTED else "contribution_updated",
            from_state=inquiry.state,
            to_state=inquiry.state,
            note=str(point),
            point=point,
        )
        deadline_close(obj=contribution, kind=DEADLINE_CONTRIBUTION, actor=actor)
        if inquiry.lead_point is not None and point.pk != inquiry.lead_point_id:
            _tell_point(inquiry.lead_point, "inquiry_contribution_filed", inquiry, contributor=point)
    return contribution


def inquiry_request_info(*, inquiry: Inquiry, actor: User, text: str) -> Message:
    """Ask the asker for more information; the question is shown and e-mailed to them."""
    if not text.strip():
        raise InquiryError(_("Write what information you need."))
    with transaction.atomic():
        inquiry = _lock(inquiry)
        _move(inquiry, S.INFO_REQUESTED, actor=actor, verb="info_requested")
        message = Message.objects.create(
            inquiry=inquiry, direction=Message.Direction.TO_ASKER, author=actor, text=text.strip()
        )
        _tell_asker(inquiry, "inquiry_info_requested", message=message)
    return message


def inquiry_add_info(*, inquiry: Inquiry, text: str, files: list[CheckedFile], actor: User | None = None) -> Message:
    """The asker answers a request for information (text and optional files)."""
    if not text.strip() and not files:
        raise InquiryError(_("Write the information or attach a file."))
    with FileGuard() as guard, transaction.atomic():
        inquiry = _lock(inquiry)
        _move(inquiry, S.INFO_RECEIVED, actor=actor, verb="info_received")
        message = Message.objects.create(
            inquiry=inquiry,
            direction=Message.Direction.FROM_ASKER,
            author=actor if actor is not None and actor.is_authenticated else None,
            text=text.strip(),
        )
        _save_files(inquiry, files, kind=Attachment.Kind.INFO, actor=actor, message=message, guard=guard)
        if inquiry.lead_point is not None:
            _tell_point(inquiry.lead_point, "inquiry_info_received", inquiry)
    return message


def inquiry_draft_answer(
    *, inquiry: Inquiry, actor: User, text: str, files: list[CheckedFile] | None = None
) -> Inquiry:
    """The lead point consolidates the contributions into one draft answer (Đ6.2.b)."""
    if not text.strip():
        raise InquiryError(_("Write the answer."))
    with FileGuard() as guard, transaction.atomic():
        inquiry = _lock(inquiry)
        pending = list(inquiry.contributions.filter(state=Contribution.State.REQUESTED).select_related("point"))
        if pending and inquiry.state != S.ANSWER_DRAFTED:
            raise InquiryError(
                _("Waiting for the contribution of: %(points)s.") % {"points": ", ".join(str(c.point) for c in pending)}
            )
        inquiry.answer = text.strip()
        if inquiry.state == S.ANSWER_DRAFTED:
            inquiry.save(update_fields=["answer"])
            event_record(
                obj=inquiry,
                actor=actor,
                verb="draft_updated",
                from_state=inquiry.state,
                to_state=inquiry.state,
                point=inquiry.point,
            )
        else:
            _move(inquiry, S.ANSWER_DRAFTED, actor=actor, verb="answer_drafted", fields=["answer"])
        _save_files(inquiry, files or [], kind=Attachment.Kind.ANSWER, actor=actor, guard=guard)
        deadline_close(obj=inquiry, kind=DEADLINE_ANSWER, actor=actor)
        assert inquiry.answer_due is not None
        national = _national()
        vi, en = _both(gettext_noop("Approve the answer to enquiry %(code)s"), code=inquiry.code)
        deadline_open(
            obj=inquiry,
            kind=DEADLINE_APPROVAL,
            title_vi=vi,
            title_en=en,
            point=inquiry.local_point if inquiry.handled_locally and inquiry.local_point else national,
            due_date=max(inquiry.answer_due, timezone.localdate()),
            url=_path("detail", code=inquiry.code),
            actor=actor,
        )
    return inquiry


def inquiry_return(*, inquiry: Inquiry, actor: User, note: str) -> Inquiry:
    """The approver sends the draft back to the lead point with what to change."""
    if not note.strip():
        raise InquiryError(_("Say what should be changed."))
    with transaction.atomic():
        inquiry = _lock(inquiry)
        _move(inquiry, S.ASSIGNED, actor=actor, verb="returned", note=note.strip())
        Note.objects.create(inquiry=inquiry, author=actor, point=actor.point, text=note.strip())
        deadline_close(obj=inquiry, kind=DEADLINE_APPROVAL, actor=actor)
        assert inquiry.lead_point is not None and inquiry.answer_due is not None
        vi, en = _both(gettext_noop("Answer enquiry %(code)s"), code=inquiry.code)
        deadline_open(
            obj=inquiry,
            kind=DEADLINE_ANSWER,
            title_vi=vi,
            title_en=en,
            point=inquiry.lead_point,
            due_date=max(inquiry.answer_due, timezone.localdate()),
            url=_path("detail", code=inquiry.code),
            actor=actor,
        )
        _tell_point(inquiry.lead_point, "inquiry_returned", inquiry, note=note.strip())
    return inquiry


def inquiry_approve(*, inquiry: Inquiry, actor: User) -> Inquiry:
    """Approve the consolidated answer and send it to the asker in their language."""
    with transaction.atomic():
        inquiry = _lock(inquiry)
        _move(inquiry, S.APPROVED, actor=actor, verb="approved")
        inquiry.answered_at = timezone.now()
        _move(inquiry, S.ANSWERED, actor=actor, verb="answer_sent", fields=["answered_at"])
        _close_all_deadlines(inquiry, actor)
        files = [
            (
                a.original_name,
                settings.SITE_URL + _path("track_file", inquiry.language, secret=inquiry.secret, public_id=a.public_id),
            )
            for a in inquiry.attachments.filter(kind=Attachment.Kind.ANSWER)
        ]
        _tell_asker(inquiry, "inquiry_answer", files=files)
    return inquiry


def inquiry_close(*, inquiry: Inquiry, actor: User | None) -> Inquiry:
    with transaction.atomic():
        inquiry = _lock(inquiry)
        inquiry.closed_at = timezone.now()
        _move(inquiry, S.CLOSED, actor=actor, verb="closed", fields=["closed_at"])
    return inquiry


def inquiry_autoclose(*, inquiry_id: int) -> bool:
    """Close an enquiry answered more than INQUIRY_AUTO_CLOSE_DAYS ago (False when nothing to do)."""
    limit = timezone.now() - timedelta(days=settings.INQUIRY_AUTO_CLOSE_DAYS)
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",))
            .filter(pk=inquiry_id, state=S.ANSWERED, answered_at__lte=limit)
            .first()
        )
        if inquiry is None:
            return False
        inquiry.closed_at = timezone.now()
        _move(inquiry, S.CLOSED, actor=None, verb="closed", note="auto", fields=["closed_at"])
    return True


def inquiry_withdraw(*, inquiry: Inquiry, actor: User | None = None) -> Inquiry:
    """The asker withdraws the question."""
    with transaction.atomic():
        inquiry = _lock(inquiry)
        inquiry.closed_at = timezone.now()
        _move(inquiry, S.WITHDRAWN, actor=actor, verb="withdrawn", fields=["closed_at"])
        inquiry.contributions.exclude(state=Contribution.State.CANCELLED).update(state=Contribution.State.CANCELLED)
        _close_all_deadlines(inquiry, actor)
        if inquiry.lead_point is not None:
            _tell_point(inquiry.lead_point, "inquiry_withdrawn", inquiry)
    return inquiry


def note_add(*, inquiry: Inquiry, actor: User, text: str) -> Note:
    """An internal note (never shown to the asker)."""
    if not text.strip():
        raise InquiryError(_("Write the note."))
    with transaction.atomic():
        note = Note.objects.create(inquiry=inquiry, author=actor, point=actor.point, text=text.strip())
        event_record(
            obj=inquiry,
            actor=actor,
            verb="note_added",
            from_state=inquiry.state,
            to_state=inquiry.state,
            point=actor.point,
        )
    return note


# --- personal data ----------------------------------------------------------------------------
def inquiry_request_erasure(*, inquiry: Inquiry, actor: User | None = None) -> Inquiry:
    """The asker asks for their data to be erased: at once when the enquiry is over, else when it closes."""
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.personal_data_erased_at:
            return inquiry
        if inquiry.erasure_requested_at is None:
            inquiry.erasure_requested_at = timezone.now()
            inquiry.save(update_fields=["erasure_requested_at"])
            event_record(
                obj=inquiry,
                actor=actor,
                verb="erasure_requested",
                from_state=inquiry.state,
                to_state=inquiry.state,
                point=inquiry.point,
            )
        if inquiry.state == S.ANSWERED:
            inquiry.closed_at = timezone.now()
            _move(inquiry, S.CLOSED, actor=actor, verb="closed", note="erasure", fields=["closed_at"])
    if inquiry.is_final:
        inquiry_erase_personal_data(inquiry_id=inquiry.pk)
        inquiry.refresh_from_db()
    return inquiry


def _scrub(text: str, values: list[str]) -> str:
    for value in values:
        if value and len(value) >= 3:
            text = text.replace(value, ERASED)
    return text


def inquiry_erase_personal_data(*, inquiry_id: int) -> bool:
    """Remove the asker's personal data from a finished enquiry (False when nothing to do).

    Kept: the question and answer (with the asker's name, e-mail and phone scrubbed out), the asker
    type and province (anonymous figures). Removed: name, organisation, e-mail, phone, account link,
    address hash, and the files the asker sent.
    """
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",))
            .filter(pk=inquiry_id, personal_data_erased_at__isnull=True)
            .first()
        )
        if inquiry is None or not inquiry.is_final:
            return False
        values = sorted({inquiry.name, inquiry.email, inquiry.phone, inquiry.organisation}, key=len, reverse=True)
        inquiry.subject = _scrub(inquiry.subject, values)
        inquiry.question = _scrub(inquiry.question, values)
        inquiry.answer = _scrub(inquiry.answer, values)
        inquiry.name = inquiry.organisation = inquiry.email = inquiry.phone = inquiry.ip_hash = ""
        inquiry.user = None
        inquiry.personal_data_erased_at = timezone.now()
        inquiry.save(
            update_fields=[
                "subject",
                "question",
                "answer",
                "name",
                "organisation",
                "email",
                "phone",
                "ip_hash",
                "user",
                "personal_data_erased_at",
            ]
        )
        for message in inquiry.messages.all():
            message.text = _scrub(message.text, values)
            message.save(update_fields=["text"])
        asker_files = list(inquiry.attachments.filter(kind__in=[Attachment.Kind.QUESTION, Attachment.Kind.INFO]))
        stored = [a.file for a in asker_files]
        Attachment.objects.filter(pk__in=[a.pk for a in asker_files]).delete()
        event_record(
            obj=inquiry,
            actor=None,
            verb="personal_data_erased",
            from_state=inquiry.state,
            to_state=inquiry.state,
            point=inquiry.point,
        )

        def remove_files() -> None:
            for stored_file in stored:
                delete_stored(stored_file)

        transaction.on_commit(remove_files)
    return True


def erasable_inquiry_ids(*, now: Any = None) -> list[int]:
    """Finished enquiries whose personal data are due for removal."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.INQUIRY_RETENTION_DAYS)
    return list(
        Inquiry.objects.filter(personal_data_erased_at__isnull=True, state__in=list(Inquiry.FINAL))
        .filter(Q(closed_at__lte=limit) | Q(erasure_requested_at__isnull=False))
        .values_list("pk", flat=True)
    )


def submission_blocks_purge(*, older_than_days: int) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _detail = SubmissionBlock.objects.filter(at__lt=cutoff).delete()
    return deleted


# --- FAQ --------------------------------------------------------------------------------------
def faq_publish(
    *, inquiry: Inquiry, actor: User, question_vi: str, answer_vi: str, question_en: str = "", answer_en: str = ""
) -> FAQEntry:
    """Publish an answered enquiry as a question-and-answer pair, with the asker's identity removed."""
    if not question_vi.strip() or not answer_vi.strip():
        raise InquiryError(_("The Vietnamese question and answer are required."))
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.state not in (S.ANSWERED, S.CLOSED):
            raise InquiryError(_("Only an answered enquiry can be published."))
        identity = sorted({inquiry.name, inquiry.email, inquiry.phone, inquiry.organisation}, key=len, reverse=True)
        texts = {
            k: _scrub(v.strip(), identity)
            for k, v in {
                "question_vi": question_vi,
                "question_en": question_en,
                "answer_vi": answer_vi,
                "answer_en": answer_en,
            }.items()
        }
        faq = FAQEntry.objects.filter(inquiry=inquiry).first()
        if faq is None:
            faq = FAQEntry.objects.create(inquiry=inquiry, published_by=actor, **texts)
        else:
            for key, value in texts.items():
                setattr(faq, key, value)
            faq.is_published = True
            faq.published_by = actor
            faq.save(update_fields=[*texts, "is_published", "published_by"])
        faq.hs_codes.set(inquiry.hs_codes.all())
        event_record(
            obj=inquiry,
            actor=actor,
            verb="faq_published",
            from_state=inquiry.state,
            to_state=inquiry.state,
            point=actor.point,
        )
    return faq


def faq_unpublish(*, faq: FAQEntry, actor: User) -> FAQEntry:
    with transaction.atomic():
        faq = FAQEntry.objects.select_for_update(of=("self",)).get(pk=faq.pk)
        if not faq.is_published:
            return faq
        faq.is_published = False
        faq.save(update_fields=["is_published"])
        if faq.inquiry is not None:
            event_record(
                obj=faq.inquiry,
                actor=actor,
                verb="faq_unpublished",
                from_state=faq.inquiry.state,
                to_state=faq.inquiry.state,
                point=actor.point,
            )
    return faq


def answer_due_for(asker_type: str, triaged_on: date) -> date:
    return add_working_days(triaged_on, answer_days(asker_type))
