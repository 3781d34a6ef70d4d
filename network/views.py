"""Views of the network app (placeholder bodies are replaced as the foundation is built)."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Point


def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "network/directory.html", {"points": Point.objects.filter(is_active=True)})


def point_detail(request: HttpRequest, code: str) -> HttpResponse:
    point = get_object_or_404(Point, code=code, is_active=True)
    return render(request, "network/point_detail.html", {"point": point})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "network/dashboard.html", {})


@login_required
def reference(request: HttpRequest) -> HttpResponse:
    return render(request, "network/reference.html", {})


@login_required
def annual_list_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    raise Http404
