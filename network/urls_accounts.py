from django.contrib.auth import views as auth_views
from django.urls import path

from . import views_accounts

app_name = "accounts"

urlpatterns = [
    path("login/", views_accounts.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views_accounts.profile, name="profile"),
    path("register/", views_accounts.register, name="register"),
    path("otp/verify/", views_accounts.otp_verify, name="otp_verify"),
]
