"""The TBT network: points, people, reference data, and the shared machinery every workflow uses
(event trail, deadlines with reminders, e-mail outbox, annual lists and reports)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import fold


class Bilingual:
    """Pick the Vietnamese or English column for the active language."""

    def tr(self, field: str) -> str:
        lang = (get_language() or "vi")[:2]
        value = getattr(self, f"{field}_{lang}", "") or ""
        return value or getattr(self, f"{field}_vi", "")


# --- Reference data ---------------------------------------------------------------------------
class Province(Bilingual, models.Model):
    class UnitType(models.IntegerChoices):
        CITY = 1, _("Centrally-run city")
        PROVINCE = 2, _("Province")

    gso_code = models.CharField(_("GSO code"), max_length=4, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    full_name_vi = models.CharField(max_length=160, blank=True)
    full_name_en = models.CharField(max_length=160, blank=True)
    unit_type = models.PositiveSmallIntegerField(choices=UnitType.choices, default=UnitType.PROVINCE)

    class Meta:
        ordering = ["gso_code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.tr("full_name") or self.tr("name")


class HSCode(models.Model):
    code = models.CharField(max_length=6, unique=True)
    description = models.TextField()
    parent = models.CharField(max_length=6, blank=True)
    level = models.PositiveSmallIntegerField(db_index=True)
    section = models.CharField(max_length=5, blank=True)  # roman numeral I–XXI ("XVIII" has 5 letters)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")

    def __str__(self) -> str:
        return f"{self.code} {self.description[:80]}"


class ICSCode(models.Model):
    code = models.CharField(max_length=12, unique=True)
    level = models.PositiveSmallIntegerField(db_index=True)
    parent = models.CharField(max_length=12, blank=True)
    title = models.TextField()
    title_full = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ICS code")
        verbose_name_plural = _("ICS codes")

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"


class WTOMember(Bilingual, models.Model):
    """A WTO member: 166 members, each a state or separate customs territory, plus the EU."""

    code = models.CharField(
        _("WTO code"), max_length=4, unique=True, help_text=_("ISO 3166 alpha-3, EU for the European Union")
    )
    iso2 = models.CharField(max_length=2, blank=True)
    iso_numeric = models.CharField(max_length=3, blank=True)
    name_en = models.CharField(max_length=120)
    name_vi = models.CharField(max_length=120)
    accession_date = models.DateField(null=True, blank=True)
    is_eu_state = models.BooleanField(default=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("WTO member")
        verbose_name_plural = _("WTO members")

    def __str__(self) -> str:
        return self.tr("name")


class Holiday(Bilingual, models.Model):
    """A public holiday in Vietnam (a non-working day for deadline arithmetic)."""

    date = models.DateField(unique=True)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.tr('name')}"


# --- Points -----------------------------------------------------------------------------------
class Point(Bilingual, models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("National TBT point")
        MINISTRY = "ministry", _("Ministry TBT point")
        PROVINCIAL = "provincial", _("Provincial TBT point")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    agency_vi = models.CharField(_("parent agency (Vietnamese)"), max_length=255)
    agency_en = models.CharField(_("parent agency (English)"), max_length=255)
    unit_vi = models.CharField(_("designated unit (Vietnamese)"), max_length=255, blank=True)
    unit_en = models.CharField(_("designated unit (English)"), max_length=255, blank=True)
    province = models.OneToOneField(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="point")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    duties_vi = models.TextField(_("duties (Vietnamese)"), blank=True)
    duties_en = models.TextField(_("duties (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("TBT point")
        verbose_name_plural = _("TBT points")
        constraints = [
            models.UniqueConstraint(fields=["level"], condition=Q(level="national"), name="one_national_point"),
            models.CheckConstraint(
                condition=Q(level="provincial", province__isnull=False) | ~Q(level="provincial"),
                name="provincial_point_has_province",
            ),
        ]

    def __str__(self) -> str:
        return self.tr("name")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(
            " ".join(
                [self.name_vi, self.name_en, self.agency_vi, self.agency_en, self.unit_vi, self.unit_en, self.address]
            )
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:point_detail", kwargs={"code": self.code})

    @property
    def is_national(self) -> bool:
        return self.level == self.Level.NATIONAL


# --- People -----------------------------------------------------------------------------------
class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self._create(email, password, **extra)


class User(AbstractUser):
    class Role(models.TextChoices):
        NATIONAL_OFFICER = "national_officer", _("National point officer")
        MINISTRY_OFFICER = "ministry_officer", _("Ministry point officer")
        PROVINCIAL_OFFICER = "provincial_officer", _("Provincial point officer")
        BOARD_MEMBER = "board_member", _("Board member")
        BOARD_SECRETARY = "board_secretary", _("Board secretary")
        ADMIN = "admin", _("Administrator")
        BUSINESS = "business", _("Business user")

    OFFICER_ROLES = (Role.NATIONAL_OFFICER, Role.MINISTRY_OFFICER, Role.PROVINCIAL_OFFICER)
    ROLE_LEVEL = {
        Role.NATIONAL_OFFICER: Point.Level.NATIONAL,
        Role.MINISTRY_OFFICER: Point.Level.MINISTRY,
        Role.PROVINCIAL_OFFICER: Point.Level.PROVINCIAL,
    }

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.BUSINESS, db_index=True)
    point = models.ForeignKey(
        Point, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name=_("TBT point")
    )
    is_head = models.BooleanField(_("head of the point"), default=False)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("preferred language"), max_length=2, choices=settings.LANGUAGES, default="vi")
    email_verified_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["national_officer", "ministry_officer", "provincial_officer"])
                | Q(point__isnull=False),
                name="officer_has_point",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.email

    @property
    def is_officer(self) -> bool:
        return self.role in self.OFFICER_ROLES

    @property
    def is_national_officer(self) -> bool:
        return self.role == self.Role.NATIONAL_OFFICER

    @property
    def is_portal_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def is_business(self) -> bool:
        return self.role == self.Role.BUSINESS

    @property
    def is_board(self) -> bool:
        return self.role in (self.Role.BOARD_MEMBER, self.Role.BOARD_SECRETARY)


# --- Event trail ------------------------------------------------------------------------------
class Event(models.Model):
    """One state change of one object: who, when, what, from → to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    point = models.ForeignKey(
        Point,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The point the object belongs to, for filtering.",
    )
    verb = models.CharField(max_length=60, db_index=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"


# --- Deadlines and reminders ------------------------------------------------------------------
class Deadline(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Escalated")

    TRANSITIONS = {
        State.OPEN: {State.DONE, State.OVERDUE},
        State.OVERDUE: {State.DONE, State.ESCALATED},
        State.ESCALATED: {State.DONE},
        State.DONE: {State.OPEN},
    }

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=40, db_index=True)
    title_vi = models.CharField(max_length=255)
    title_en = models.CharField(max_length=255)
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="deadlines")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deadlines"
    )
    due_date = models.DateField(db_index=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN, db_index=True)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"], name="one_deadline_per_object_kind"),
        ]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")

    def __str__(self) -> str:
        title = self.title_en if (get_language() or "vi")[:2] == "en" and self.title_en else self.title_vi
        return f"{title} ({self.due_date:%d/%m/%Y})"

    def title(self) -> str:
        lang = (get_language() or "vi")[:2]
        return self.title_en if lang == "en" and self.title_en else self.title_vi

    @property
    def is_late(self) -> bool:
        return self.state in (self.State.OVERDUE, self.State.ESCALATED)


