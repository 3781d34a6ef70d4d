"""WTO TBT notifications (the domain object, not e-mail): Vietnam's drafts going out, partners'
measures coming in (WTO and other systems such as EU TRIS), comments both ways, business inputs.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

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

    class Article(models.TextChoices):
        A_2_9_2 = "2.9.2", "2.9.2"
        A_2_10_1 = "2.10.1", _("2.10.1 (urgent)")
        A_5_6_2 = "5.6.2", "5.6.2"
        A_5_7_1 = "5.7.1", _("5.7.1 (urgent)")
        A_3_2 = "3.2", "3.2"
        A_7_2 = "7.2", "7.2"
        OTHER = "other", _("other")

    URGENT_ARTICLES = ("2.10.1", "5.7.1")

    class Objective(models.TextChoices):
        # The WTO list of objectives used in notifications (ePing / TBT IMS).
        CONSUMER_INFORMATION = "consumer_information", _("Consumer information, labelling")
        DECEPTIVE_PRACTICES = "deceptive_practices", _("Prevention of deceptive practices and consumer protection")
        HUMAN_HEALTH = "human_health", _("Protection of human health or safety")
        ANIMAL_PLANT = "animal_plant", _("Protection of animal or plant life or health")
        ENVIRONMENT = "environment", _("Protection of the environment")
        QUALITY = "quality", _("Quality requirements")
        HARMONIZATION = "harmonization", _("Harmonization")
        NATIONAL_SECURITY = "national_security", _("National security requirements")
        TRADE_FACILITATION = "trade_facilitation", _("Reducing trade barriers and facilitating trade")
        COST_SAVING = "cost_saving", _("Cost saving and productivity enhancement")
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

    # Allowed state changes, enforced by notifications.services (never only in templates).
    TRANSITIONS: dict[str, set[str]] = {
        State.DRAFT: {State.SUBMITTED},
        State.SUBMITTED: {State.RETURNED, State.ACCEPTED},
        State.RETURNED: {State.SUBMITTED},
        State.ACCEPTED: {State.NOTIFIED, State.RETURNED},
        State.NOTIFIED: set(),
        State.RECEIVED: {State.RELEVANT, State.NOT_RELEVANT},
        State.NOT_RELEVANT: {State.RELEVANT},
        State.RELEVANT: {State.ANALYSED},
        State.ANALYSED: {State.RELEVANT},
    }
    OUT_STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED, State.ACCEPTED, State.NOTIFIED)
    # A ministry point may change its dossier only while it is with the ministry.
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, db_index=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.WTO, db_index=True)
    external_id = models.CharField(_("identifier in the source system"), max_length=80, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=60, null=True, blank=True, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("notification followed up"),
    )
    followup_kind = models.CharField(
        _("follow-up type"), max_length=4, choices=FollowUp.choices, blank=True, default=""
    )
    followup_number = models.PositiveSmallIntegerField(null=True, blank=True)
    addendum_reason = models.CharField(
        _("reason of the addendum"), max_length=16, choices=AddendumReason.choices, blank=True, default=""
    )
    member = models.ForeignKey(
        WTOMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("notifying member"),
    )
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
    planned_distribution_date = models.DateField(
        _("planned date of distribution"),
        null=True,
        blank=True,
        help_text=_("When the ministry expects the WTO to circulate it; the comment period is counted from this date."),
    )
    followup_of_symbol = models.CharField(_("symbol of the notification followed up"), max_length=60, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    # Vietnamese title and summary of a foreign notification, written or corrected by an official.
    title_vi = models.TextField(_("title (Vietnamese)"), blank=True)
    summary_vi = models.TextField(_("summary (Vietnamese)"), blank=True)
    vi_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vi_verified_at = models.DateTimeField(null=True, blank=True)
    # Workflow
    state = models.CharField(_("state"), max_length=14, choices=State.choices, db_index=True)
    point = models.ForeignKey(
        Point,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("responsible ministry point"),
        help_text="Outgoing: the ministry point that filed the draft.",
    )
    analysing_points = models.ManyToManyField(
        Point, blank=True, related_name="analysed_notifications", verbose_name=_("points analysing it")
    )
    review_remarks = models.TextField(_("remarks of the national point"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    triage_note = models.TextField(_("triage note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Diacritic-free, lower-case text for the SQLite search path and trigram matching.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-distribution_date", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~Q(external_id=""), name="notification_unique_external_id"
            ),
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

    @property
    def is_outgoing(self) -> bool:
        return self.direction == self.Direction.OUT

    @property
    def is_public(self) -> bool:
        """Partners' notifications and notified Vietnamese ones are public; drafts are not."""
        return self.direction == self.Direction.IN or self.state == self.State.NOTIFIED

    @property
    def input_cutoff(self) -> date | None:
        """The internal cut-off for business input: the partner's final date for comments minus
        NOTIFICATION_INPUT_CUTOFF_DAYS, so that the national point can consolidate in time."""
        if self.comment_deadline is None:
            return None
        return self.comment_deadline - timedelta(days=settings.NOTIFICATION_INPUT_CUTOFF_DAYS)

    def input_open(self, today: date | None = None) -> bool:
        cutoff = self.input_cutoff
        if self.direction != self.Direction.IN or cutoff is None:
            return False
        return (today or timezone.localdate()) <= cutoff

    @property
    def vi_verified(self) -> bool:
        return self.vi_verified_at is not None


