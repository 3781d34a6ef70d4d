"""Every write of the notifications workflow: Vietnam's draft measures going out, the comments
members send on them and the replies (Đ6.1.a/b/k, Đ6.2.a/g, Đ13.3).

Each state change locks the row, checks ``TRANSITIONS``, changes it, saves with ``update_fields``
and writes an event row in the same transaction; deadlines go through ``network.deadlines`` and
e-mails through ``network.outbox`` (rows written in the same transaction, delivered after commit).
Incoming notifications (triage, impact notes, Vietnamese summaries, business input and Vietnam's
comments on partners' drafts) are in ``services_in``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network.calendar import add_working_days, roll_back, subtract_working_days
from network.deadlines import deadline_close, deadline_open
from network.events import event_record
from network.models import Point, User, WTOMember
from network.outbox import email_enqueue

from .gate import dossier_gate, followup_parent, looks_vietnamese, parent_reason
from .models import Notification, NotificationComment, NotificationDocument, SymbolCounter
from .search import notification_search_text

S = Notification.State
CS = NotificationComment.State
VNM = "VNM"
VNM_PREFIX = "G/TBT/N/VNM"


# --- errors -----------------------------------------------------------------------------------
class NotificationError(Exception):
    """A refused action; ``str(error)`` is a translated message for the user."""


class TransitionNotAllowed(NotificationError):
    pass


class GateRefused(NotificationError):
    """The quality gate refused the dossier; ``reasons`` lists why (nothing was changed)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def check_transition(obj: Notification | NotificationComment | Any, to_state: str) -> None:
    allowed = type(obj).TRANSITIONS.get(obj.state, set())
    if to_state not in allowed:
        raise TransitionNotAllowed(
            _("This cannot be done now: the record is “%(state)s”.") % {"state": obj.get_state_display()}
        )


def _lock(obj: models.Model) -> Any:
    return type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)


# --- helpers shared with services_in -----------------------------------------------------------
def require_english(text: str) -> None:
    """What goes to a partner's enquiry point is sent as it is: text written in Vietnamese is refused."""
    if looks_vietnamese(text):
        raise NotificationError(
            _(
                "The text is written in Vietnamese. It goes to the partner's enquiry point as it is: write it in "
                "English (names without Vietnamese accents)."
            )
        )


def national_point() -> Point:
    return Point.objects.get(level=Point.Level.NATIONAL)


def point_recipients(point: Point) -> list[tuple[str, str]]:
    """(e-mail, language) of the point's active officers, else the point's own address."""
    staff = list(User.objects.filter(point=point, is_active=True).values_list("email", "language"))
    if staff:
        return staff
    return [(point.email, "vi")] if point.email else []


def path_of(name: str, **kwargs: Any) -> str:
    """A language-neutral (Vietnamese, unprefixed) path, as deadlines and e-mails keep."""
    with translation.override("vi"):
        return reverse(f"notifications:{name}", kwargs=kwargs)


def email_point(point: Point, template: str, context: dict[str, Any]) -> int:
    """One e-mail per officer of ``point`` (in their language); returns how many were queued."""
    sent = 0
    for to, language in point_recipients(point):
        email_enqueue(to=to, template=template, context={**context, "point": point}, language=language)
        sent += 1
    return sent


def open_deadline(
    *, obj: models.Model, kind: str, point: Point, due: date, title_vi: str, title_en: str, url: str, actor: User | None
) -> None:
    deadline_open(
        obj=obj,
        kind=kind,
        title_vi=title_vi[:255],
        title_en=title_en[:255],
        point=point,
        due_date=due,
        url=url,
        actor=actor,
    )


def refresh_search_text(n: Notification) -> None:
    n.search_text = notification_search_text(n)


def _label(n: Notification) -> str:
    return n.symbol or (n.title or "")[:120] or str(n.public_id)


# --- dossiers: create and edit -----------------------------------------------------------------
DOSSIER_FIELDS = (
    "followup_kind",
    "followup_of_symbol",
    "addendum_reason",
    "local_government",
    "agency_responsible",
    "comment_body",
    "articles",
    "products_text",
    "hs_codes",
    "ics_codes",
    "title",
    "pages",
    "languages",
    "description",
    "objectives",
    "rationale",
    "relevant_documents",
    "related_symbols",
    "proposed_adoption_date",
    "proposed_adoption_text",
    "entry_into_force_date",
    "entry_into_force_text",
    "is_urgent",
    "planned_distribution_date",
    "comment_deadline",
    "texts_available",
    "document_link",
)


