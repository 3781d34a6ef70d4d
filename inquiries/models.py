"""Enquiries to the national enquiry point (Đ5.1, Đ6.1.a/h, Đ6.2.b, Đ6.3.a-c, Đ7.3).

An enquiry is received on the public form, triaged by the national point (or, for a Vietnamese
business, by its provincial point), assigned to one lead point with optional contributing points,
answered with one consolidated position approved by the national point, and finally closed.
Every change of state is one service in ``services.py`` that checks ``TRANSITIONS`` and writes an
event row (network.Event).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from network.models import HSCode, Point, Province, WTOMember
from network.text import fold


class Inquiry(models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRIAGED = "triaged", _("Triaged")
        ASSIGNED = "assigned", _("Assigned")
        INFO_REQUESTED = "info_requested", _("Information requested")
        INFO_RECEIVED = "info_received", _("Information received")
        ANSWER_DRAFTED = "answer_drafted", _("Answer drafted")
        APPROVED = "approved", _("Approved")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The only allowed moves; services refuse anything else. "→ RECEIVED" is a provincial point
    # passing an enquiry it handled locally up to the national point (Đ6.3.c).
    TRANSITIONS: dict[str, set[str]] = {
        State.RECEIVED: {State.TRIAGED, State.REJECTED, State.WITHDRAWN},
        State.TRIAGED: {State.ASSIGNED, State.REJECTED, State.WITHDRAWN, State.RECEIVED},
        State.ASSIGNED: {State.INFO_REQUESTED, State.ANSWER_DRAFTED, State.WITHDRAWN, State.RECEIVED},
        State.INFO_REQUESTED: {State.INFO_RECEIVED, State.WITHDRAWN, State.RECEIVED},
        State.INFO_RECEIVED: {State.INFO_REQUESTED, State.ANSWER_DRAFTED, State.WITHDRAWN, State.RECEIVED},
        State.ANSWER_DRAFTED: {State.APPROVED, State.ASSIGNED, State.WITHDRAWN},
        State.APPROVED: {State.ANSWERED},
        State.ANSWERED: {State.CLOSED},
        State.CLOSED: set(),
        State.REJECTED: set(),
        State.WITHDRAWN: set(),
    }
    FINAL = frozenset({State.CLOSED, State.REJECTED, State.WITHDRAWN})
    # States in which the lead point works on the answer.
    WORKING = frozenset({State.ASSIGNED, State.INFO_RECEIVED})

    class AskerType(models.TextChoices):
        BUSINESS = "business", _("Business")
        ASSOCIATION = "association", _("Association")
        INDIVIDUAL = "individual", _("Individual")
        WTO_MEMBER = "wto_member", _("Foreign WTO member or enquiry point")
        STATE_AGENCY = "state_agency", _("State agency")

    # Asker types that are Vietnamese businesses for the purpose of local handling (Đ6.3.b-c).
    LOCAL_TYPES = frozenset({AskerType.BUSINESS, AskerType.ASSOCIATION})

    code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    secret = models.CharField(max_length=64, unique=True, editable=False)
    idempotency_key = models.UUIDField(unique=True, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.RECEIVED, db_index=True)

    # The asker (personal data: erased after the retention period or on request).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    name = models.CharField(_("full name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    asker_type = models.CharField(_("who is asking"), max_length=16, choices=AskerType.choices)
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    language = models.CharField(_("preferred language"), max_length=2, choices=settings.LANGUAGES, default="vi")
    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField()
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)

    # The question.
    subject = models.CharField(_("subject"), max_length=255)
    question = models.TextField(_("question"))
    hs_codes = models.ManyToManyField(HSCode, blank=True, related_name="+", verbose_name=_("products (HS codes)"))
    markets = models.ManyToManyField(WTOMember, blank=True, related_name="+", verbose_name=_("markets concerned"))
    notification_symbol = models.CharField(_("related notification"), max_length=60, blank=True)

    # Routing.
    local_point = models.ForeignKey(
        Point,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The asker's provincial point, which may handle it locally.",
    )
    handled_locally = models.BooleanField(default=False)
    passed_up = models.BooleanField(default=False)
    lead_point = models.ForeignKey(Point, null=True, blank=True, on_delete=models.PROTECT, related_name="led_inquiries")

    # The answer (shown to the asker once sent) and the refusal reason (shown to the asker).
    answer = models.TextField(_("answer"), blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateField(null=True, blank=True, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    erasure_requested_at = models.DateTimeField(null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        indexes = [models.Index(fields=["ip_hash", "created_at"]), models.Index(fields=["email", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(
                    state__in=["assigned", "info_requested", "info_received", "answer_drafted", "approved", "answered"]
                )
                | Q(lead_point__isnull=False),
                name="inquiry_assigned_has_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject[:80]}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(
            " ".join(
                [
                    self.code,
                    self.subject,
                    self.question,
                    self.name,
                    self.organisation,
                    self.email,
                    self.notification_symbol,
                ]
            )
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"search_text"}  # type: ignore[call-overload]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("inquiries:detail", kwargs={"code": self.code})

    @property
    def point(self) -> Point | None:
        """The point the enquiry belongs to (for the event trail): the lead, else who triages it."""
        return self.lead_point or (self.local_point if self.handled_locally else None)

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.answer_due
            and not self.is_final
            and self.answered_at is None
            and self.answer_due < timezone.localdate()
        )

    @property
    def public_state(self) -> str:
        """What the asker is told: internal steps are shown as "being answered"."""
        return PUBLIC_STATE.get(self.state, self.state)

    def public_state_label(self) -> str:
        return str(PUBLIC_STATE_LABELS[self.public_state])


PUBLIC_STATE: dict[str, str] = {
    Inquiry.State.RECEIVED: "received",
    Inquiry.State.TRIAGED: "in_progress",
    Inquiry.State.ASSIGNED: "in_progress",
    Inquiry.State.INFO_REQUESTED: "info_requested",
    Inquiry.State.INFO_RECEIVED: "in_progress",
    Inquiry.State.ANSWER_DRAFTED: "in_progress",
    Inquiry.State.APPROVED: "in_progress",
    Inquiry.State.ANSWERED: "answered",
    Inquiry.State.CLOSED: "closed",
    Inquiry.State.REJECTED: "rejected",
    Inquiry.State.WITHDRAWN: "withdrawn",
}
PUBLIC_STATE_LABELS = {
    "received": _("Received"),
    "in_progress": _("Being answered"),
    "info_requested": _("More information needed from you"),
    "answered": _("Answered"),
    "closed": _("Closed"),
    "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
}


class Contribution(models.Model):
    """One point's part of the answer (Đ6.2.b): filed by a contributing point, read by the lead."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SUBMITTED = "submitted", _("Filed")
        CANCELLED = "cancelled", _("No longer needed")

    TRANSITIONS: dict[str, set[str]] = {
        State.REQUESTED: {State.SUBMITTED, State.CANCELLED},
        State.SUBMITTED: {State.SUBMITTED, State.CANCELLED},
        State.CANCELLED: {State.REQUESTED},
    }

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="contributions")
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="inquiry_contributions")
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    text = models.TextField(_("contribution"), blank=True)
    due_date = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "point"], name="one_contribution_per_point")]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return f"{self.inquiry.code} · {self.point.code}"


