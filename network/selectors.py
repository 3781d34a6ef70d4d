"""Reads of the officials' work screens: dashboard groups, overviews, timelines.

Querysets come in already scoped by the permission policy (network.permissions); these functions
shape them for the screens and never write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from .deadlines import deadlines_for
from .events import events_for
from .models import AnnualList, AnnualReport, Deadline, Event, OutboxEmail, Point, User
from .permissions import annual_lists_visible, annual_reports_visible, deadlines_visible, user_point

LATE_STATES = (Deadline.State.OVERDUE, Deadline.State.ESCALATED)


def due_soon_days() -> int:
    """How far ahead "due soon" looks: a week, or the reminder lead time if that is longer."""
    return max(7, settings.REMINDER_DAYS_BEFORE)


def late_q(today: date) -> Q:
    """Late: marked overdue/escalated by the scan, or past its due date before the scan ran."""
    return Q(state__in=LATE_STATES) | Q(state=Deadline.State.OPEN, due_date__lt=today)


@dataclass
class DeadlineGroups:
    overdue: list[Deadline] = field(default_factory=list)
    due_soon: list[Deadline] = field(default_factory=list)
    assigned: list[Deadline] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.assigned)


def deadline_groups(deadlines: QuerySet[Deadline], *, today: date) -> DeadlineGroups:
    """Split unfinished deadlines into overdue, due soon (today included) and the rest."""
    soon = today + timedelta(days=due_soon_days())
    groups = DeadlineGroups()
    for deadline in deadlines.exclude(state=Deadline.State.DONE).select_related("point", "person"):
        if deadline.is_late or deadline.due_date < today:
            groups.overdue.append(deadline)
        elif deadline.due_date <= soon:
            groups.due_soon.append(deadline)
        else:
            groups.assigned.append(deadline)
    return groups


def deadlines_filtered(user: User, *, state: str, today: date) -> QuerySet[Deadline]:
    """The deadlines list screen: ``state`` is "" (unfinished), "late", "open" or "done"."""
    qs = deadlines_visible(user).select_related("point", "person")
    if state == "late":
        qs = qs.filter(late_q(today))
    elif state == "open":
        qs = qs.filter(state=Deadline.State.OPEN, due_date__gte=today)
    elif state == "done":
        return qs.filter(state=Deadline.State.DONE).order_by("-closed_at", "-id")
    else:
        qs = qs.exclude(state=Deadline.State.DONE)
    return qs.order_by("due_date", "id")


@dataclass
class AnnualListRow:
    """One ministry's line in the national overview (``annual_list`` None: not started yet)."""

    point: Point
    annual_list: AnnualList | None
    items: int = 0
    deadline: Deadline | None = None

    @property
    def state(self) -> str:
        return self.annual_list.state if self.annual_list else AnnualList.State.AWAITING_APPROVAL

    @property
    def state_label(self) -> Any:
        return AnnualList.State(self.state).label

    @property
    def is_late(self) -> bool:
        return self.deadline is not None and self.deadline.is_late


def _deadlines_by_object(model: type[Any], ids: list[Any], kind: str) -> dict[str, Deadline]:
    ct = ContentType.objects.get_for_model(model)
    rows = Deadline.objects.filter(content_type=ct, object_id__in=[str(i) for i in ids], kind=kind)
    return {d.object_id: d for d in rows}


def annual_list_overview(*, year: int) -> list[AnnualListRow]:
    """Every active ministry point with its list of ``year`` (for national officers and administrators)."""
    lists = {
        al.point_id: al
        for al in AnnualList.objects.filter(year=year)
        .select_related("point", "submitted_by")
        .annotate(n_items=Count("items"))
    }
    deadlines = _deadlines_by_object(AnnualList, [al.pk for al in lists.values()], "annual_list")
    rows = []
    for point in Point.objects.filter(level=Point.Level.MINISTRY, is_active=True).order_by("sort_order", "code"):
        al = lists.get(point.pk)
        rows.append(
            AnnualListRow(
                point=point,
                annual_list=al,
                items=getattr(al, "n_items", 0) if al else 0,
                deadline=deadlines.get(str(al.pk)) if al else None,
            )
        )
    return rows


