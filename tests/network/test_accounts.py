"""Accounts: login, passwords and reset, registration with e-mail verification, profile, TOTP set-up.

Lockout, idle timeout and the second-factor gate are in test_security.py.
"""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from network import services_accounts as svc
from network.models import Event, OutboxEmail, User
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-moi-2026-Hn!"


def login(client: Client, email: str, password: str = PASSWORD, prefix: str = "", **extra: str):
    return client.post(f"{prefix}/accounts/login/", {"username": email, "password": password, **extra})


def logged_in_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def events(user: User, verb: str) -> int:
    return Event.objects.filter(object_id=str(user.pk), verb=verb).count()


def link_path(body: str) -> str:
    match = re.search(r"http://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


# --- Login ----------------------------------------------------------------------------------------
def test_login_page_labels_in_vietnamese():
    html = Client().get("/accounts/login/").content.decode()
    assert ">Thư điện tử</label>" in html
    assert ">Mật khẩu</label>" in html
    assert '<button type="submit" class="button">Đăng nhập</button>' in html


def test_login_page_labels_in_english():
    html = Client().get("/en/accounts/login/").content.decode()
    assert ">E-mail</label>" in html
    assert ">Password</label>" in html
    assert '<button type="submit" class="button">Log in</button>' in html


def test_login_success_official_lands_on_dashboard(national_officer):
    client = Client()
    response = login(client, national_officer.email)
    assert response.status_code == 302
    assert response.url == "/network/dashboard/" or response.url.startswith("/network/")
    assert logged_in_id(client) == str(national_officer.pk)


def test_login_success_in_english_and_email_case_ignored(ministry_officer):
    client = Client()
    response = login(client, "  HOA.MOIT@Example.VN ", prefix="/en")
    assert response.status_code == 302
    assert logged_in_id(client) == str(ministry_officer.pk)


def test_login_success_business_lands_on_home(business):
    client = Client()
    response = login(client, business.email)
    assert response.status_code == 302 and response.url == "/"


def test_login_wrong_password_vietnamese(national_officer):
    client = Client()
    response = login(client, national_officer.email, "wrong-password-123")
    assert response.status_code == 200
    assert "Địa chỉ thư điện tử hoặc mật khẩu không đúng." in response.content.decode()
    assert logged_in_id(client) is None


def test_login_wrong_password_english(national_officer):
    client = Client()
    response = login(client, national_officer.email, "wrong-password-123", prefix="/en")
    assert "The e-mail address or the password is not correct." in response.content.decode()
    assert logged_in_id(client) is None


def test_login_unknown_user_same_message():
    response = login(Client(), "nobody@example.vn", "whatever-password-1")
    assert "Địa chỉ thư điện tử hoặc mật khẩu không đúng." in response.content.decode()


def test_login_unverified_business_told_to_verify(reference):
    user = svc.business_register(
        full_name="Ngô Văn A",
        organisation="Công ty A",
        email="a@company.example.vn",
        phone="",
        language="vi",
        password=NEW_PASSWORD,
    )
    assert user is not None
    client = Client()
    html = login(client, user.email, NEW_PASSWORD).content.decode()
    assert "chưa được xác minh" in html
    assert "/accounts/verify/resend/" in html
    assert logged_in_id(client) is None
    # A wrong password says nothing about the account.
    html = login(client, user.email, "not-the-password-9").content.decode()
    assert "chưa được xác minh" not in html


def test_login_disabled_account_told_so(provincial_officer):
    provincial_officer.is_active = False
    provincial_officer.save(update_fields=["is_active"])
    client = Client()
    html = login(client, provincial_officer.email, prefix="/en").content.decode()
    assert "This account is disabled." in html
    assert logged_in_id(client) is None


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/network/", "/network/"),
        ("/en/network/", "/en/network/"),
        ("https://evil.example/", None),
        ("//evil.example/x", None),
    ],
)
def test_login_next_is_followed_only_when_safe(national_officer, next_url, expected):
    response = login(Client(), national_officer.email, next=next_url)
    assert response.status_code == 302
    if expected:
        assert response.url == expected
    else:
        assert "evil" not in response.url


def test_logout_is_post_only(national_officer):
    client = client_for(national_officer)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert logged_in_id(client) is None