class Note(models.Model):
    """An internal note: officials only, never shown to the asker."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    point = models.ForeignKey(Point, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Message(models.Model):
    """What the asker sees besides the answer: requests for information and the asker's replies."""

    class Direction(models.TextChoices):
        TO_ASKER = "to_asker", _("Request to the asker")
        FROM_ASKER = "from_asker", _("Information from the asker")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploader's name: tbt_portal.files.storage_name gives a random one.
    return filename


class Attachment(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Attached to the question")
        INFO = "info", _("Information from the asker")
        ANSWER = "answer", _("Attached to the answer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class SubmissionBlock(models.Model):
    """A refused public submission (spam check or rate limit): every block is logged here."""

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", _("Hidden field filled in")
        TOO_FAST = "too_fast", _("Submitted faster than a person can fill the form")
        BAD_TOKEN = "bad_token", _("Form token missing or forged")
        IP_RATE = "ip_rate", _("Too many submissions from one address")
        EMAIL_RATE = "email_rate", _("Too many submissions for one e-mail address")
        TRACK_RATE = "track_rate", _("Too many failed tracking look-ups")

    reason = models.CharField(max_length=12, choices=Reason.choices, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    email_hash = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=255, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("blocked submission")
        verbose_name_plural = _("blocked submissions")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reason}"


class FAQEntry(models.Model):
    """A published question-and-answer pair, with the asker's identity removed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inquiry = models.OneToOneField(Inquiry, null=True, blank=True, on_delete=models.SET_NULL, related_name="faq")
    question_vi = models.TextField(_("question (Vietnamese)"))
    question_en = models.TextField(_("question (English)"), blank=True)
    answer_vi = models.TextField(_("answer (Vietnamese)"))
    answer_en = models.TextField(_("answer (English)"), blank=True)
    hs_codes = models.ManyToManyField(HSCode, blank=True, related_name="+")
    is_published = models.BooleanField(default=True, db_index=True)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question_vi[:80]

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(" ".join([self.question_vi, self.question_en, self.answer_vi, self.answer_en]))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"search_text"}  # type: ignore[call-overload]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("inquiries:faq_detail", kwargs={"public_id": self.public_id})

    def tr(self, field: str) -> str:
        lang = (get_language() or "vi")[:2]
        return getattr(self, f"{field}_{lang}", "") or getattr(self, f"{field}_vi", "")

    @property
    def question(self) -> str:
        return self.tr("question")

    @property
    def answer(self) -> str:
        return self.tr("answer")
