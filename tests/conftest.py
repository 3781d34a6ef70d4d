"""The named cast of users per role and shared fixtures (see STYLE.md)."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import Client

from network.models import Point, User

PASSWORD = "Cast-Password-2026!"


@pytest.fixture
def own_cache(settings):  # noqa: PT004
    """A local-memory cache of this test alone, emptied before and after: in CI the Redis cache is
    shared by the test processes, whose data differ."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "own"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def search_caches_on(settings, own_cache):  # noqa: PT004, ARG001
    """The notification search caches on, as deployed (tests run with them off), in ``own_cache``."""
    settings.NOTIFICATION_SEARCH_CACHE_SECONDS = 300


@pytest.fixture(autouse=True)
def _english_off(settings):  # noqa: PT004 - keep a predictable default language per test
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def reference(db):
    """The 43 points, provinces, WTO members, holidays and the Board's agencies (HS/ICS too)."""
    if Point.objects.count() != 43:
        call_command("load_reference_data", quiet=True)


def _make(email: str, full_name: str, role: str, point_code: str | None = None, **extra) -> User:
    point = Point.objects.get(code=point_code) if point_code else None
    return User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=full_name,
        role=role,
        point=point,
        email_verified_at="2026-01-01T00:00:00Z",
        **extra,
    )


@pytest.fixture
def national_officer(reference) -> User:
    return _make("lan.stameq@example.vn", "Nguyễn Thị Lan", User.Role.NATIONAL_OFFICER, "national", is_head=True)


@pytest.fixture
def national_clerk(reference) -> User:
    return _make("minh.stameq@example.vn", "Trần Văn Minh", User.Role.NATIONAL_OFFICER, "national")


@pytest.fixture
def ministry_officer(reference) -> User:
    """An officer of the Ministry of Industry and Trade's point."""
    return _make("hoa.moit@example.vn", "Lê Thị Hoa", User.Role.MINISTRY_OFFICER, "bo-cong-thuong", is_head=True)


@pytest.fixture
def other_ministry_officer(reference) -> User:
    """An officer of another ministry (Health): must not see Industry and Trade's objects."""
    return _make("tuan.moh@example.vn", "Phạm Văn Tuấn", User.Role.MINISTRY_OFFICER, "bo-y-te")


@pytest.fixture
def provincial_officer(reference) -> User:
    return _make("mai.hanoi@example.vn", "Đỗ Thị Mai", User.Role.PROVINCIAL_OFFICER, "tinh-01")


@pytest.fixture
def board_member(reference) -> User:
    return _make("quang.board@example.vn", "Võ Minh Quang", User.Role.BOARD_MEMBER, organisation="Bộ Tư pháp")


@pytest.fixture
def board_secretary(reference) -> User:
    return _make("thu.secretary@example.vn", "Hoàng Thị Thu", User.Role.BOARD_SECRETARY, organisation="STAMEQ")


@pytest.fixture
def admin_user(reference) -> User:
    return _make("admin@example.vn", "Quản trị viên", User.Role.ADMIN, is_staff=True)


@pytest.fixture
def business(reference) -> User:
    return _make(
        "ceo@vinaexport.example.vn", "Bùi Văn Nam", User.Role.BUSINESS, organisation="Công ty TNHH Vina Export"
    )


@pytest.fixture
def cast(
    national_officer,
    ministry_officer,
    other_ministry_officer,
    provincial_officer,
    board_member,
    board_secretary,
    admin_user,
    business,
) -> dict[str, User | None]:
    return {
        "national": national_officer,
        "ministry": ministry_officer,
        "other_ministry": other_ministry_officer,
        "provincial": provincial_officer,
        "board_member": board_member,
        "board_secretary": board_secretary,
        "admin": admin_user,
        "business": business,
        "anonymous": None,
    }


def client_for(user: User | None) -> Client:
    """A logged-in client (second factor marked verified for administrators)."""
    client = Client()
    if user is not None:
        client.force_login(user)
        if user.is_portal_admin:
            # As after a successful TOTP check: django-otp keeps the device id in the session.
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_static.models import StaticDevice

            device, _ = StaticDevice.objects.get_or_create(user=user, name="test")
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    return client


@pytest.fixture
def browser_ok() -> None:
    if not os.path.exists("/usr/bin/chromium"):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required at /usr/bin/chromium for the browser journeys")
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
