"""One role × endpoint table for every screen of the network app (directory, reference data, work
screens, administration, accounts), read by GET, and for every state-changing POST of the work
screens: no read → 404 (or the login page for anonymous visitors), read but no write → 403.

A guard test fails when a network route is added without a row here."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from network import services
from network.models import AnnualList, AnnualReport, Deadline, Event, Holiday, OutboxEmail, Point
from tests.conftest import client_for

ROLES = ["national", "ministry", "other_ministry", "provincial", "board_member", "board_secretary", "admin",
         "business", "anonymous"]  # fmt: skip
LOGIN = "login"  # anonymous visitors are sent to the login page
HOME = "home"  # a business has no dashboard: it is sent to the home page

ALL = dict.fromkeys(ROLES, 200)
OFFICIALS = {**dict.fromkeys(ROLES, 200), "business": 404, "anonymous": LOGIN}
ADMIN_ONLY = {**dict.fromkeys(ROLES, 404), "admin": 200, "anonymous": LOGIN}
LOGGED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}
ANONYMOUS_ONLY_FORM = ALL
MOIT_READERS = {**dict.fromkeys(ROLES, 404), "ministry": 200, "national": 200, "admin": 200, "anonymous": LOGIN}
PROVINCE_READERS = {**dict.fromkeys(ROLES, 404), "provincial": 200, "national": 200, "admin": 200, "anonymous": LOGIN}
NATIONAL_READERS = {**dict.fromkeys(ROLES, 404), "national": 200, "admin": 200, "anonymous": LOGIN}

# (route name, kwargs builder key, expected status per role)
GET_MATRIX: list[tuple[str, str, dict[str, int | str]]] = [
    ("home", "", ALL),
    ("network:directory", "", ALL),
    ("network:point_detail", "point", ALL),
    ("network:reference", "", OFFICIALS),
    ("network:dashboard", "", {**OFFICIALS, "business": HOME}),
    ("network:deadline_list", "", OFFICIALS),
    ("network:annual_list_overview", "",
     {**dict.fromkeys(ROLES, 404), "national": 200, "admin": 200, "ministry": 200, "other_ministry": 200,
      "anonymous": LOGIN}),
    ("network:annual_list_approval", "year",
     # the national point and the administrators read every list but record no approval date
     {**dict.fromkeys(ROLES, 404), "ministry": 200, "other_ministry": 200, "national": 403, "admin": 403,
      "anonymous": LOGIN}),
    ("network:annual_list_detail", "list", MOIT_READERS),
    ("network:report_list", "",
     {**dict.fromkeys(ROLES, 404), "national": 200, "ministry": 200, "other_ministry": 200, "provincial": 200,
      "admin": 200, "anonymous": LOGIN}),
    ("network:report_detail", "moit_report", MOIT_READERS),
    ("network:report_detail", "province_report", PROVINCE_READERS),
    ("network:report_detail", "pm_report", NATIONAL_READERS),
    ("manage:home", "", ADMIN_ONLY),
    ("manage:user_list", "", ADMIN_ONLY),
    ("manage:user_create", "", ADMIN_ONLY),
    ("manage:user_edit", "user", ADMIN_ONLY),
    ("manage:point_list", "", ADMIN_ONLY),
    ("manage:point_edit", "point", ADMIN_ONLY),
    ("manage:holiday_list", "", ADMIN_ONLY),
    ("manage:event_list", "", ADMIN_ONLY),
    ("manage:outbox_list", "", ADMIN_ONLY),
    ("accounts:login", "", ALL),
    ("accounts:register", "", {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    ("accounts:password_reset", "", ALL),
    ("accounts:verify_resend", "", ALL),
    ("accounts:profile", "", LOGGED_IN),
    ("accounts:password_change", "", LOGGED_IN),
    ("accounts:two_factor", "", {**LOGGED_IN, "business": 404}),
]  # fmt: skip

# State-changing POSTs of the work screens, with an empty body: a role that may act gets past the
# permission check (200 with form errors, or a redirect), one that may read but not act gets 403.
POST_MATRIX: list[tuple[str, str, dict[str, int | str]]] = [
    ("network:annual_list_item_add", "list",
     {**MOIT_READERS, "ministry": 200, "national": 403, "admin": 403}),
    ("network:annual_list_submit", "list",
     {**MOIT_READERS, "ministry": 200, "national": 403, "admin": 403}),
    ("network:report_submit", "moit_report",
     {**MOIT_READERS, "ministry": 200, "national": 403, "admin": 403}),
    ("network:report_submit", "province_report",
     {**PROVINCE_READERS, "provincial": 200, "national": 403, "admin": 403}),
    ("network:report_submit", "pm_report", {**NATIONAL_READERS, "national": 200, "admin": 403}),
    ("manage:user_deactivate", "user", {**ADMIN_ONLY, "admin": 302}),
    ("manage:holiday_delete", "holiday", {**ADMIN_ONLY, "admin": 302}),
]  # fmt: skip

# Routes checked elsewhere (tokens, one-off flows) and why they are not in the tables above.
ELSEWHERE = {
    "accounts:logout": "POST only; test_accounts",
    "accounts:otp_verify": "needs a half-logged-in session; test_security",
    "accounts:password_reset_done": "static confirmation page; test_accounts",
    "accounts:password_reset_confirm": "needs a token; test_accounts",
    "accounts:password_reset_complete": "static confirmation page; test_accounts",
    "accounts:verify": "needs a token; test_accounts",
    "accounts:two_factor_backup_codes": "needs a confirmed device; test_security",
    "accounts:two_factor_regenerate": "POST with a device; test_security",
    "accounts:two_factor_disable": "POST with a device; test_security",
    "network:annual_list_item_remove": "needs an item; test_annual_lists",
    "manage:user_reactivate": "needs an inactive user; test_manage",
    "manage:user_welcome": "POST; test_manage",
    "manage:outbox_retry": "needs a failed e-mail; test_manage",
}


@pytest.fixture
def objects(cast) -> dict[str, dict]:
    return build_objects(cast)


def build_objects(cast) -> dict[str, dict]:
    """One object of each kind the routes take, and the keyword arguments to reach it."""
    today = date.today()
    moit = Point.objects.get(code="bo-cong-thuong")
    annual_list = services.annual_list_record_approval(
        actor=cast["ministry"], point=moit, year=today.year, approved_on=today
    )
    services.annual_reports_open_for_year(year=today.year, today=today, force=True)
    reports = AnnualReport.objects.filter(year=today.year)
    holiday = Holiday.objects.create(date=date(today.year + 3, 3, 8), name_vi="Ngày thử", name_en="Test day")
    return {
        "": {},
        "point": {"code": "bo-cong-thuong"},
        "year": {"year": today.year},
        "list": {"public_id": annual_list.public_id},
        "moit_report": {"public_id": reports.get(point=moit).public_id},
        "province_report": {"public_id": reports.get(point__code="tinh-01").public_id},
        "pm_report": {"public_id": reports.get(point__code="national").public_id},
        "user": {"pk": cast["business"].pk},
        "holiday": {"pk": holiday.pk},
    }


def _outcome(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if "/accounts/login/" in location:
            return LOGIN
        if location == "/":
            return HOME
    return response.status_code


def _state() -> tuple:
    return (
        list(AnnualList.objects.order_by("pk").values()),
        list(AnnualReport.objects.order_by("pk").values()),
        list(Deadline.objects.order_by("pk").values()),
        list(Holiday.objects.order_by("pk").values_list("pk", flat=True)),
        Event.objects.count(),
        OutboxEmail.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(role, cast, objects):
    client = client_for(cast[role])
    seen = {}
    for name, key, expected in GET_MATRIX:
        path = reverse(name, kwargs=objects[key])
        seen[f"{name} {key}"] = (_outcome(client.get(path)), expected[role])
    wrong = {k: v for k, v in seen.items() if v[0] != v[1]}
    assert not wrong, f"{role}: (got, expected) {wrong}"


@pytest.mark.parametrize("role", ROLES)
def test_post_matrix_refusals_change_nothing(role, cast, objects):
    client = client_for(cast[role])
    for name, key, expected in POST_MATRIX:
        if expected[role] not in (403, 404, LOGIN):
            continue
        before = _state()
        outcome = _outcome(client.post(reverse(name, kwargs=objects[key]), {}))
        assert outcome == expected[role], (role, name, key, outcome)
        assert _state() == before, (role, name, key)


@pytest.mark.parametrize(("name", "key", "expected"), POST_MATRIX)
def test_post_matrix_the_allowed_role_gets_through(name, key, expected, cast, objects):
    allowed = [role for role, status in expected.items() if status not in (403, 404, LOGIN)]
    assert allowed, name
    for role in allowed:
        outcome = _outcome(client_for(cast[role]).post(reverse(name, kwargs=objects[key]), {}))
        assert outcome == expected[role], (role, name, key, outcome)


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            names |= _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def test_every_network_route_is_in_the_matrix():
    covered = {name for name, _k, _e in GET_MATRIX} | {name for name, _k, _e in POST_MATRIX} | set(ELSEWHERE)
    routes = {n for n in _names(get_resolver()) if n.split(":")[0] in {"network", "manage", "accounts"}}
    assert routes - covered == set()
