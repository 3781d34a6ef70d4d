"""Administration screens (/manage/): users, points, Board membership, event log."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .permissions import require_admin


@require_admin
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "manage/home.html")
