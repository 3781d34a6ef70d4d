"""Officials' work screens: dashboard, annual lists, annual reports (placeholder bodies)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "network/dashboard.html", {})


@login_required
def annual_list_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    raise Http404