def _apply(n: Notification, data: dict[str, Any]) -> list[str]:
    changed: list[str] = []
    for name in DOSSIER_FIELDS:
        if name in data:
            value = data[name]
            if value is None and name not in (
                "proposed_adoption_date",
                "entry_into_force_date",
                "planned_distribution_date",
                "comment_deadline",
            ):
                value = [] if isinstance(getattr(n, name), list) else ""
            if getattr(n, name) != value:
                setattr(n, name, value)
                changed.append(name)
    parent = followup_parent(n)
    if n.parent_id != (parent.pk if parent else None):
        n.parent = parent
        changed.append("parent")
    return changed


def dossier_create(*, actor: User, point: Point, data: dict[str, Any]) -> Notification:
    """A ministry point starts a draft measure dossier (state DRAFT)."""
    with transaction.atomic():
        n = Notification(
            direction=Notification.Direction.OUT,
            source=Notification.Source.WTO,
            state=S.DRAFT,
            point=point,
            member=WTOMember.objects.filter(code=VNM).first(),
            created_by=actor,
        )
        _apply(n, data)
        refresh_search_text(n)
        n.save()
        event_record(obj=n, actor=actor, verb="dossier_created", to_state=n.state, point=point)
    return n


def dossier_update(*, notification: Notification, actor: User, data: dict[str, Any]) -> Notification:
    """The ministry edits its dossier while it is with the ministry (draft or returned)."""
    with transaction.atomic():
        n = _lock(notification)
        if n.state not in Notification.EDITABLE_STATES:
            raise TransitionNotAllowed(_("The dossier is with the national point and cannot be changed now."))
        changed = _apply(n, data)
        if changed:
            refresh_search_text(n)
            n.save(update_fields=[*changed, "search_text", "updated_at"])
            event_record(
                obj=n,
                actor=actor,
                verb="dossier_edited",
                from_state=n.state,
                to_state=n.state,
                note=", ".join(changed),
                point=n.point,
            )
    return n


# --- dossiers: the review cycle ----------------------------------------------------------------
def _titles(vi: str, en: str, n: Notification) -> tuple[str, str]:
    label = _label(n)
    return f"{vi}: {label}", f"{en}: {label}"


def dossier_submit(*, notification: Notification, actor: User) -> Notification:
    """Send the dossier to the national point, if it passes the quality gate (else ``GateRefused``,
    nothing changed)."""
    with transaction.atomic():
        n = _lock(notification)
        check_transition(n, S.SUBMITTED)
        reasons = dossier_gate(n)
        if reasons:
            raise GateRefused(reasons)
        old = n.state
        n.state = S.SUBMITTED
        n.submitted_at = timezone.now()
        n.save(update_fields=["state", "submitted_at", "updated_at"])
        event_record(obj=n, actor=actor, verb="dossier_submitted", from_state=old, to_state=n.state, point=n.point)
        deadline_close(obj=n, kind="dossier_fix", actor=actor)
        national = national_point()
        vi, en = _titles("Xem xét hồ sơ dự thảo", "Review the draft measure dossier", n)
        open_deadline(
            obj=n,
            kind="dossier_review",
            point=national,
            title_vi=vi,
            title_en=en,
            actor=actor,
            due=add_working_days(timezone.localdate(), settings.NOTIFICATION_REVIEW_WORKING_DAYS),
            url=path_of("detail", public_id=n.public_id),
        )
        email_point(
            national,
            "notification_dossier_submitted",
            {"notification": n, "url": settings.SITE_URL + path_of("detail", public_id=n.public_id)},
        )
    return n


