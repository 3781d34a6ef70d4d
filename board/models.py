"""The Inter-agency TBT Board (Chương III, Đ12 of the regulation).

Composition (Đ10.1) as reference data (``BoardAgency``), membership with its appointment decision
(Đ15.2) and the history of every seat, meetings with agenda, papers, invitations, attendance and
per-item votes (Đ11), reservations (ý kiến bảo lưu), recommendations to state agencies, escalations
from the network (Đ12.1-2) and the annual work plan.

Database invariants (see the constraints below and migration 0003 for the ones Django cannot
express portably):
- at most one active Head, Deputy Head and Secretary; at most one active representative per agency;
- the terms of one seat never overlap (PostgreSQL: exclusion constraints; SQLite: triggers);
- a member in office has an appointment decision and a term start; an ended one has an end date.
"At least one" (never vacant after the first appointment) is kept by the services: a seat holder
can only leave office through a replacement, which ends the old term on the day the new one starts.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _lang() -> str:
    return (get_language() or "vi")[:2]


class BoardAgency(models.Model):
    """An agency or association represented on the Board (Đ10.1.d)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government body")
        MINISTRY = "ministry", _("Ministry")
        ASSOCIATION = "association", _("Association")

    code = models.SlugField(max_length=40, unique=True)
    name_vi = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("Board agency")
        verbose_name_plural = _("Board agencies")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "vi")[:2] == "en" else self.name_vi


