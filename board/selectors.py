"""Reads of the Board app, shared by views, the API, PDFs and other apps.

For other apps:
- ``board_conclusions_for(obj)``: the Board's escalations and conclusions about ``obj``, for its
  detail page (or ``{% include "board/_conclusions.html" with obj=obj %}``).
- ``escalation_url_for(obj)``: the link an officer follows to escalate ``obj`` to the Board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from network.models import Point

from .models import (
    AgendaItem,
    BoardAgency,
    Escalation,
    Invitation,
    ItemVote,
    Meeting,
    Membership,
    Reservation,
    WorkPlan,
    vote_carries,
)


def _role_order(field: str = "role") -> Case:
    """Head, Deputy, Secretary, then the members (the order of Đ10.1)."""
    return Case(
        When(**{field: Membership.Role.HEAD}, then=Value(0)),
        When(**{field: Membership.Role.DEPUTY}, then=Value(1)),
        When(**{field: Membership.Role.SECRETARY}, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


ROLE_ORDER = _role_order()


# --- Seats and membership -----------------------------------------------------------------------
@dataclass
class Seat:
    key: str
    role: str
    agency: BoardAgency | None
    holder: Membership | None

    @property
    def label(self) -> str:
        if self.agency is not None:
            return str(self.agency)
        return str(Membership.Role(self.role).label)

    @property
    def role_label(self) -> str:
        return str(Membership.Role(self.role).label)


def seat_filter(*, role: str, agency: BoardAgency | None) -> Q:
    """The memberships of one seat: a leadership role, or an agency's member seat."""
    if role in Membership.LEADERSHIP:
        return Q(role=role)
    return Q(role=Membership.Role.MEMBER, agency=agency)


def seat_for_key(key: str) -> tuple[str, BoardAgency | None]:
    """(role, agency) of a seat key ("head", "deputy", "secretary" or an agency code); LookupError if none."""
    if key in Membership.LEADERSHIP:
        return key, None
    agency = BoardAgency.objects.filter(code=key).first()
    if agency is None:
        raise LookupError(key)
    return Membership.Role.MEMBER, agency


def current_board() -> list[Seat]:
    """Every seat of the Board (Đ10.1) with its holder today (None = vacant)."""
    active = {
        m.seat_key: m for m in Membership.objects.filter(state=Membership.State.ACTIVE).select_related("agency", "user")
    }
    seats = [
        Seat(key=str(role), role=str(role), agency=None, holder=active.get(str(role))) for role in Membership.LEADERSHIP
    ]
    for agency in BoardAgency.objects.order_by("sort_order", "id"):
        seats.append(Seat(key=agency.code, role=Membership.Role.MEMBER, agency=agency, holder=active.get(agency.code)))
    return seats


def seat_holder(*, role: str, agency: BoardAgency | None) -> Membership | None:
    return (
        Membership.objects.filter(seat_filter(role=role, agency=agency), state=Membership.State.ACTIVE)
        .select_related("agency", "user")
        .first()
    )


def seat_history(*, role: str, agency: BoardAgency | None) -> QuerySet[Membership]:
    """Who held the seat when (newest first), then nominations and withdrawn ones."""
    return (
        Membership.objects.filter(seat_filter(role=role, agency=agency))
        .select_related("agency", "user", "predecessor")
        .order_by(
            Case(When(state=Membership.State.NOMINATED, then=Value(0)), default=Value(1), output_field=IntegerField()),
            models.F("term_start").desc(nulls_last=True),
            "-created_at",
        )
    )


def active_memberships() -> QuerySet[Membership]:
    return (
        Membership.objects.filter(state=Membership.State.ACTIVE)
        .select_related("agency", "user")
        .order_by(ROLE_ORDER, "agency__sort_order", "id")
    )


def head_in_office() -> Membership | None:
    return seat_holder(role=Membership.Role.HEAD, agency=None)


def secretary_in_office() -> Membership | None:
    return seat_holder(role=Membership.Role.SECRETARY, agency=None)