def dossier_return(*, notification: Notification, actor: User, remarks: str) -> Notification:
    """The national point returns the dossier to the ministry with remarks."""
    if not remarks.strip():
        raise NotificationError(_("Write the remarks the ministry must address."))
    with transaction.atomic():
        n = _lock(notification)
        check_transition(n, S.RETURNED)
        old = n.state
        n.state = S.RETURNED
        n.review_remarks = remarks.strip()
        n.save(update_fields=["state", "review_remarks", "updated_at"])
        event_record(
            obj=n,
            actor=actor,
            verb="dossier_returned",
            from_state=old,
            to_state=n.state,
            note=n.review_remarks,
            point=n.point,
        )
        deadline_close(obj=n, kind="dossier_review", actor=actor)
        deadline_close(obj=n, kind="dossier_notify", actor=actor)
        assert n.point is not None
        vi, en = _titles("Sửa và gửi lại hồ sơ", "Fix and resubmit the dossier", n)
        open_deadline(
            obj=n,
            kind="dossier_fix",
            point=n.point,
            title_vi=vi,
            title_en=en,
            actor=actor,
            due=add_working_days(timezone.localdate(), settings.NOTIFICATION_REVIEW_WORKING_DAYS),
            url=path_of("dossier_edit", public_id=n.public_id),
        )
        email_point(
            n.point,
            "notification_dossier_returned",
            {
                "notification": n,
                "remarks": n.review_remarks,
                "url": settings.SITE_URL + path_of("dossier_edit", public_id=n.public_id),
            },
        )
    return n


def dossier_accept(*, notification: Notification, actor: User, note: str = "") -> Notification:
    """The national point accepts the dossier for notification."""
    with transaction.atomic():
        n = _lock(notification)
        check_transition(n, S.ACCEPTED)
        old = n.state
        n.state = S.ACCEPTED
        n.save(update_fields=["state", "updated_at"])
        event_record(
            obj=n, actor=actor, verb="dossier_accepted", from_state=old, to_state=n.state, note=note, point=n.point
        )
        deadline_close(obj=n, kind="dossier_review", actor=actor)
        vi, en = _titles("Thông báo cho WTO", "Notify the WTO", n)
        open_deadline(
            obj=n,
            kind="dossier_notify",
            point=national_point(),
            title_vi=vi,
            title_en=en,
            actor=actor,
            due=add_working_days(timezone.localdate(), settings.NOTIFICATION_REVIEW_WORKING_DAYS),
            url=path_of("dossier_notify", public_id=n.public_id),
        )
        assert n.point is not None
        email_point(
            n.point,
            "notification_dossier_accepted",
            {"notification": n, "url": settings.SITE_URL + path_of("detail", public_id=n.public_id)},
        )
    return n


# --- symbols ----------------------------------------------------------------------------------
_NUMBER = re.compile(r"^(\d+)$")


def _highest_number(prefix: str) -> int:
    """The highest ``<prefix>/<n>`` among existing notifications (e.g. imported from ePing)."""
    highest = 0
    for symbol in Notification.objects.filter(symbol__startswith=prefix + "/").values_list("symbol", flat=True):
        match = _NUMBER.match((symbol or "")[len(prefix) + 1 :])
        if match:
            highest = max(highest, int(match.group(1)))
    return highest


def symbol_next(prefix: str = VNM_PREFIX) -> str:
    """The next ``G/TBT/N/VNM/<n>``: the counter row is locked (``select_for_update``) for the rest
    of the caller's transaction, so concurrent callers queue; n = max(counter, existing) + 1."""
    with transaction.atomic():
        counter = SymbolCounter.objects.select_for_update(of=("self",)).filter(prefix=prefix).first()
        if counter is None:
            try:
                with transaction.atomic():
                    SymbolCounter.objects.create(prefix=prefix, last_number=0)
            except IntegrityError:
                pass  # created by a concurrent caller: lock theirs
            counter = SymbolCounter.objects.select_for_update(of=("self",)).get(prefix=prefix)
        number = max(counter.last_number, _highest_number(prefix)) + 1
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    return f"{prefix}/{number}"


FOLLOWUP_LABEL = {
    Notification.FollowUp.ADDENDUM: "Add",
    Notification.FollowUp.CORRIGENDUM: "Corr",
    Notification.FollowUp.REVISION: "Rev",
}