class NotificationDocument(models.Model):
    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft text")
        ADOPTED = "adopted", _("Adopted text")
        TRANSLATION = "translation", _("Translation")
        AMENDMENT = "amendment", _("Amendment")
        AGREEMENT = "agreement", _("Bilateral or multilateral TBT agreement")
        FORM = "form", _("Notification form (WTO layout)")
        COMMENT_FILE = "comment", _("File of a comment")
        OTHER = "other", _("Other document")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="documents")
    comment = models.ForeignKey(
        "NotificationComment", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=255)
    language = models.CharField(max_length=20, blank=True)
    file = models.FileField(upload_to="notifications/%Y/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    link = models.URLField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            # The form PDF is produced by a task: the constraint makes a second run a no-op.
            models.UniqueConstraint(
                fields=["notification"], condition=Q(kind="form"), name="one_form_per_notification"
            ),
        ]

    def __str__(self) -> str:
        return self.title


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

    TRANSITIONS: dict[str, set[str]] = {
        # received from a member on a Vietnamese notification
        State.RECEIVED: {State.ROUTED},
        State.ROUTED: {State.REPLY_DRAFTED},
        State.REPLY_DRAFTED: {State.REPLIED, State.ROUTED},
        State.REPLIED: set(),
        # Vietnam's national comment on a partner's draft
        State.DRAFT: {State.SENT},
        State.SENT: {State.PARTNER_REPLIED},
        State.PARTNER_REPLIED: set(),
        # seen between other members (imported, e.g. TRIS): nothing to do
        State.RECORDED: set(),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="comments")
    direction = models.CharField(max_length=9, choices=Direction.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.COMMENT)
    member = models.ForeignKey(
        WTOMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    by_name = models.CharField(_("from"), max_length=120, blank=True)
    external_id = models.CharField(max_length=80, blank=True)
    received_on = models.DateField(_("date"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    point = models.ForeignKey(
        Point,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ministry point analysing it"),
    )
    reply_text = models.TextField(_("reply"), blank=True)
    reply_due = models.DateField(null=True, blank=True)
    reply_sent_at = models.DateTimeField(null=True, blank=True)
    reply_to_email = models.EmailField(_("enquiry point e-mail of the member"), blank=True)
    remarks = models.TextField(_("remarks of the national point"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    partner_reply = models.TextField(_("partner's reply"), blank=True)
    partner_replied_on = models.DateField(_("date of the partner's reply"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="comment_unique_external_id"
            ),
        ]

    def __str__(self) -> str:
        who = str(self.member) if self.member_id else (self.by_name or "")
        return f"{self.get_kind_display()} {who} ({self.notification})".strip()


class BusinessInput(models.Model):
    """A business's or association's input on an open foreign draft, before the internal cut-off."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="business_inputs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=255)
    email = models.EmailField(_("e-mail"))
    text = models.TextField(_("your input"))
    consent_version = models.CharField(max_length=20, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_in = models.ForeignKey(
        NotificationComment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs",
        verbose_name=_("national comment using it"),
    )

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def status_label(self) -> str:
        """What became of the input, in words for the business that sent it."""
        comment = self.used_in
        if comment is None:
            return str(_("Received; waiting for the national TBT point"))
        if comment.state == NotificationComment.State.DRAFT:
            return str(_("Being consolidated into Viet Nam's comment"))
        if comment.state == NotificationComment.State.PARTNER_REPLIED:
            return str(_("Used in Viet Nam's comment; the notifying member has replied"))
        return str(_("Used in Viet Nam's comment, sent to the notifying member"))


class ImpactNote(models.Model):
    """A ministry point's analysis of a partner's measure for Vietnam (Đ6.2.c): requested by the
    national point at triage, written and submitted by the ministry on its own screen."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SUBMITTED = "submitted", _("Submitted")

    class Impact(models.TextChoices):
        NONE = "none", _("No impact on Vietnamese exports")
        LOW = "low", _("Low impact")
        MEDIUM = "medium", _("Medium impact")
        HIGH = "high", _("High impact")

    class Recommendation(models.TextChoices):
        NONE = "none", _("No action needed")
        INFORM = "inform", _("Inform businesses and associations")
        COMMENT = "comment", _("Send comments on the draft")
        BILATERAL = "bilateral", _("Raise it bilaterally")
        STC = "stc", _("Raise a specific trade concern at the TBT Committee")

    TRANSITIONS: dict[str, set[str]] = {State.REQUESTED: {State.SUBMITTED}, State.SUBMITTED: set()}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="impact_notes")
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="+", verbose_name=_("ministry point"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    impact = models.CharField(_("impact"), max_length=8, choices=Impact.choices, blank=True)
    affected_exports = models.TextField(_("Vietnamese products and exports affected"), blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    recommendation = models.CharField(
        _("recommended action"), max_length=10, choices=Recommendation.choices, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "point"], name="one_impact_note_per_point"),
        ]
        verbose_name = _("impact note")
        verbose_name_plural = _("impact notes")

    def __str__(self) -> str:
        return f"{self.point} — {self.notification}"


class SymbolCounter(models.Model):
    """The last number used for a symbol series (e.g. ``G/TBT/N/VNM``): locked with
    ``select_for_update`` when the next symbol is assigned, so two officers never get the same."""

    prefix = models.CharField(max_length=40, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}/{self.last_number}"


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
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