def agency_tbt_point(agency: BoardAgency | None) -> Point | None:
    """The ministry TBT point of a member's agency (Đ4.4), if the agency has one (Đ12.2)."""
    if agency is None:
        return None
    ministry_points = Point.objects.filter(level=Point.Level.MINISTRY, is_active=True)
    return (
        ministry_points.filter(code=agency.code).first()
        or ministry_points.filter(agency_vi__iexact=agency.name_vi).first()
        or ministry_points.filter(name_vi__icontains=agency.name_vi).first()
    )


def national_point() -> Point | None:
    return Point.objects.filter(level=Point.Level.NATIONAL).first()


# --- Meetings ------------------------------------------------------------------------------------
def meetings_for(membership: Membership) -> QuerySet[Meeting]:
    """Meetings a member may see: all of them, except drafts for ordinary members."""
    qs = Meeting.objects.select_related("convened_by")
    if membership.role not in Membership.LEADERSHIP:
        qs = qs.exclude(state=Meeting.State.DRAFT)
    return qs.order_by("-starts_at", "-id")


def meeting_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.select_related("escalation", "work_plan").prefetch_related(
        "papers",
        Prefetch(
            "reservations",
            queryset=Reservation.objects.select_related("membership__agency")
            .annotate(role_order=_role_order("membership__role"))
            .order_by("role_order", "membership__agency__sort_order"),
        ),
        Prefetch(
            "votes",
            queryset=ItemVote.objects.select_related("invitation__membership__agency")
            .annotate(role_order=_role_order("invitation__membership__role"))
            .order_by("role_order", "invitation__membership__agency__sort_order", "id"),
        ),
        "consultations__membership__agency",
        "consultations__point",
        "recommendations",
    )


def meeting_invitations(meeting: Meeting) -> QuerySet[Invitation]:
    return (
        meeting.invitations.select_related("membership__agency", "membership__user")
        .annotate(role_order=_role_order("membership__role"))
        .order_by("role_order", "membership__agency__sort_order", "id")
    )


@dataclass
class Tally:
    present: int
    votes_for: int
    against: int
    abstain: int
    carries: bool


def tally(item: AgendaItem) -> Tally:
    return Tally(
        present=item.present_count,
        votes_for=item.votes_for,
        against=item.votes_against,
        abstain=item.votes_abstain,
        carries=vote_carries(votes_for=item.votes_for, present=item.present_count),
    )


def upcoming_periodic_meeting(year: int) -> Meeting | None:
    return Meeting.objects.filter(kind=Meeting.Kind.PERIODIC, year=year).exclude(state=Meeting.State.CANCELLED).first()


def pending_for(user: Any) -> dict[str, Any]:
    """What the member ``user`` has to do on the Board (for a dashboard): replies and consultations."""
    membership = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).select_related("agency").first()
    if membership is None:
        return {"membership": None, "invitations": [], "consultations": []}
    invitations = list(
        Invitation.objects.filter(
            membership=membership, reply=Invitation.Reply.PENDING, meeting__state=Meeting.State.CONVENED
        ).select_related("meeting")
    )
    consultations: list[AgendaItem] = []
    if agency_tbt_point(membership.agency) is not None:
        consultations = list(
            AgendaItem.objects.filter(meeting__state=Meeting.State.CONVENED)
            .exclude(consultations__membership=membership)
            .select_related("meeting")
        )
    return {"membership": membership, "invitations": invitations, "consultations": consultations}


# --- Escalations and conclusions (for other apps) ------------------------------------------------
# Only objects of the network's workflows can be escalated, and only by an opaque public id.
ESCALATABLE_APPS = ("network", "inquiries", "notifications", "alerts")
NOT_ESCALATABLE = {"network.user", "network.event", "network.deadline", "network.reminder", "network.outboxemail"}
PUBLIC_ID_FIELDS = ("public_id", "tracking_code", "code", "symbol")


def public_id_field(model: type[models.Model]) -> str | None:
    for name in PUBLIC_ID_FIELDS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "unique", False):
            return name
    return None


def type_label(obj_or_model: Any) -> str:
    return f"{obj_or_model._meta.app_label}.{obj_or_model._meta.model_name}"