def followup_symbol(parent: Notification, kind: str) -> tuple[str, int]:
    """``<parent>/Add.<k>`` (Corr., Rev.) with k one more than the parent's highest of that kind.
    The caller holds the parent's row lock."""
    label = FOLLOWUP_LABEL[Notification.FollowUp(kind)]
    symbols = Notification.objects.filter(symbol__startswith=f"{parent.symbol}/{label}.").values_list(
        "symbol", flat=True
    )
    suffixes = [(s or "").rsplit(".", 1)[-1] for s in symbols]
    used = [int(x) for x in suffixes if x.isdigit()]
    number = max(used, default=0) + 1
    return f"{parent.symbol}/{label}.{number}", number


def dossier_notify(
    *, notification: Notification, actor: User, distribution_date: date, comment_deadline: date | None = None
) -> Notification:
    """Notify the WTO: assign the symbol, record the distribution date, keep (or extend to the
    minimum) the final date for comments, and queue the notification form PDF."""
    for attempt in range(3):
        try:
            return _notify_once(
                notification=notification,
                actor=actor,
                distribution_date=distribution_date,
                comment_deadline=comment_deadline,
            )
        except IntegrityError:
            # Only a symbol taken outside the counter (e.g. an import racing us) gets here: retry.
            if attempt == 2:
                raise NotificationError(_("The symbol could not be assigned; please try again.")) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _notify_once(
    *, notification: Notification, actor: User, distribution_date: date, comment_deadline: date | None
) -> Notification:
    with transaction.atomic():
        n = _lock(notification)
        check_transition(n, S.NOTIFIED)
        if n.followup_kind:
            if n.parent_id is None:
                raise NotificationError(_("The notification this one follows up is unknown."))
            parent = Notification.objects.select_for_update(of=("self",)).get(pk=n.parent_id)
            if not parent.symbol:
                raise NotificationError(_("The notification this one follows up has no symbol yet."))
            refusal = parent_reason(n, parent)
            if refusal:
                raise NotificationError(refusal)
            n.symbol, n.followup_number = followup_symbol(parent, n.followup_kind)
        else:
            n.symbol = symbol_next(VNM_PREFIX)
        old = n.state
        n.state = S.NOTIFIED
        n.distribution_date = distribution_date
        n.notified_at = timezone.now()
        if n.followup_kind in ("", Notification.FollowUp.REVISION):
            minimum = distribution_date + timedelta(days=settings.NOTIFICATION_MIN_COMMENT_DAYS)
            n.comment_deadline = max(comment_deadline or n.comment_deadline or minimum, minimum)
        elif comment_deadline is not None:
            n.comment_deadline = comment_deadline
        refresh_search_text(n)
        n.save(
            update_fields=[
                "symbol",
                "followup_number",
                "state",
                "distribution_date",
                "notified_at",
                "comment_deadline",
                "search_text",
                "updated_at",
            ]
        )
        event_record(
            obj=n,
            actor=actor,
            verb="dossier_notified",
            from_state=old,
            to_state=n.state,
            note=n.symbol or "",
            point=n.point,
        )
        deadline_close(obj=n, kind="dossier_notify", actor=actor)
        if n.point is not None:
            email_point(
                n.point,
                "notification_dossier_notified",
                {"notification": n, "url": settings.SITE_URL + path_of("detail", public_id=n.public_id)},
            )
        from .tasks import notification_form_pdf

        notification_id = n.pk
        transaction.on_commit(lambda: notification_form_pdf.delay(notification_id), robust=True)
    return n


# --- documents --------------------------------------------------------------------------------
def document_add(
    *,
    notification: Notification,
    actor: User | None,
    kind: str,
    title: str,
    language: str = "",
    file: UploadedFile | None = None,
    link: str = "",
    comment: NotificationComment | None = None,
) -> NotificationDocument:
    if file is None and not link:
        raise NotificationError(_("Attach a file or give a link."))
    with transaction.atomic():
        doc = NotificationDocument(
            notification=notification,
            comment=comment,
            kind=kind,
            title=title[:255],
            language=language,
            link=link,
            uploaded_by=actor,
        )
        if file is not None:
            doc.original_name = (file.name or "")[:255]
            doc.file.save(file.name or "document", file, save=False)
        doc.save()
        event_record(
            obj=notification,
            actor=actor,
            verb="document_added",
            note=f"{doc.get_kind_display()}: {title}",
            from_state=notification.state,
            to_state=notification.state,
            point=notification.point,
        )
    return doc