class Reminder(models.Model):
    """A reminder claimed before it is sent: unique per (deadline, recipient, kind)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        DUE = "due", _("On the due date")
        ESCALATION = "escalation", _("Escalation after the due date")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.EmailField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    claimed_at = models.DateTimeField(default=timezone.now)
    outbox = models.ForeignKey("OutboxEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "recipient", "kind"], name="one_reminder_per_kind"),
        ]


# --- E-mail outbox ----------------------------------------------------------------------------
class OutboxEmail(models.Model):
    """An e-mail written in the same transaction as the change that causes it, sent by a worker."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField()
    # Where an answer goes (correspondence with partners' enquiry points); empty: the sender's no-reply.
    reply_to = models.EmailField(blank=True)
    language = models.CharField(max_length=2, default="vi")
    template = models.CharField(max_length=120)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


# --- Annual list of TBT-related documents (Đ6.2.a) --------------------------------------------
class AnnualList(models.Model):
    class State(models.TextChoices):
        AWAITING_APPROVAL = "awaiting", _("Awaiting the Minister's approval")
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted")

    TRANSITIONS = {
        State.AWAITING_APPROVAL: {State.DRAFT},
        State.DRAFT: {State.SUBMITTED},
        State.SUBMITTED: set(),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="annual_lists")
    year = models.PositiveSmallIntegerField()
    programme_approved_on = models.DateField(
        _("date the Minister approved the law-making programme"), null=True, blank=True
    )
    due_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.AWAITING_APPROVAL)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "point__sort_order"]
        constraints = [models.UniqueConstraint(fields=["point", "year"], name="one_annual_list_per_point_year")]
        verbose_name = _("annual list of TBT-related documents")
        verbose_name_plural = _("annual lists of TBT-related documents")

    def __str__(self) -> str:
        return f"{self.point} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("network:annual_list_detail", kwargs={"public_id": self.public_id})


class AnnualListItem(models.Model):
    class DocType(models.TextChoices):
        LAW = "law", _("Law")
        DECREE = "decree", _("Decree")
        DECISION = "decision", _("Prime Minister's decision")
        CIRCULAR = "circular", _("Circular")
        TECHNICAL_REGULATION = "qcvn", _("National technical regulation (QCVN)")
        STANDARD = "tcvn", _("National standard (TCVN)")
        OTHER = "other", _("Other")

    annual_list = models.ForeignKey(AnnualList, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=500)
    doc_type = models.CharField(_("type"), max_length=10, choices=DocType.choices)
    planned_issue_date = models.DateField(_("planned issue date"))
    responsible_unit = models.CharField(_("responsible unit"), max_length=255)

    class Meta:
        ordering = ["planned_issue_date", "id"]


# --- Annual reports (Đ15.7, Đ16.4, Đ17.6) -----------------------------------------------------
class AnnualReport(models.Model):
    class Kind(models.TextChoices):
        POINT = "point", _("Annual report to the Ministry of Science and Technology")
        PRIME_MINISTER = "pm", _("Ministry of Science and Technology report to the Prime Minister")

    class State(models.TextChoices):
        OPEN = "open", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted")

    TRANSITIONS = {State.OPEN: {State.SUBMITTED}, State.SUBMITTED: set()}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=6, choices=Kind.choices)
    due_date = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "point__sort_order"]
        constraints = [models.UniqueConstraint(fields=["point", "year", "kind"], name="one_report_per_point_year_kind")]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.point}"