# --- Password change ------------------------------------------------------------------------------
def test_password_change_requires_login():
    response = Client().get("/accounts/password/change/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_password_change_rules_in_vietnamese(national_officer):
    client = client_for(national_officer)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Ngan-11-kt!", "new_password2": "Ngan-11-kt!"},
    )
    html = response.content.decode()
    assert "Mật khẩu quá ngắn" in html
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "qwerty123456", "new_password2": "qwerty123456"},
    )
    assert "Mật khẩu này quá phổ biến." in response.content.decode()
    national_officer.refresh_from_db()
    assert national_officer.check_password(PASSWORD)
    assert events(national_officer, "password_changed") == 0


def test_password_change_wrong_old_password(national_officer):
    client = client_for(national_officer)
    response = client.post(
        "/en/accounts/password/change/",
        {"old_password": "nope-nope-nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    national_officer.refresh_from_db()
    assert national_officer.check_password(PASSWORD)


def test_password_change_success_keeps_session_and_records_event(national_officer):
    client = client_for(national_officer)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/accounts/profile/"
    national_officer.refresh_from_db()
    assert national_officer.check_password(NEW_PASSWORD)
    assert events(national_officer, "password_changed") == 1
    assert client.get("/accounts/profile/").status_code == 200  # still logged in


# --- Password reset -------------------------------------------------------------------------------
def test_password_reset_email_goes_through_outbox_in_users_language(ministry_officer):
    ministry_officer.language = "en"
    ministry_officer.save(update_fields=["language"])
    response = Client().post("/accounts/password/reset/", {"email": ministry_officer.email.upper()})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/sent/"
    row = OutboxEmail.objects.get(template="account_password_reset")
    assert row.to == ministry_officer.email and row.language == "en"
    assert row.subject == "Set a new password on the Vietnam TBT Portal"
    assert link_path(row.body_text).startswith("/en/accounts/password/reset/")


def test_password_reset_vietnamese_email(national_officer):
    Client().post("/en/accounts/password/reset/", {"email": national_officer.email})
    row = OutboxEmail.objects.get(template="account_password_reset")
    assert row.subject == "Đặt mật khẩu mới trên Cổng thông tin TBT Việt Nam"
    assert "Kính gửi Nguyễn Thị Lan," in row.body_text
    assert link_path(row.body_text).startswith("/accounts/password/reset/")


def test_password_reset_unknown_or_inactive_address_sends_nothing(provincial_officer):
    provincial_officer.is_active = False
    provincial_officer.save(update_fields=["is_active"])
    for email in ("nobody@example.vn", provincial_officer.email):
        response = Client().post("/accounts/password/reset/", {"email": email})
        assert response.status_code == 302 and response.url == "/accounts/password/reset/sent/"
    assert not OutboxEmail.objects.filter(template="account_password_reset").exists()


def test_password_reset_full_flow(national_officer):
    client = Client()
    client.post("/accounts/password/reset/", {"email": national_officer.email})
    path = link_path(OutboxEmail.objects.get(template="account_password_reset").body_text)
    response = client.get(path)
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response.url
    html = client.get(form_url).content.decode()
    assert ">Mật khẩu mới</label>" in html
    # Validators apply, with the messages in Vietnamese ...
    response = client.post(form_url, {"new_password1": "Ngan-11-kt!", "new_password2": "Ngan-11-kt!"})
    assert "Mật khẩu quá ngắn: cần có ít nhất 12 ký tự." in response.content.decode()
    response = client.post(form_url, {"new_password1": "password1234", "new_password2": "password1234"})
    assert "Mật khẩu này quá phổ biến." in response.content.decode()
    national_officer.refresh_from_db()
    assert national_officer.check_password(PASSWORD)
    # ... and a good password is saved and recorded.
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/done/"
    national_officer.refresh_from_db()
    assert national_officer.check_password(NEW_PASSWORD)
    assert events(national_officer, "password_reset") == 1
    assert logged_in_id(login(Client(), national_officer.email, NEW_PASSWORD).client) == str(national_officer.pk)
    # The link works once.
    again = Client()
    response = again.get(path, follow=True)
    assert "Đường dẫn không hợp lệ" in response.content.decode()


def test_password_reset_messages_in_english(national_officer):
    client = Client()
    client.post("/en/accounts/password/reset/", {"email": national_officer.email})
    path = link_path(OutboxEmail.objects.get(template="account_password_reset").body_text)
    form_url = client.get(path).url
    response = client.post(
        f"/en{form_url}" if not form_url.startswith("/en/") else form_url,
        {"new_password1": "Short-11ch!", "new_password2": "Short-11ch!"},
    )
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()


# --- Registration and verification ----------------------------------------------------------------
REGISTRATION = {
    "full_name": "Trịnh Thị Hương",
    "organisation": "Công ty Cổ phần Thủy sản Cà Mau",
    "email": "Huong@CaMauSeafood.example.vn",
    "phone": "0290 3831 234",
    "language": "vi",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "consent": "on",
}


def test_registration_page_in_both_languages():
    vi = Client().get("/accounts/register/").content.decode()
    assert ">Họ và tên</label>" in vi and ">Thư điện tử</label>" in vi
    en = Client().get("/en/accounts/register/").content.decode()
    assert ">Full name</label>" in en and ">Preferred language</label>" in en


def test_registration_creates_inactive_business_and_verification_email(reference):
    response = Client().post("/accounts/register/", REGISTRATION)
    assert response.status_code == 200
    assert "huong@camauseafood.example.vn" in response.content.decode()
    user = User.objects.get(email="huong@camauseafood.example.vn")
    assert user.role == User.Role.BUSINESS
    assert not user.is_active and user.email_verified_at is None
    assert not user.is_staff and not user.is_superuser and user.point is None
    assert user.organisation == "Công ty Cổ phần Thủy sản Cà Mau" and user.phone == "0290 3831 234"
    assert user.check_password(NEW_PASSWORD)
    assert events(user, "account_registered") == 1
    row = OutboxEmail.objects.get(template="account_verify")
    assert row.to == user.email and row.language == "vi"
    assert "Kích hoạt tài khoản" in row.subject
    assert link_path(row.body_text).startswith("/accounts/verify/")


def test_registration_in_english_sends_english_link(reference):
    Client().post("/en/accounts/register/", {**REGISTRATION, "language": "en"})
    row = OutboxEmail.objects.get(template="account_verify")
    assert row.language == "en" and row.subject == "Activate your account on the Vietnam TBT Portal"
    assert link_path(row.body_text).startswith("/en/accounts/verify/")


def test_registration_cannot_choose_another_role(reference):
    Client().post(
        "/accounts/register/",
        {**REGISTRATION, "role": "admin", "is_staff": "on", "is_superuser": "on", "point": "1", "is_active": "on"},
    )
    user = User.objects.get(email="huong@camauseafood.example.vn")
    assert user.role == User.Role.BUSINESS
    assert not (user.is_staff or user.is_superuser or user.is_active) and user.point_id is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password1": "Ngan-11-kt!", "password2": "Ngan-11-kt!"}, "Mật khẩu quá ngắn"),
        ({"password1": "qwerty123456", "password2": "qwerty123456"}, "Mật khẩu này quá phổ biến."),
        ({"password2": "Something-else-2026"}, "Hai mật khẩu không khớp nhau."),
        ({"consent": ""}, "Vui lòng đồng ý để tạo tài khoản."),
        ({"phone": "call me maybe"}, "Nhập số điện thoại chỉ gồm chữ số"),
    ],
)
def test_registration_refusals_in_vietnamese(reference, changes, message):
    data = {k: v for k, v in {**REGISTRATION, **changes}.items() if v != ""}
    response = Client().post("/accounts/register/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="huong@camauseafood.example.vn").exists()
    assert not OutboxEmail.objects.exists()


def test_registration_short_password_in_english(reference):
    response = Client().post(
        "/en/accounts/register/", {**REGISTRATION, "password1": "Short-11ch!", "password2": "Short-11ch!"}
    )
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()


def test_registration_of_a_known_address_creates_nothing_and_tells_the_owner(business):
    response = Client().post("/accounts/register/", {**REGISTRATION, "email": business.email.upper()})
    assert response.status_code == 200
    assert User.objects.filter(email__iexact=business.email).count() == 1
    business.refresh_from_db()
    assert business.check_password(PASSWORD) and business.full_name == "Bùi Văn Nam"
    row = OutboxEmail.objects.get()
    assert row.template == "account_exists" and row.to == business.email


def test_verification_link_activates_once(reference):
    client = Client()
    client.post("/accounts/register/", REGISTRATION)
    user = User.objects.get(email="huong@camauseafood.example.vn")
    path = link_path(OutboxEmail.objects.get(template="account_verify").body_text)
    response = client.get(path)
    assert response.status_code == 200
    assert "Địa chỉ thư điện tử đã được xác minh" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None
    assert events(user, "account_verified") == 1
    first = user.email_verified_at
    response = client.get(path)
    assert "đã được xác minh trước đó" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at == first and events(user, "account_verified") == 1
    # And now the business can log in.
    assert logged_in_id(login(Client(), user.email, NEW_PASSWORD).client) == str(user.pk)


def test_verification_link_in_english(reference):
    client = Client()
    client.post("/en/accounts/register/", {**REGISTRATION, "language": "en"})
    response = client.get(link_path(OutboxEmail.objects.get(template="account_verify").body_text))
    assert "Your e-mail address is verified" in response.content.decode()


def test_verification_token_tampered_is_refused(reference):
    user = svc.business_register(
        **{k: REGISTRATION[k] for k in ("full_name", "organisation", "email", "phone", "language")},
        password=NEW_PASSWORD,
    )
    assert user is not None
    token = svc.verification_token_make(user=user)
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    response = Client().get(f"/accounts/verify/{tampered}/")
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()
    # A token signed for another address (the account's e-mail changed) is refused too.
    other = User.objects.create_user(email="other@example.vn", password=NEW_PASSWORD, full_name="X", is_active=False)
    foreign = svc.verification_token_make(user=other)
    other.email = "changed@example.vn"
    other.save(update_fields=["email"])
    assert Client().get(f"/accounts/verify/{foreign}/").status_code == 400
    user.refresh_from_db()
    assert not user.is_active and user.email_verified_at is None
    assert events(user, "account_verified") == 0


def test_verification_token_expired_is_refused(reference):
    user = svc.business_register(
        **{k: REGISTRATION[k] for k in ("full_name", "organisation", "email", "phone", "language")},
        password=NEW_PASSWORD,
    )
    assert user is not None
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3 * 86400 - 60):
        old = svc.verification_token_make(user=user)
    response = Client().get(f"/en/accounts/verify/{old}/")
    assert response.status_code == 400
    assert "This activation link has expired." in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    # Just inside the three days it still works.
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3 * 86400 + 60):
        fresh = svc.verification_token_make(user=user)
    assert Client().get(f"/accounts/verify/{fresh}/").status_code == 200