# --- comments from members on Vietnam's notifications (Đ6.1.k, Đ6.2.g) ------------------------
def comment_record(
    *,
    notification: Notification,
    actor: User,
    member: WTOMember | None,
    received_on: date,
    text: str,
    reply_to_email: str = "",
    kind: str = NotificationComment.Kind.COMMENT,
    files: Iterable[UploadedFile] = (),
) -> NotificationComment:
    """The national point records a member's comment on a notified Vietnamese measure."""
    if received_on > timezone.localdate():
        raise NotificationError(_("The date the comment was received cannot be later than today."))
    with transaction.atomic():
        n = _lock(notification)
        if n.direction != Notification.Direction.OUT or n.state != S.NOTIFIED:
            raise NotificationError(_("Comments are recorded on notified Vietnamese measures only."))
        comment = NotificationComment.objects.create(
            notification=n,
            direction=NotificationComment.Direction.RECEIVED,
            kind=kind,
            member=member,
            received_on=received_on,
            text=text,
            reply_to_email=reply_to_email,
            state=CS.RECEIVED,
            created_by=actor,
        )
        event_record(
            obj=comment,
            actor=actor,
            verb="comment_received",
            to_state=comment.state,
            note=str(member or ""),
            point=national_point(),
        )
        for upload in files:
            document_add(
                notification=n,
                actor=actor,
                kind=NotificationDocument.Kind.COMMENT_FILE,
                title=upload.name or "file",
                file=upload,
                comment=comment,
            )
        vi, en = _titles("Chuyển góp ý cho điểm cấp bộ", "Route the comment to the ministry point", n)
        open_deadline(
            obj=comment,
            kind="comment_route",
            point=national_point(),
            title_vi=vi,
            title_en=en,
            actor=actor,
            url=path_of("comment", public_id=comment.public_id),
            due=add_working_days(timezone.localdate(), settings.NOTIFICATION_FORWARD_WORKING_DAYS),
        )
    return comment


def comment_default_reply_due(comment: NotificationComment, today: date | None = None) -> date:
    """NOTIFICATION_REPLY_DAYS_BEFORE_END working days before the final date for comments, or
    NOTIFICATION_REPLY_WORKING_DAYS from today when that is too close (or unknown)."""
    today = today or timezone.localdate()
    fallback = add_working_days(today, settings.NOTIFICATION_REPLY_WORKING_DAYS)
    deadline = comment.notification.comment_deadline
    if deadline is None:
        return fallback
    before_end = subtract_working_days(roll_back(deadline), settings.NOTIFICATION_REPLY_DAYS_BEFORE_END)
    return before_end if before_end > add_working_days(today, 1) else fallback


def comment_route(*, comment: NotificationComment, actor: User, point: Point, reply_due: date) -> NotificationComment:
    """Send the comment to the ministry point that drafts the reply, with the reply's due date."""
    if point.level != Point.Level.MINISTRY:
        raise NotificationError(_("Choose a ministry point."))
    if reply_due < timezone.localdate():
        raise NotificationError(_("The reply cannot be due in the past."))
    with transaction.atomic():
        c = _lock(comment)
        check_transition(c, CS.ROUTED)
        old = c.state
        c.state, c.point, c.reply_due = CS.ROUTED, point, reply_due
        c.save(update_fields=["state", "point", "reply_due"])
        event_record(
            obj=c, actor=actor, verb="comment_routed", from_state=old, to_state=c.state, note=str(point), point=point
        )
        deadline_close(obj=c, kind="comment_route", actor=actor)
        vi, en = _titles("Dự thảo trả lời góp ý", "Draft the reply to the comment", c.notification)
        url = path_of("comment", public_id=c.public_id)
        open_deadline(
            obj=c, kind="comment_reply", point=point, due=reply_due, title_vi=vi, title_en=en, url=url, actor=actor
        )
        email_point(
            point,
            "notification_comment_routed",
            {"comment": c, "notification": c.notification, "url": settings.SITE_URL + url},
        )
    return c


