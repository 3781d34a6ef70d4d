from django.urls import path

from . import views_accounts as views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("password/change/", views.password_change, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("register/", views.register, name="register"),
    path("verify/resend/", views.verify_resend, name="verify_resend"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("profile/", views.profile, name="profile"),
    path("profile/two-factor/", views.two_factor, name="two_factor"),
    path("profile/two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("profile/two-factor/backup-codes/new/", views.two_factor_regenerate, name="two_factor_regenerate"),
    path("profile/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
]