def annual_list_overview_counts(rows: list[AnnualListRow]) -> dict[str, int]:
    counts = dict.fromkeys(AnnualList.State.values, 0)
    for row in rows:
        counts[row.state] += 1
    counts["late"] = sum(1 for row in rows if row.is_late)
    return counts


def annual_lists_for_user(user: User) -> QuerySet[AnnualList]:
    return (
        annual_lists_visible(user)
        .select_related("point")
        .annotate(n_items=Count("items"))
        .order_by("-year", "point__sort_order", "point__code")
    )


def annual_list_of_point(*, point: Point, year: int) -> AnnualList | None:
    return AnnualList.objects.filter(point=point, year=year).annotate(n_items=Count("items")).first()


def annual_list_deadline(annual_list: AnnualList) -> Deadline | None:
    return deadlines_for(annual_list).filter(kind="annual_list").first()


def reports_for_user(user: User, *, year: int | None = None) -> QuerySet[AnnualReport]:
    qs = annual_reports_visible(user).select_related("point")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "kind", "point__level", "point__sort_order", "point__code")


def report_years(user: User) -> list[int]:
    return sorted(set(annual_reports_visible(user).values_list("year", flat=True)), reverse=True)


def report_deadline(report: AnnualReport) -> Deadline | None:
    return deadlines_for(report).filter(kind="annual_report").first()


def object_timeline(obj: Any) -> list[Event]:
    """The object's events and those of its deadlines (reminders, overdue, escalation), oldest first."""
    events = list(events_for(obj))
    deadline_ids = list(deadlines_for(obj).values_list("pk", flat=True))
    if deadline_ids:
        events += list(
            Event.objects.filter(
                content_type=ContentType.objects.get_for_model(Deadline),
                object_id__in=[str(pk) for pk in deadline_ids],
            ).select_related("actor", "content_type")
        )
    events.sort(key=lambda e: (e.at, e.pk))
    return events


@dataclass
class Dashboard:
    """What one person sees after logging in."""

    today: date
    point: Point | None
    groups: DeadlineGroups
    sees_network: bool = False
    annual_list: AnnualList | None = None
    annual_list_year: int | None = None
    annual_list_deadline: Deadline | None = None
    next_annual_list: AnnualList | None = None
    overview: list[AnnualListRow] = field(default_factory=list)
    overview_counts: dict[str, int] = field(default_factory=dict)
    network_overdue: list[Deadline] = field(default_factory=list)
    reports: list[AnnualReport] = field(default_factory=list)
    failed_emails: int = 0


def dashboard_for(user: User, *, today: date) -> Dashboard:
    point = user_point(user)
    sees_network = bool(user.is_national_officer or user.is_portal_admin)
    if point is not None:
        own = Deadline.objects.filter(Q(point=point) | Q(person=user))
    else:
        own = Deadline.objects.filter(person=user)
    board = Dashboard(today=today, point=point, groups=deadline_groups(own, today=today), sees_network=sees_network)
    if point is not None and point.level == Point.Level.MINISTRY and user.role == User.Role.MINISTRY_OFFICER:
        board.annual_list_year = today.year
        board.annual_list = annual_list_of_point(point=point, year=today.year)
        if board.annual_list is not None:
            board.annual_list_deadline = annual_list_deadline(board.annual_list)
        board.next_annual_list = annual_list_of_point(point=point, year=today.year + 1)
    if sees_network:
        board.overview = annual_list_overview(year=today.year)
        board.overview_counts = annual_list_overview_counts(board.overview)
        board.network_overdue = list(
            Deadline.objects.filter(late_q(today)).select_related("point", "person").order_by("due_date", "id")[:100]
        )
    if point is not None:
        board.reports = list(reports_for_user(user, year=today.year).filter(point=point))
    if user.is_portal_admin:
        board.failed_emails = OutboxEmail.objects.filter(state=OutboxEmail.State.FAILED).count()
    return board