def comment_reply_draft(*, comment: NotificationComment, actor: User, reply_text: str) -> NotificationComment:
    """The ministry point drafts the reply; it goes to the national point to be sent."""
    if not reply_text.strip():
        raise NotificationError(_("Write the reply."))
    with transaction.atomic():
        c = _lock(comment)
        check_transition(c, CS.REPLY_DRAFTED)
        old = c.state
        c.state, c.reply_text = CS.REPLY_DRAFTED, reply_text.strip()
        c.save(update_fields=["state", "reply_text"])
        event_record(obj=c, actor=actor, verb="comment_reply_drafted", from_state=old, to_state=c.state, point=c.point)
        deadline_close(obj=c, kind="comment_reply", actor=actor)
        national = national_point()
        url = path_of("comment", public_id=c.public_id)
        vi, en = _titles("Gửi trả lời góp ý", "Send the reply to the comment", c.notification)
        due = min(
            add_working_days(timezone.localdate(), settings.NOTIFICATION_REVIEW_WORKING_DAYS),
            max(c.reply_due or timezone.localdate(), add_working_days(timezone.localdate(), 1)),
        )
        open_deadline(
            obj=c, kind="comment_send", point=national, due=due, title_vi=vi, title_en=en, url=url, actor=actor
        )
        email_point(
            national,
            "notification_comment_reply_drafted",
            {"comment": c, "notification": c.notification, "url": settings.SITE_URL + url},
        )
    return c


def comment_reply_return(*, comment: NotificationComment, actor: User, remarks: str) -> NotificationComment:
    """The national point sends the drafted reply back to the ministry with remarks."""
    if not remarks.strip():
        raise NotificationError(_("Write the remarks the ministry must address."))
    with transaction.atomic():
        c = _lock(comment)
        check_transition(c, CS.ROUTED)
        old = c.state
        c.state, c.remarks = CS.ROUTED, remarks.strip()
        c.save(update_fields=["state", "remarks"])
        event_record(
            obj=c,
            actor=actor,
            verb="comment_reply_returned",
            from_state=old,
            to_state=c.state,
            note=c.remarks,
            point=c.point,
        )
        deadline_close(obj=c, kind="comment_send", actor=actor)
        assert c.point is not None
        url = path_of("comment", public_id=c.public_id)
        vi, en = _titles("Dự thảo trả lời góp ý", "Draft the reply to the comment", c.notification)
        due = max(c.reply_due or timezone.localdate(), add_working_days(timezone.localdate(), 1))
        open_deadline(
            obj=c, kind="comment_reply", point=c.point, due=due, title_vi=vi, title_en=en, url=url, actor=actor
        )
        email_point(
            c.point,
            "notification_comment_reply_returned",
            {"comment": c, "notification": c.notification, "remarks": c.remarks, "url": settings.SITE_URL + url},
        )
    return c


def comment_reply_send(*, comment: NotificationComment, actor: User, reply_text: str = "") -> NotificationComment:
    """The national point approves and sends the reply (by e-mail to the member's enquiry point
    when its address is known)."""
    with transaction.atomic():
        c = _lock(comment)
        check_transition(c, CS.REPLIED)
        old = c.state
        if reply_text.strip():
            c.reply_text = reply_text.strip()
        if c.reply_to_email:
            require_english(c.reply_text)
        c.state, c.reply_sent_at = CS.REPLIED, timezone.now()
        c.save(update_fields=["state", "reply_text", "reply_sent_at"])
        note = c.reply_to_email or ""
        event_record(
            obj=c,
            actor=actor,
            verb="comment_replied",
            from_state=old,
            to_state=c.state,
            note=note,
            point=national_point(),
        )
        deadline_close(obj=c, kind="comment_send", actor=actor)
        if c.reply_to_email:
            email_enqueue(
                to=c.reply_to_email,
                template="notification_comment_reply",
                language="en",
                context={"comment": c, "notification": c.notification},
                reply_to=national_point().email,
            )
        if c.point is not None:
            email_point(
                c.point,
                "notification_comment_replied",
                {
                    "comment": c,
                    "notification": c.notification,
                    "url": settings.SITE_URL + path_of("comment", public_id=c.public_id),
                },
            )
    return c
