"""Reads of the enquiry service: queues, search, figures, FAQ, HS look-up."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from network.models import HSCode, User
from network.text import fold

from .models import Contribution, FAQEntry, Inquiry
from .permissions import inquiries_visible_to

S = Inquiry.State
OPEN_STATES = [s for s in S.values if s not in Inquiry.FINAL]


def _search(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    """Every word, without diacritics: "ha noi" finds "Hà Nội"."""
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


@dataclass
class QueueFilters:
    state: str = ""  # a state, "open" (default) or "all"
    due: str = ""  # "overdue", "week", "none"
    age: int | None = None  # received at least this many days ago
    point: str = ""  # national officers: a point code (lead or contributor)
    asker_type: str = ""
    q: str = ""
    sort: str = "due"  # "due", "age", "new"


def inquiry_queue(*, user: User, filters: QueueFilters) -> QuerySet[Inquiry]:
    qs = inquiries_visible_to(user).select_related("lead_point", "local_point", "province")
    if filters.state in ("", "open"):
        qs = qs.filter(state__in=OPEN_STATES)
    elif filters.state != "all":
        qs = qs.filter(state=filters.state)
    today = timezone.localdate()
    if filters.due == "overdue":
        qs = qs.filter(answer_due__lt=today, state__in=OPEN_STATES, answered_at__isnull=True)
    elif filters.due == "week":
        qs = qs.filter(answer_due__gte=today, answer_due__lte=today + timedelta(days=7))
    elif filters.due == "none":
        qs = qs.filter(answer_due__isnull=True)
    if filters.age:
        qs = qs.filter(created_at__lte=timezone.now() - timedelta(days=filters.age))
    if filters.point:
        involved = (
            Contribution.objects.filter(point__code=filters.point)
            .exclude(state=Contribution.State.CANCELLED)
            .values("inquiry_id")
        )
        qs = qs.filter(
            Q(lead_point__code=filters.point) | Q(local_point__code=filters.point, passed_up=False) | Q(pk__in=involved)
        )
    if filters.asker_type:
        qs = qs.filter(asker_type=filters.asker_type)
    if filters.q:
        qs = _search(qs, filters.q)
    order = {"age": ["created_at", "id"], "new": ["-created_at", "-id"]}.get(filters.sort)
    if order is None:
        from django.db.models import F

        return qs.order_by(F("answer_due").asc(nulls_last=True), "created_at", "id")
    return qs.order_by(*order)


def inquiries_of_asker(*, user: User) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(user=user).order_by("-created_at")


# --- figures ----------------------------------------------------------------------------------
@dataclass
class Figures:
    total: int = 0
    by_state: list[tuple[str, str, int]] = field(default_factory=list)
    by_point: list[tuple[str, int]] = field(default_factory=list)
    by_type: list[tuple[str, str, int]] = field(default_factory=list)
    by_province: list[tuple[str, int]] = field(default_factory=list)
    answered: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    overdue: int = 0


def _percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (the value at or below which pct % of the answers fall)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


def inquiry_figures(*, date_from: date | None = None, date_to: date | None = None) -> Figures:
    """Counts by state, lead point, asker type and province; time to answer; overdue now."""
    qs = Inquiry.objects.all()
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    fig = Figures(total=qs.count())
    labels = dict(S.choices)
    counts = dict(qs.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    fig.by_state = [(value, str(labels[value]), counts.get(value, 0)) for value in S.values]
    points: dict[str, int] = {}
    for name_vi, name_en, n in qs.values_list("lead_point__name_vi", "lead_point__name_en").annotate(n=Count("id")):
        from django.utils.translation import get_language

        label = (name_en if (get_language() or "vi").startswith("en") else name_vi) or ""
        points[label] = points.get(label, 0) + n
    fig.by_point = sorted(points.items(), key=lambda item: (-item[1], item[0]))
    type_labels = dict(Inquiry.AskerType.choices)
    types = dict(qs.values_list("asker_type").annotate(n=Count("id")).values_list("asker_type", "n"))
    fig.by_type = [(value, str(type_labels[value]), types.get(value, 0)) for value in Inquiry.AskerType.values]
    provinces: dict[str, int] = {}
    for name_vi, name_en, n in qs.values_list("province__name_vi", "province__name_en").annotate(n=Count("id")):
        from django.utils.translation import get_language

        label = (name_en if (get_language() or "vi").startswith("en") else name_vi) or ""
        provinces[label] = provinces.get(label, 0) + n
    fig.by_province = sorted(provinces.items(), key=lambda item: (-item[1], item[0]))
    durations = [
        (answered - created).total_seconds() / 86400
        for created, answered in qs.filter(answered_at__isnull=False).values_list("created_at", "answered_at")
        if answered is not None
    ]
    fig.answered = len(durations)
    if durations:
        fig.median_days = round(statistics.median(durations), 1)
        p90 = _percentile(durations, 90)
        fig.p90_days = round(p90, 1) if p90 is not None else None
    fig.overdue = qs.filter(
        state__in=OPEN_STATES, answered_at__isnull=True, answer_due__lt=timezone.localdate()
    ).count()
    return fig


# --- public -----------------------------------------------------------------------------------
def faq_search(*, q: str = "") -> QuerySet[FAQEntry]:
    qs = FAQEntry.objects.filter(is_published=True)
    if q:
        qs = _search(qs, q)
    return qs.order_by("-published_at", "-id")


def hs_search(*, q: str, limit: int = 15) -> list[dict[str, str]]:
    """HS 2022 codes for the type-ahead: a code prefix, or words of the description."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    digits = q.replace(".", "").replace(" ", "")
    if digits.isdigit():
        qs = HSCode.objects.filter(code__startswith=digits)
    else:
        qs = HSCode.objects.all()
        for word in fold(q).split()[:5]:
            qs = qs.filter(Q(search_text__contains=word) | Q(description__icontains=word))
    return [
        {"code": code, "description": description}
        for code, description in qs.order_by("level", "code").values_list("code", "description")[:limit]
    ]