# --- Membership -------------------------------------------------------------------------------
class Membership(models.Model):
    """One person holding (or nominated for) one seat of the Board for one term."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of the Board")
        DEPUTY = "deputy", _("Deputy Head of the Board")
        SECRETARY = "secretary", _("Secretary member")
        MEMBER = "member", _("Member")

    class State(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        ACTIVE = "active", _("In office")
        ENDED = "ended", _("Term ended")
        WITHDRAWN = "withdrawn", _("Nomination withdrawn")

    LEADERSHIP = (Role.HEAD, Role.DEPUTY, Role.SECRETARY)
    TRANSITIONS = {
        State.NOMINATED: {State.ACTIVE, State.WITHDRAWN},
        # A member leaves office only by being replaced (services.membership_appoint).
        State.ACTIVE: {State.ENDED},
        State.ENDED: set(),
        State.WITHDRAWN: set(),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    agency = models.ForeignKey(
        BoardAgency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("agency"),
    )
    organisation_vi = models.CharField(_("organisation (Vietnamese)"), max_length=255, blank=True)
    organisation_en = models.CharField(_("organisation (English)"), max_length=255, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    position_vi = models.CharField(_("position (Vietnamese)"), max_length=255)
    position_en = models.CharField(_("position (English)"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_memberships",
        verbose_name=_("user account"),
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.NOMINATED, db_index=True)
    nomination_reference = models.CharField(_("nomination letter (number and date)"), max_length=120, blank=True)
    nominated_on = models.DateField(_("nominated on"), default=timezone.localdate)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_number = models.CharField(_("appointment decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("appointment decision date"), null=True, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(
        _("end of term set by the decision"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the decision sets no end date."),
    )
    ended_on = models.DateField(_("left office on"), null=True, blank=True)
    predecessor = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successor"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "agency__sort_order", "-term_start", "id"]
        verbose_name = _("Board membership")
        verbose_name_plural = _("Board memberships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="member") | Q(agency__isnull=False), name="board_member_has_agency"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["active", "ended"])
                | (Q(term_start__isnull=False, decision_date__isnull=False) & ~Q(decision_number="")),
                name="board_in_office_has_decision",
            ),
            models.CheckConstraint(
                condition=~Q(state="active") | Q(ended_on__isnull=True), name="board_active_not_ended"
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | Q(ended_on__isnull=False), name="board_ended_has_date"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(term_start__isnull=True) | Q(ended_on__gte=F("term_start")),
                name="board_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_start__isnull=True) | Q(term_end__gt=F("term_start")),
                name="board_term_end_after_start",
            ),
            # Exactly one Head, Deputy and Secretary in office: "at most one" here, "at least one" by the
            # services (a holder leaves only through a replacement).
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(state="active", role__in=["head", "deputy", "secretary"]),
                name="board_one_active_per_leadership_seat",
            ),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(state="active", role="member"), name="board_one_active_member_per_agency"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(state="active", user__isnull=False), name="board_one_active_seat_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.seat_label})"

    # The seat: a leadership role, or the agency for an ordinary member.
    def get_absolute_url(self) -> str:
        return reverse("board:membership_detail", kwargs={"public_id": self.public_id})

    @property
    def seat_key(self) -> str:
        if self.role == self.Role.MEMBER and self.agency_id is not None:
            return self.agency.code  # type: ignore[union-attr]
        return str(self.role)

    @property
    def seat_label(self) -> str:
        if self.role == self.Role.MEMBER and self.agency_id is not None:
            return str(self.agency)
        return str(self.get_role_display())

    @property
    def position(self) -> str:
        return (self.position_en if _lang() == "en" else "") or self.position_vi

    @property
    def organisation(self) -> str:
        if self.agency_id is not None:
            return str(self.agency)
        return (self.organisation_en if _lang() == "en" else "") or self.organisation_vi

    @property
    def is_leadership(self) -> bool:
        return self.role in self.LEADERSHIP

    @property
    def term_expired(self) -> bool:
        return self.state == self.State.ACTIVE and self.term_end is not None and self.term_end <= timezone.localdate()

    def contact(self) -> tuple[str, str]:
        """(e-mail, language) to write to this member."""
        language = getattr(self.user, "language", "vi") if self.user_id else "vi"
        return (self.email or getattr(self.user, "email", "")), language


# --- Escalations from the network (Đ12.1-2) ---------------------------------------------------
class Escalation(models.Model):
    """An issue the network raises to the Board through the standing body, on any object."""

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting the Board")
        SCHEDULED = "scheduled", _("On a meeting agenda")
        CONCLUDED = "concluded", _("Concluded by the Board")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        State.OPEN: {State.SCHEDULED, State.WITHDRAWN},
        State.SCHEDULED: {State.CONCLUDED, State.OPEN},  # back to OPEN when the item is deferred
        State.CONCLUDED: set(),
        State.WITHDRAWN: set(),
    }
    PENDING = (State.OPEN, State.SCHEDULED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=255)
    object_url = models.CharField(max_length=255, blank=True)
    summary = models.TextField(_("summary of the issue"))
    question = models.TextField(_("question for the Board to decide"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("escalation to the Board")
        verbose_name_plural = _("escalations to the Board")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state__in=["open", "scheduled"]),
                name="board_one_pending_escalation_per_object",
            ),
        ]

    def __str__(self) -> str:
        return self.object_repr

    def get_absolute_url(self) -> str:
        return reverse("board:escalation_detail", kwargs={"public_id": self.public_id})


# --- Annual work plan (Đ10.1.a, Đ11.1) --------------------------------------------------------
class WorkPlan(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    TRANSITIONS = {State.DRAFT: {State.ADOPTED}, State.ADOPTED: set()}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    summary = models.TextField(_("summary"), blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    adopted_on = models.DateField(null=True, blank=True)
    adopted_at_meeting = models.ForeignKey(
        "Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="adopted_plans"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual work plan")
        verbose_name_plural = _("annual work plans")

    def __str__(self) -> str:
        return str(_("Board work plan %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("board:workplan_detail", kwargs={"public_id": self.public_id})


class WorkPlanItem(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("In progress")
        DONE = "done", _("Done")

    TRANSITIONS = {State.OPEN: {State.DONE}, State.DONE: set()}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("task"), max_length=500)
    lead = models.CharField(_("lead agency or unit"), max_length=255, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(max_length=6, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(_("result"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("work plan task")
        verbose_name_plural = _("work plan tasks")

    def __str__(self) -> str:
        return self.title[:120]


# --- Meetings (Đ11) ---------------------------------------------------------------------------
class PdfState(models.TextChoices):
    NONE = "", _("Not requested")
    PENDING = "pending", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Generation failed")


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic meeting")
        AD_HOC = "ad_hoc", _("Ad-hoc meeting")

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held (decisions being recorded)")
        CLOSED = "closed", _("Minutes closed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        State.DRAFT: {State.CONVENED, State.CANCELLED},
        State.CONVENED: {State.HELD, State.CANCELLED},
        State.HELD: {State.CLOSED},
        State.CLOSED: set(),
        State.CANCELLED: set(),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    starts_at = models.DateTimeField(_("date and time"))
    year = models.PositiveSmallIntegerField(editable=False)
    place = models.CharField(_("place"), max_length=255)
    remote_link = models.URLField(_("link to join remotely"), blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    convened_by = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The Head in office who convenes the meeting (Đ11.1).",
    )
    chaired_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    convened_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    minutes_notes = models.TextField(_("other matters recorded in the minutes"), blank=True)
    minutes_number = models.CharField(max_length=40, blank=True)
    minutes_pdf = models.FileField(upload_to="board/minutes/", blank=True)
    minutes_state = models.CharField(max_length=8, choices=PdfState.choices, default=PdfState.NONE, blank=True)
    minutes_revision = models.PositiveIntegerField(default=0)
    minutes_generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("Board meeting")
        verbose_name_plural = _("Board meetings")
        constraints = [
            # One periodic meeting a year (Đ11.1); a cancelled one may be rescheduled.
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(kind="periodic") & ~Q(state="cancelled"),
                name="board_one_periodic_meeting_per_year",
            ),
            # Numbers start again each year ("Số: 01/BB-BLNTBT"): unique within the year.
            models.UniqueConstraint(
                fields=["year", "minutes_number"], condition=~Q(minutes_number=""), name="board_unique_minutes_number"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.year = timezone.localtime(self.starts_at).year
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"year"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("board:meeting_detail", kwargs={"public_id": self.public_id})

    @property
    def date(self) -> Any:
        return timezone.localtime(self.starts_at).date()


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        WORKPLAN_REVIEW = "workplan_review", _("Review of the year's work plan")
        WORKPLAN_ADOPTION = "workplan_adoption", _("Adoption of the next year's work plan")
        ESCALATION = "escalation", _("Issue escalated by the TBT network")
        HEAD = "head", _("Item added by the Head")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet decided")
        CONSENSUS = "consensus", _("Adopted by consensus")
        CARRIED = "carried", _("Adopted by majority vote")
        NOT_CARRIED = "not_carried", _("Not adopted (vote)")
        DEFERRED = "deferred", _("Deferred")

    ADOPTED = (Outcome.CONSENSUS, Outcome.CARRIED)
    DECIDED = (Outcome.CONSENSUS, Outcome.CARRIED, Outcome.NOT_CARRIED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    escalation = models.ForeignKey(
        Escalation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("escalated issue"),
    )
    work_plan = models.ForeignKey(
        WorkPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("work plan"),
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    conclusion = models.TextField(_("conclusion"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    votes_abstain = models.PositiveSmallIntegerField(default=0)
    present_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="escalation") | Q(escalation__isnull=False),
                name="board_escalation_item_has_escalation",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["workplan_review", "workplan_adoption"]) | Q(work_plan__isnull=False),
                name="board_workplan_item_has_plan",
            ),
            # The majority rule (Đ11.2) once more in the database: "carried" needs more than half of
            # those present voting for it, and the counted votes never exceed those present.
            models.CheckConstraint(
                condition=~Q(outcome="carried") | Q(GreaterThan(F("votes_for") * 2, F("present_count"))),
                name="board_carried_needs_majority_of_present",
            ),
            models.CheckConstraint(
                condition=Q(
                    LessThanOrEqual(F("votes_for") + F("votes_against") + F("votes_abstain"), F("present_count"))
                ),
                name="board_votes_within_present",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:120]

    @property
    def is_adopted(self) -> bool:
        return self.outcome in self.ADOPTED

    @property
    def is_decided(self) -> bool:
        return self.outcome in self.DECIDED


class Paper(models.Model):
    """A meeting paper prepared by the Secretary (Đ10.1.c), linked in the invitations."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="papers",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="board/papers/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("meeting paper")
        verbose_name_plural = _("meeting papers")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:paper_download", kwargs={"public_id": self.public_id})