def test_verification_link_never_reactivates_a_disabled_account(business):
    token = svc.verification_token_make(user=business)
    business.is_active = False
    business.save(update_fields=["is_active"])
    response = Client().get(f"/accounts/verify/{token}/")
    assert response.status_code == 200
    business.refresh_from_db()
    assert not business.is_active


def test_resend_verification(reference):
    Client().post("/accounts/register/", REGISTRATION)
    user = User.objects.get(email="huong@camauseafood.example.vn")
    # Right after registering, a second e-mail is not queued (flood guard) ...
    Client().post("/accounts/verify/resend/", {"email": user.email})
    assert OutboxEmail.objects.filter(template="account_verify").count() == 1
    # ... a few minutes later it is, with a working link.
    OutboxEmail.objects.update(created_at=OutboxEmail.objects.get().created_at - svc.VERIFY_RESEND_INTERVAL * 2)
    response = Client().post("/accounts/verify/resend/", {"email": user.email.upper()})
    assert response.status_code == 200
    assert "chúng tôi đã gửi tới đó đường dẫn kích hoạt mới" in response.content.decode()
    newest = OutboxEmail.objects.filter(template="account_verify").order_by("-id").first()
    assert newest is not None and OutboxEmail.objects.filter(template="account_verify").count() == 2
    assert events(user, "verification_resent") == 1
    assert Client().get(link_path(newest.body_text)).status_code == 200
    user.refresh_from_db()
    assert user.is_active


