"""Security of accounts: lockout (django-axes), idle sessions, and the second-factor gate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from network import services_accounts as svc
from network.models import Event, OutboxEmail
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

WRONG = "definitely-not-it-42"


def login(client: Client, email: str, password: str = PASSWORD, prefix: str = "", **extra: str):
    return client.post(f"{prefix}/accounts/login/", {"username": email, "password": password, **extra})


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


# --- Lockout --------------------------------------------------------------------------------------
def test_lockout_after_the_failure_limit(national_officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(2):
        response = login(client, national_officer.email, WRONG)
        assert response.status_code == 200
    response = login(client, national_officer.email, WRONG)  # the third failure locks
    assert response.status_code == 429
    # Now even the right password is refused, with the explanation page in Vietnamese.
    response = login(client, national_officer.email)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in html
    assert "Vui lòng chờ 15 phút rồi thử lại." in html
    assert client.session.get(SESSION_KEY) is None


def test_lockout_page_in_english(national_officer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        login(client, national_officer.email, WRONG, prefix="/en")
    response = login(client, national_officer.email, prefix="/en")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed attempts" in html
    assert "Please wait 15 minutes, then try again." in html
    assert "/en/accounts/password/reset/" in html


def test_lockout_is_per_account(national_officer, ministry_officer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        login(client, national_officer.email, WRONG)
    assert login(client, national_officer.email).status_code == 429
    response = login(client, ministry_officer.email)
    assert response.status_code == 302
    assert client.session.get(SESSION_KEY) == str(ministry_officer.pk)


def test_success_resets_the_failure_count(national_officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        login(Client(), national_officer.email, WRONG)
    assert login(Client(), national_officer.email).status_code == 302
    assert not AccessAttempt.objects.filter(username=national_officer.email, failures_since_start__gt=0).exists()
    for _ in range(2):
        assert login(Client(), national_officer.email, WRONG).status_code == 200
    assert login(Client(), national_officer.email).status_code == 302


def test_lockout_ends_after_the_cool_off(national_officer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        login(Client(), national_officer.email, WRONG)
    assert login(Client(), national_officer.email).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(Client(), national_officer.email).status_code == 302


def test_password_reset_lifts_the_lockout(national_officer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        login(Client(), national_officer.email, WRONG)
    assert login(Client(), national_officer.email).status_code == 429
    client = Client()
    client.post("/accounts/password/reset/", {"email": national_officer.email})
    body = OutboxEmail.objects.get(template="account_password_reset").body_text
    path = "/" + body.split("http://", 1)[1].split("/", 1)[1].split()[0]
    form_url = client.get(path).url
    new = "Mat-khau-moi-2026-Hn!"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert login(Client(), national_officer.email, new).status_code == 302


# --- Idle sessions --------------------------------------------------------------------------------
def test_session_settings_mean_inactivity_timeout(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60


def _session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_session_ends_after_inactivity(ministry_officer):
    client = Client()
    login(client, ministry_officer.email)
    assert client.get("/accounts/profile/").status_code == 200
    # As if SESSION_IDLE_MINUTES passed without a request.
    Session.objects.filter(pk=_session_row(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_each_request_extends_the_session(ministry_officer, settings):
    client = Client()
    login(client, ministry_officer.email)
    row = _session_row(client)
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/accounts/profile/").status_code == 200
    row.refresh_from_db()
    assert row.expire_date > timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1)


# --- The second factor at login -------------------------------------------------------------------
def test_official_with_a_device_must_enter_a_code(national_officer):
    device = confirmed_device(national_officer)
    client = Client()
    response = login(client, national_officer.email, next="/accounts/profile/")
    assert response.status_code == 302
    assert response.url == "/accounts/otp/verify/?next=%2Faccounts%2Fprofile%2F"
    # Nothing else answers until the code is given, not even the profile (where 2FA is turned off).
    for path in (
        "/accounts/profile/",
        "/network/dashboard/",
        "/accounts/profile/two-factor/",
        "/accounts/password/change/",
        "/en/accounts/profile/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(
            ("/accounts/otp/verify/", "/en/accounts/otp/verify/")
        ), path
    assert client.post("/accounts/profile/two-factor/disable/", {"password": PASSWORD}).status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    # A wrong code is refused ...
    response = client.post(
        "/accounts/otp/verify/",
        {"code": "000000" if code_for(device) != "000000" else "111111", "next": "/accounts/profile/"},
    )
    assert response.status_code == 200
    assert "Mã không đúng." in response.content.decode()
    # ... the right one (computed from the device key) lets the person in.
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post("/accounts/otp/verify/", {"code": code_for(device), "next": "/accounts/profile/"})
    assert response.status_code == 302 and response.url == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_otp_verify_refuses_an_unsafe_next(national_officer):
    device = confirmed_device(national_officer)
    client = Client()
    login(client, national_officer.email)
    response = client.post("/accounts/otp/verify/", {"code": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response.url


def test_a_code_cannot_be_used_twice(national_officer):
    device = confirmed_device(national_officer)
    code = code_for(device)
    first = Client()
    login(first, national_officer.email)
    assert first.post("/accounts/otp/verify/", {"code": code}).status_code == 302
    second = Client()
    login(second, national_officer.email)
    response = second.post("/accounts/otp/verify/", {"code": code})
    assert response.status_code == 200
    assert second.get("/accounts/profile/").status_code == 302


def test_backup_code_works_once(board_secretary):
    client = client_for(board_secretary)
    client.get("/accounts/profile/two-factor/")
    pending = TOTPDevice.objects.get(user=board_secretary)
    client.post("/accounts/profile/two-factor/", {"code": code_for(pending)})
    codes = list(StaticToken.objects.filter(device__user=board_secretary).values_list("token", flat=True))
    assert len(codes) == 10
    fresh = Client()
    login(fresh, board_secretary.email, prefix="/en")
    response = fresh.post("/en/accounts/otp/verify/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert fresh.get("/en/accounts/profile/").status_code == 200
    assert StaticToken.objects.filter(device__user=board_secretary).count() == 9
    again = Client()
    login(again, board_secretary.email)
    assert again.post("/accounts/otp/verify/", {"code": codes[0]}).status_code == 200
    assert again.get("/accounts/profile/").status_code == 302


def test_repeated_wrong_codes_are_throttled(national_officer):
    device = confirmed_device(national_officer)
    client = Client()
    login(client, national_officer.email)
    wrong = f"{(int(code_for(device)) + 500000) % 1000000:06d}"
    client.post("/accounts/otp/verify/", {"code": wrong})
    # Right after a failure django-otp refuses even the right code for a moment.
    response = client.post("/accounts/otp/verify/", {"code": code_for(device)})
    assert response.status_code == 200
    assert "Nhập sai mã quá nhiều lần" in response.content.decode()


def test_logout_is_possible_while_the_code_is_asked(national_officer):
    confirmed_device(national_officer)
    client = Client()
    login(client, national_officer.email)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.session.get(SESSION_KEY) is None


def test_language_switch_and_healthz_stay_open_while_the_code_is_asked(national_officer):
    confirmed_device(national_officer)
    client = Client()
    login(client, national_officer.email)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.get("/healthz").status_code in (200, 503)


def test_api_answers_403_while_the_code_is_asked(national_officer):
    confirmed_device(national_officer)
    client = Client()
    login(client, national_officer.email)
    assert client.get("/api/schema/").status_code == 403


# --- Administrators must use a second factor (unless relaxed) -------------------------------------
def test_admin_is_sent_to_setup_when_required(admin_user, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    client = Client()
    response = login(client, admin_user.email)
    assert response.status_code == 302 and response.url.startswith("/accounts/profile/two-factor/?next=")
    for path in ("/network/dashboard/", "/manage/", "/accounts/profile/", "/en/network/dashboard/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/profile/two-factor/" in response.url, path
    # The set-up page answers, and after it the admin is verified and may work.
    assert client.get("/accounts/profile/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    response = client.post("/accounts/profile/two-factor/", {"code": code_for(device)})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200  # the backup codes
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/manage/").status_code != 302
    assert Event.objects.filter(object_id=str(admin_user.pk), verb="two_factor_enabled").count() == 1


def test_admin_with_a_device_is_asked_for_the_code(admin_user, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    device = confirmed_device(admin_user)
    client = Client()
    response = login(client, admin_user.email)
    assert response.url.startswith("/accounts/otp/verify/")
    assert client.get("/manage/").url.startswith("/accounts/otp/verify/")
    client.post("/accounts/otp/verify/", {"code": code_for(device)})
    assert client.get("/accounts/profile/").status_code == 200


def test_admin_not_forced_when_relaxed(admin_user, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = False
    client = Client()
    response = login(client, admin_user.email)
    assert response.status_code == 302 and "two-factor" not in response.url and "otp" not in response.url
    assert client.get("/accounts/profile/").status_code == 200
    response = client.get("/manage/")
    assert not (response.status_code == 302 and "two-factor" in response.url)


def test_demo_banner_says_the_second_factor_is_relaxed(settings):
    settings.DEMO_MODE = True
    settings.OTP_REQUIRED_FOR_ADMINS = False
    html = Client().get("/accounts/login/").content.decode()
    assert "Xác thực hai lớp đối với quản trị viên được nới lỏng" in html


def test_official_who_is_not_admin_is_not_forced(national_officer, board_member, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    for user in (national_officer, board_member):
        client = Client()
        response = login(client, user.email, next="/accounts/profile/")
        assert response.status_code == 302 and response.url == "/accounts/profile/"
        assert client.get("/accounts/profile/").status_code == 200


def test_second_factor_step_rules(national_officer, admin_user, business, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    assert svc.second_factor_step(national_officer) is svc.SecondFactorStep.NONE
    assert svc.second_factor_step(business) is svc.SecondFactorStep.NONE
    assert svc.second_factor_step(admin_user) is svc.SecondFactorStep.SETUP
    confirmed_device(national_officer)
    assert svc.second_factor_step(national_officer) is svc.SecondFactorStep.VERIFY
    settings.OTP_REQUIRED_FOR_ADMINS = False
    assert svc.second_factor_step(admin_user) is svc.SecondFactorStep.NONE


def test_csp_allows_the_inline_qr_image(national_officer):
    response = client_for(national_officer).get("/accounts/profile/two-factor/")
    csp = response.headers.get("Content-Security-Policy", "")
    assert "img-src 'self' data:" in csp
    assert "script-src 'self'" in csp
