"""Accounts: login, logout, profile, registration, second factor (placeholder bodies)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

login_view = auth_views.LoginView.as_view(template_name="accounts/login.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")


def register(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/register.html")


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/otp_verify.html")