def test_resend_verification_says_the_same_for_unknown_and_verified(business):
    for email in ("nobody@example.vn", business.email):
        response = Client().post("/accounts/verify/resend/", {"email": email})
        assert response.status_code == 200
        assert "chúng tôi đã gửi tới đó đường dẫn kích hoạt mới" in response.content.decode()
    assert not OutboxEmail.objects.exists()


def test_logged_in_user_is_sent_from_register_to_profile(business):
    response = client_for(business).get("/accounts/register/")
    assert response.status_code == 302 and response.url == "/accounts/profile/"


# --- Profile --------------------------------------------------------------------------------------
def test_profile_requires_login():
    response = Client().get("/en/accounts/profile/")
    assert response.status_code == 302 and "/en/accounts/login/" in response.url


def test_profile_shows_point_read_only(ministry_officer):
    html = client_for(ministry_officer).get("/accounts/profile/").content.decode()
    assert ministry_officer.email in html
    assert ministry_officer.point.name_vi in html
    assert 'name="point"' not in html and 'name="email"' not in html and 'name="organisation"' not in html
    assert "/accounts/password/change/" in html and "/accounts/profile/two-factor/" in html


def test_profile_update(ministry_officer):
    client = client_for(ministry_officer)
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "Lê Thị Hoa (P. TBT)",
            "phone": "024 2220 2222",
            "language": "en",
            "email": "evil@example.vn",
            "role": "admin",
            "point": "",
            "organisation": "Hacked",
        },
    )
    assert response.status_code == 302
    ministry_officer.refresh_from_db()
    assert ministry_officer.full_name == "Lê Thị Hoa (P. TBT)" and ministry_officer.language == "en"
    assert ministry_officer.email == "hoa.moit@example.vn" and ministry_officer.role == User.Role.MINISTRY_OFFICER
    assert ministry_officer.point.code == "bo-cong-thuong" and ministry_officer.organisation == ""
    assert events(ministry_officer, "profile_updated") == 1
    # Saving unchanged data writes nothing.
    client.post("/accounts/profile/", {"full_name": "Lê Thị Hoa (P. TBT)", "phone": "024 2220 2222", "language": "en"})
    assert events(ministry_officer, "profile_updated") == 1


