"""Public directory of TBT points and reference data browsing (placeholder bodies)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Point


def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "network/directory.html", {"points": Point.objects.filter(is_active=True)})


def point_detail(request: HttpRequest, code: str) -> HttpResponse:
    point = get_object_or_404(Point, code=code, is_active=True)
    return render(request, "network/point_detail.html", {"point": point})


@login_required
def reference(request: HttpRequest) -> HttpResponse:
    return render(request, "network/reference.html", {})
