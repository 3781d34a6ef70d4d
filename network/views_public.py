"""The public directory of TBT points, and reference-data browsing for officials, the Board and admins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from .models import Point
from .reference import (
    holidays_list,
    hs_search,
    ics_search,
    points_search,
    provinces_search,
    reference_may_browse,
    wto_members_search,
)

PAGE_SIZE = 50


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


def directory(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    points = list(points_search(q))
    groups = [(level, label, [p for p in points if p.level == level]) for level, label in Point.Level.choices]
    return render(request, "network/directory.html", {"q": q, "groups": groups, "count": len(points)})


def point_detail(request: HttpRequest, code: str) -> HttpResponse:
    # The officials of a point are not shown publicly: only the point's own contacts.
    point = get_object_or_404(Point.objects.select_related("province"), code=code, is_active=True)
    return render(request, "network/point_detail.html", {"point": point})


# kind → (tab label, search function taking the query)
REFERENCE_KINDS: dict[str, tuple[Any, Callable[[str], QuerySet[Any]]]] = {
    "hs": (_("HS 2022"), hs_search),
    "ics": (_("ICS"), ics_search),
    "wto": (_("WTO members"), wto_members_search),
    "provinces": (_("Provinces"), provinces_search),
    "holidays": (_("Public holidays"), lambda q: holidays_list(int(q) if q.isdigit() and len(q) == 4 else None)),
}


@login_required
def reference(request: HttpRequest) -> HttpResponse:
    if not reference_may_browse(request.user):
        raise Http404
    kind = request.GET.get("kind", "hs")
    if kind not in REFERENCE_KINDS:
        kind = "hs"
    q = _query(request)
    page = Paginator(REFERENCE_KINDS[kind][1](q), PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [(key, label) for key, (label, _search) in REFERENCE_KINDS.items()]
    return render(
        request,
        "network/reference.html",
        {"kind": kind, "q": q, "page": page, "tabs": tabs, "table": f"network/reference_{kind}.html"},
    )