class Invitation(models.Model):
    """One member invited to one meeting: the reply (Đ10.2) and, later, the recorded attendance."""

    class Reply(models.TextChoices):
        PENDING = "pending", _("No reply yet")
        IN_PERSON = "in_person", _("Will attend in person")
        REMOTE = "remote", _("Will attend remotely")
        WRITTEN = "written", _("Cannot attend: written opinion sent")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        IN_PERSON = "in_person", _("Present in person")
        REMOTE = "remote", _("Present remotely")
        ABSENT = "absent", _("Absent")

    PRESENT = (Attendance.IN_PERSON, Attendance.REMOTE)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="invitations")
    sent_at = models.DateTimeField(default=timezone.now)
    reply = models.CharField(max_length=10, choices=Reply.choices, default=Reply.PENDING)
    replied_at = models.DateTimeField(null=True, blank=True)
    written_opinion = models.TextField(_("written opinion"), blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN, blank=True)

    class Meta:
        ordering = ["membership__role", "membership__agency__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="board_one_invitation_per_member")
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.membership} → {self.meeting}"

    @property
    def is_present(self) -> bool:
        return self.attendance in self.PRESENT


class ItemVote(models.Model):
    """Attendance and vote of one invited member on one agenda item (Đ11.2)."""

    class Vote(models.TextChoices):
        NONE = "", _("Did not vote")
        FOR = "for", _("In favour")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstained")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="votes")
    attendance = models.CharField(max_length=10, choices=Invitation.Attendance.choices)
    vote = models.CharField(max_length=8, choices=Vote.choices, blank=True, default=Vote.NONE)

    class Meta:
        ordering = ["invitation__membership__role", "invitation__membership__agency__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "invitation"], name="board_one_vote_per_member_item"),
            # An absent member cannot vote.
            models.CheckConstraint(condition=~Q(attendance="absent") | Q(vote=""), name="board_absent_cannot_vote"),
        ]