def test_business_profile_edits_organisation_and_has_no_second_factor(business):
    client = client_for(business)
    html = client.get("/accounts/profile/").content.decode()
    assert 'name="organisation"' in html and "/accounts/profile/two-factor/" not in html
    client.post(
        "/accounts/profile/",
        {"full_name": business.full_name, "organisation": "Vina Export JSC", "phone": "", "language": "vi"},
    )
    business.refresh_from_db()
    assert business.organisation == "Vina Export JSC"


def test_preferred_language_is_used_for_emails(national_officer):
    client_for(national_officer).post(
        "/accounts/profile/", {"full_name": national_officer.full_name, "phone": "", "language": "en"}
    )
    Client().post("/accounts/password/reset/", {"email": national_officer.email})
    assert OutboxEmail.objects.get(template="account_password_reset").language == "en"


@pytest.mark.parametrize(
    "who",
    ["national", "ministry", "other_ministry", "provincial", "board_member", "board_secretary", "admin", "business"],
)
def test_profile_matrix(cast, who):
    assert client_for(cast[who]).get("/accounts/profile/").status_code == 200


# --- Second factor: set-up and management ---------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national", 200),
        ("ministry", 200),
        ("provincial", 200),
        ("board_member", 200),
        ("board_secretary", 200),
        ("admin", 200),
        ("business", 404),
    ],
)
def test_two_factor_page_matrix(cast, who, status):
    assert client_for(cast[who]).get("/accounts/profile/two-factor/").status_code == status