def escalation_target(type_value: str, public_id: str) -> models.Model | None:
    """The object ``?type=<app.model>&id=<public id>`` names, or None."""
    try:
        app_label, model_name = (type_value or "").lower().split(".")
        model = apps.get_model(app_label, model_name)
    except (ValueError, LookupError):
        return None
    if app_label not in ESCALATABLE_APPS or f"{app_label}.{model_name}" in NOT_ESCALATABLE:
        return None
    field = public_id_field(model)
    if field is None or not public_id:
        return None
    try:
        return model._default_manager.filter(**{field: public_id}).first()
    except (ValidationError, ValueError):
        return None


# What officials call the things they escalate (Đ12.1): the enquiry's tracking code, the
# notification's WTO symbol. Anything else with a public id is escalated from a link (escalation_url_for).
ESCALATION_REFERENCES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "inquiries.inquiry": (gettext_lazy("Enquiry (tracking code, e.g. HD-2026-ABC123)"), ("code",)),
    "notifications.notification": (gettext_lazy("WTO TBT notification (symbol, e.g. G/TBT/N/VNM/123)"), ("symbol",)),
}


def escalation_kinds() -> list[tuple[str, str]]:
    """(type, label) of the kinds of object an officer can name by their reference."""
    kinds = []
    for type_value, (label, _fields) in ESCALATION_REFERENCES.items():
        try:
            apps.get_model(type_value)
        except LookupError:
            continue
        kinds.append((type_value, str(label)))
    return kinds


def escalation_target_by_reference(type_value: str, reference: str) -> models.Model | None:
    """The enquiry or notification an officer names by its tracking code or symbol, or None."""
    entry = ESCALATION_REFERENCES.get((type_value or "").lower())
    reference = (reference or "").strip()
    if entry is None or not reference:
        return None
    try:
        model = apps.get_model(type_value)
    except LookupError:
        return None
    for field in entry[1]:
        found = model._default_manager.filter(**{f"{field}__iexact": reference}).first()
        if found is not None:
            return found
    return None


def object_public_id(obj: models.Model) -> str | None:
    field = public_id_field(type(obj))
    return None if field is None else str(getattr(obj, field))


def object_url(obj: models.Model) -> str:
    """The object's own page (unprefixed Vietnamese URL), or ''."""
    get_url = getattr(obj, "get_absolute_url", None)
    if get_url is None:
        return ""
    try:
        with translation.override("vi"):
            return str(get_url())
    except Exception:  # noqa: BLE001 - an object whose page does not exist yet is still escalatable
        return ""


def escalation_url_for(obj: models.Model) -> str:
    """The link to escalate ``obj`` to the Board ('' if it has no public id)."""
    public = object_public_id(obj)
    if public is None:
        return ""
    return reverse("board:escalate") + "?" + urlencode({"type": type_label(obj), "id": public})


def escalations_for(obj: models.Model) -> QuerySet[Escalation]:
    return Escalation.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


def board_conclusions_for(obj: models.Model) -> list[Escalation]:
    """The Board's escalations about ``obj`` (withdrawn ones left out), each with ``.concluded_items``:
    the agenda items of closed meetings that decided on it, with their reservations."""
    closed_items = (
        AgendaItem.objects.filter(meeting__state=Meeting.State.CLOSED)
        .select_related("meeting")
        .prefetch_related(Prefetch("reservations", queryset=Reservation.objects.select_related("membership__agency")))
        .order_by("meeting__starts_at", "position")
    )
    return list(
        escalations_for(obj)
        .exclude(state=Escalation.State.WITHDRAWN)
        .select_related("raised_by")
        .prefetch_related(Prefetch("agenda_items", queryset=closed_items, to_attr="concluded_items"))
        .order_by("raised_at", "id")
    )


def open_escalations() -> QuerySet[Escalation]:
    return Escalation.objects.filter(state=Escalation.State.OPEN).order_by("raised_at", "id")


# --- Work plans ----------------------------------------------------------------------------------
def workplan_progress(plan: WorkPlan) -> dict[str, int]:
    items = list(plan.items.values_list("state", "due_date"))
    today = timezone.localdate()
    done = sum(1 for state, _due in items if state == "done")
    late = sum(1 for state, due in items if state != "done" and due is not None and due < today)
    return {"total": len(items), "done": done, "late": late}


def vn_date(day: date) -> str:
    """dd/mm/yyyy, the Vietnamese short form."""
    return f"{day:%d/%m/%Y}"