class Consultation(models.Model):
    """A member from a ministry with a TBT point records that they agreed a position with it (Đ12.2)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="consultations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="consultations")
    point = models.ForeignKey("network.Point", on_delete=models.PROTECT, related_name="+")
    consulted_on = models.DateField(_("consulted on"))
    position = models.TextField(_("agreed position"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["membership__agency__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "membership"], name="board_one_consultation_per_member_item")
        ]


class Reservation(models.Model):
    """Ý kiến bảo lưu: a member's dissent, with its explanation (Đ11.2)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="reservations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="reservations")
    opinion = models.TextField(_("reservation"))
    explanation = models.TextField(_("explanation"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["membership__role", "membership__agency__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "membership"], name="board_one_reservation_per_member_item")
        ]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")

    def __str__(self) -> str:
        return f"{self.membership.full_name}: {self.opinion[:80]}"


class Recommendation(models.Model):
    """A recommendation (kiến nghị) the Board sends to a state agency on an adopted item."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    TRANSITIONS = {State.DRAFT: {State.ISSUED}, State.ISSUED: set()}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="recommendations")
    recipient = models.CharField(_("recipient state agency"), max_length=255)
    recipient_email = models.EmailField(_("recipient e-mail"), blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text of the recommendation"))
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    number = models.CharField(max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year of issue (numbers restart yearly).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(upload_to="board/recommendations/", blank=True)
    pdf_state = models.CharField(max_length=8, choices=PdfState.choices, default=PdfState.NONE, blank=True)
    pdf_revision = models.PositiveIntegerField(default=0)
    pdf_generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], condition=~Q(number=""), name="board_unique_recommendation_number"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("board:recommendation_detail", kwargs={"public_id": self.public_id})


def vote_carries(*, votes_for: int, present: int) -> bool:
    """Đ11.2: failing consensus, a proposal carries only with MORE than half of those present at
    the meeting voting for it. Abstentions and blank votes count as present and not for; absent
    members do not count at all. Exactly half is not a majority."""
    return present > 0 and votes_for * 2 > present