def test_two_factor_pages_need_login():
    for path in ("/accounts/profile/two-factor/", "/accounts/profile/two-factor/backup-codes/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_business_cannot_post_two_factor_actions(business):
    client = client_for(business)
    for path in (
        "/accounts/profile/two-factor/",
        "/accounts/profile/two-factor/disable/",
        "/accounts/profile/two-factor/backup-codes/new/",
    ):
        assert client.post(path, {"password": PASSWORD, "code": "123456"}).status_code == 404
    assert not TOTPDevice.objects.filter(user=business).exists()


def enable_two_factor(client: Client, user: User) -> tuple[TOTPDevice, list[str]]:
    client.get("/accounts/profile/two-factor/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/profile/two-factor/", {"code": current_code(device)})
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(response.url).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    return TOTPDevice.objects.get(pk=device.pk), codes


def test_two_factor_setup_shows_qr_and_secret(national_officer):
    html = client_for(national_officer).get("/accounts/profile/two-factor/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=national_officer, confirmed=False)
    secret = svc.totp_provisioning(device).secret
    assert secret in html and len(secret.replace(" ", "")) == 32
    # The pending secret stays the same on reload (a scanned code keeps working).
    client_for(national_officer).get("/accounts/profile/two-factor/")
    assert TOTPDevice.objects.filter(user=national_officer).count() == 1


def test_two_factor_setup_wrong_code_changes_nothing(national_officer):
    client = client_for(national_officer)
    client.get("/accounts/profile/two-factor/")
    device = TOTPDevice.objects.get(user=national_officer)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = client.post("/accounts/profile/two-factor/", {"code": wrong})
    assert response.status_code == 200
    assert "Mã không đúng." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=national_officer).exists()
    assert events(national_officer, "two_factor_enabled") == 0


def test_two_factor_setup_with_real_code(national_officer):
    client = client_for(national_officer)
    device, codes = enable_two_factor(client, national_officer)
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=national_officer).count() == 10
    assert events(national_officer, "two_factor_enabled") == 1
    # The codes were shown once: the page now sends back to the status page.
    response = client.get("/accounts/profile/two-factor/backup-codes/")
    assert response.status_code == 302
    html = client.get("/accounts/profile/two-factor/").content.decode()
    assert "Đang bật" in html and codes[0] not in html
    # The session that set it up counts as verified: no code asked now.
    assert client.get("/accounts/profile/").status_code == 200


def test_two_factor_regenerate_backup_codes(board_member):
    client = client_for(board_member)
    _device, old_codes = enable_two_factor(client, board_member)
    response = client.post("/accounts/profile/two-factor/backup-codes/new/", {"password": "wrong"})
    assert response.status_code == 400
    assert set(StaticToken.objects.filter(device__user=board_member).values_list("token", flat=True)) == set(old_codes)
    response = client.post("/accounts/profile/two-factor/backup-codes/new/", {"password": PASSWORD})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert events(board_member, "backup_codes_regenerated") == 1


def test_two_factor_disable_needs_password(provincial_officer):
    client = client_for(provincial_officer)
    enable_two_factor(client, provincial_officer)
    response = client.post("/en/accounts/profile/two-factor/disable/", {"password": "wrong-password"})
    assert response.status_code == 400
    assert "The password is not correct." in response.content.decode()
    assert TOTPDevice.objects.filter(user=provincial_officer, confirmed=True).exists()
    response = client.post("/accounts/profile/two-factor/disable/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=provincial_officer).exists()
    assert not StaticDevice.objects.filter(user=provincial_officer).exists()
    assert events(provincial_officer, "two_factor_disabled") == 1
    # Without a device, the next login asks for no code.
    assert logged_in_id(login(Client(), provincial_officer.email).client) == str(provincial_officer.pk)


def test_admin_cannot_disable_when_required(admin_user, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    client = client_for(admin_user)
    enable_two_factor(client, admin_user)
    response = client.post("/accounts/profile/two-factor/disable/", {"password": PASSWORD})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()
    assert events(admin_user, "two_factor_disabled") == 0


def test_two_factor_disable_is_post_only(national_officer):
    assert client_for(national_officer).get("/accounts/profile/two-factor/disable/").status_code == 405


def test_simultaneous_registration_of_one_address_creates_one_account(business):
    """The unique e-mail decides when two sign-ups race past the existence check."""
    racing = mock.MagicMock()
    racing.filter.return_value.first.return_value = None
    with mock.patch.object(User.objects, "select_for_update", return_value=racing):
        result = svc.business_register(
            full_name="X", organisation="Y", email=business.email, phone="", language="vi", password=NEW_PASSWORD
        )
    assert result is None
    assert User.objects.filter(email__iexact=business.email).count() == 1
    assert OutboxEmail.objects.get().template == "account_exists"
    assert not Event.objects.filter(verb="account_registered").exists()
