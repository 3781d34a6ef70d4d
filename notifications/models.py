"""WTO TBT notifications (the domain object, not e-mail): Vietnam's drafts going out, partners'
measures coming in (WTO and other systems such as EU TRIS), comments both ways, business inputs.
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

from network.models import Point, WTOMember


class Notification(models.Model):
    class Direction(models.TextChoices):
        OUT = "out", _("Vietnam's notification")
        IN = "in", _("Partner's notification")

    class Source(models.TextChoices):
        WTO = "wto", _("WTO TBT")
        TRIS = "tris", _("EU TRIS")
        OTHER = "other", _("Other system")

    class FollowUp(models.TextChoices):
        NONE = "", _("Original notification")
        ADDENDUM = "add", _("Addendum")
        CORRIGENDUM = "corr", _("Corrigendum")
        REVISION = "rev", _("Revision")

    class AddendumReason(models.TextChoices):
        NONE = "", "—"
        COMMENT_PERIOD = "comment_period", _("Comment period changed")
        ADOPTED = "adopted", _("Adopted, published or entered into force")
        WITHDRAWN = "withdrawn", _("Withdrawn or replaced")
        CONTENT = "content", _("Content or scope changed")
        GUIDANCE = "guidance", _("Interpretive guidance")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        # Outgoing dossier (a ministry point's draft measure)
        DRAFT = "draft", _("Draft dossier")
        SUBMITTED = "submitted", _("Sent to the national point")
        RETURNED = "returned", _("Returned with remarks")
        ACCEPTED = "accepted", _("Accepted for notification")
        NOTIFIED = "notified", _("Notified to the WTO")
        # Incoming (a partner's notification)
        RECEIVED = "received", _("Received")
        RELEVANT = "relevant", _("Relevant: being analysed")
        NOT_RELEVANT = "not_relevant", _("Not relevant")
        ANALYSED = "analysed", _("Analysed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, db_index=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.WTO, db_index=True)
    external_id = models.CharField(_("identifier in the source system"), max_length=80, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=60, null=True, blank=True, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups",
                               verbose_name=_("notification followed up"))
    followup_kind = models.CharField(_("follow-up type"), max_length=4, choices=FollowUp.choices, blank=True, default="")
    followup_number = models.PositiveSmallIntegerField(null=True, blank=True)
    addendum_reason = models.CharField(_("reason of the addendum"), max_length=16, choices=AddendumReason.choices,
                                       blank=True, default="")
    member = models.ForeignKey(WTOMember, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications",
                               verbose_name=_("notifying member"))
    local_government = models.CharField(_("local government"), max_length=255, blank=True)
    agency_responsible = models.TextField(_("agency responsible"), blank=True)
    comment_body = models.TextField(_("body handling comments"), blank=True)
    articles = models.JSONField(_("notified under articles"), default=list, blank=True)
    products_text = models.TextField(_("products covered"), blank=True)
    hs_codes = models.JSONField(_("HS codes"), default=list, blank=True)
    ics_codes = models.JSONField(_("ICS codes"), default=list, blank=True)
    title = models.TextField(_("title"), blank=True)
    pages = models.CharField(_("number of pages"), max_length=40, blank=True)
    languages = models.CharField(_("languages"), max_length=120, blank=True)
    description = models.TextField(_("description of content"), blank=True)
    objectives = models.JSONField(_("objectives"), default=list, blank=True)
    rationale = models.TextField(_("objective and rationale"), blank=True)
    relevant_documents = models.TextField(_("relevant documents"), blank=True)
    related_symbols = models.JSONField(_("related symbols"), default=list, blank=True)
    proposed_adoption_date = models.DateField(_("proposed date of adoption"), null=True, blank=True)
    proposed_adoption_text = models.CharField(max_length=255, blank=True)
    entry_into_force_date = models.DateField(_("proposed date of entry into force"), null=True, blank=True)
    entry_into_force_text = models.CharField(max_length=255, blank=True)
    is_urgent = models.BooleanField(_("urgent (Art. 2.10.1 / 5.7.1)"), default=False)
    comment_deadline = models.DateField(_("final date for comments"), null=True, blank=True, db_index=True)
    texts_available = models.TextField(_("texts available from"), blank=True)
    document_link = models.URLField(_("notified document link"), max_length=500, blank=True)
    distribution_date = models.DateField(_("distribution date"), null=True, blank=True, db_index=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    # Vietnamese title and summary of a foreign notification, written or corrected by an official.
    title_vi = models.TextField(_("title (Vietnamese)"), blank=True)
    summary_vi = models.TextField(_("summary (Vietnamese)"), blank=True)
    vi_verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    vi_verified_at = models.DateTimeField(null=True, blank=True)
    # Workflow
    state = models.CharField(_("state"), max_length=14, choices=State.choices, db_index=True)
    point = models.ForeignKey(Point, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications",
                              verbose_name=_("responsible ministry point"),
                              help_text="Outgoing: the ministry point that filed the draft.")
    analysing_points = models.ManyToManyField(Point, blank=True, related_name="analysed_notifications",
                                              verbose_name=_("points analysing it"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Diacritic-free, lower-case text for the SQLite search path and trigram matching.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-distribution_date", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], condition=~Q(external_id=""),
                                    name="notification_unique_external_id"),
        ]
        indexes = [
            models.Index(fields=["direction", "state"]),
            models.Index(fields=["member", "distribution_date"]),
        ]

    def __str__(self) -> str:
        return self.symbol or self.external_id or str(_("Draft notification"))

    def get_absolute_url(self) -> str:
        return reverse("notifications:detail", kwargs={"public_id": self.public_id})

    def display_title(self) -> str:
        if (get_language() or "vi")[:2] == "vi" and self.title_vi:
            return self.title_vi
        return self.title or self.title_vi


class NotificationDocument(models.Model):
    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft text")
        ADOPTED = "adopted", _("Adopted text")
        TRANSLATION = "translation", _("Translation")
        AMENDMENT = "amendment", _("Amendment")
        AGREEMENT = "agreement", _("TBT agreement")
        OTHER = "other", _("Other document")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=255)
    language = models.CharField(max_length=20, blank=True)
    file = models.FileField(upload_to="notifications/%Y/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    link = models.URLField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]


class NotificationComment(models.Model):
    """A comment on a notification: received from a member on ours (or seen on a foreign one, e.g.
    TRIS comments and detailed opinions), or sent by Vietnam on a partner's draft."""

    class Direction(models.TextChoices):
        RECEIVED = "received", _("Received")
        SENT = "sent", _("Sent by Vietnam")
        THIRD_PARTY = "third", _("Between other members")

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        DETAILED_OPINION = "opinion", _("Detailed opinion")
        STC = "stc", _("Specific trade concern")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        ROUTED = "routed", _("Sent to the ministry point for analysis")
        REPLY_DRAFTED = "reply_drafted", _("Reply drafted")
        REPLIED = "replied", _("Reply sent")
        DRAFT = "draft", _("Being prepared")
        SENT = "sent", _("Sent")
        PARTNER_REPLIED = "partner_replied", _("Partner replied")
        RECORDED = "recorded", _("Recorded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="comments")
    direction = models.CharField(max_length=9, choices=Direction.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.COMMENT)
    member = models.ForeignKey(WTOMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("member"))
    by_name = models.CharField(_("from"), max_length=120, blank=True)
    external_id = models.CharField(max_length=80, blank=True)
    received_on = models.DateField(_("date"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    point = models.ForeignKey(Point, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("ministry point analysing it"))
    reply_text = models.TextField(_("reply"), blank=True)
    reply_due = models.DateField(null=True, blank=True)
    reply_sent_at = models.DateTimeField(null=True, blank=True)
    partner_reply = models.TextField(_("partner's reply"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""),
                                    name="comment_unique_external_id"),
        ]


class BusinessInput(models.Model):
    """A business's or association's input on an open foreign draft, before the internal cut-off."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="business_inputs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=255)
    email = models.EmailField(_("e-mail"))
    text = models.TextField(_("your input"))
    consent_version = models.CharField(max_length=20, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_in = models.ForeignKey(NotificationComment, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="inputs", verbose_name=_("national comment using it"))

    class Meta:
        ordering = ["created_at", "id"]


class ImportRun(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    format = models.CharField(max_length=8)
    filenames = models.TextField(blank=True)
    upload = models.FileField(upload_to="imports/", blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
