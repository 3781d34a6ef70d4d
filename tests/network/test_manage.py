"""The administration screens (/manage/) and the services behind them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from network.models import Event, Holiday, OutboxEmail, Point, User
from network.outbox import outbox_deliver_batch
from network.services_manage import holiday_add, holiday_delete, outbox_email_retry, point_update
from network.services_users import (
    password_set_url,
    role_point_error,
    user_create,
    user_deactivate,
    user_reactivate,
    user_update,
    user_welcome_resend,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NOT_ADMIN = ["national", "ministry", "other_ministry", "provincial", "board_member", "board_secretary", "business"]


def _events(obj, verb: str | None = None):
    rows = Event.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return rows.filter(verb=verb) if verb else rows


def _snapshot():
    return (
        User.objects.count(),
        Event.objects.count(),
        OutboxEmail.objects.count(),
        sorted(User.objects.values_list("pk", "role", "point_id", "is_active", "email", "is_head")),
    )


@pytest.fixture
def failed_email(db) -> OutboxEmail:
    return OutboxEmail.objects.create(
        to="x@example.vn",
        template="t",
        subject="s",
        body_text="b",
        state=OutboxEmail.State.FAILED,
        attempts=6,
        last_error="SMTPException: no",
    )


@pytest.fixture
def holiday(reference) -> Holiday:
    return Holiday.objects.create(date=date(2031, 9, 3), name_vi="Nghỉ bù", name_en="Substitute day off")


def _get_urls(cast, holiday, failed_email):
    return [
        reverse("manage:home"),
        reverse("manage:user_list"),
        reverse("manage:user_create"),
        reverse("manage:user_edit", kwargs={"pk": cast["ministry"].pk}),
        reverse("manage:point_list"),
        reverse("manage:point_edit", kwargs={"code": "bo-cong-thuong"}),
        reverse("manage:holiday_list"),
        reverse("manage:event_list"),
        reverse("manage:outbox_list"),
    ]


def _post_urls(cast, holiday, failed_email):
    pk = cast["provincial"].pk
    return [
        reverse("manage:user_create"),
        reverse("manage:user_edit", kwargs={"pk": pk}),
        reverse("manage:user_deactivate", kwargs={"pk": pk}),
        reverse("manage:user_reactivate", kwargs={"pk": pk}),
        reverse("manage:user_welcome", kwargs={"pk": pk}),
        reverse("manage:point_edit", kwargs={"code": "bo-cong-thuong"}),
        reverse("manage:holiday_list"),
        reverse("manage:holiday_delete", kwargs={"pk": holiday.pk}),
        reverse("manage:outbox_retry", kwargs={"pk": failed_email.pk}),
    ]


# --- Role × endpoint matrix -------------------------------------------------------------------
def test_admin_sees_every_screen(cast, holiday, failed_email):
    client = client_for(cast["admin"])
    for url in _get_urls(cast, holiday, failed_email):
        assert client.get(url).status_code == 200, url


def test_admin_screens_in_english(cast, holiday, failed_email):
    client = client_for(cast["admin"])
    for url in _get_urls(cast, holiday, failed_email):
        response = client.get("/en" + url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode()
    assert "Administration" in client.get("/en" + reverse("manage:home")).content.decode()
    assert "Quản trị" in client.get(reverse("manage:home")).content.decode()


@pytest.mark.parametrize("who", NOT_ADMIN)
def test_other_roles_get_404_everywhere(cast, holiday, failed_email, who):
    client = client_for(cast[who])
    for url in _get_urls(cast, holiday, failed_email):
        assert client.get(url).status_code == 404, url
    before = _snapshot()
    for url in _post_urls(cast, holiday, failed_email):
        assert client.post(url, {"email": "x@example.vn", "full_name": "X", "role": "business"}).status_code == 404, url
    assert _snapshot() == before
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert OutboxEmail.objects.get(pk=failed_email.pk).state == OutboxEmail.State.FAILED


def test_anonymous_is_sent_to_login(cast, holiday, failed_email):
    client = client_for(None)
    for url in _get_urls(cast, holiday, failed_email) + _post_urls(cast, holiday, failed_email):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
        response = client.post(url, {})
        assert response.status_code == 302, url
    assert cast["provincial"].is_active


def test_inactive_admin_gets_404(cast):
    admin = cast["admin"]
    client = client_for(admin)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    response = client.get(reverse("manage:home"))
    # An inactive user's session no longer authenticates: sent to the login page.
    assert response.status_code == 302


def test_action_endpoints_refuse_get(cast):
    client = client_for(cast["admin"])
    response = client.get(reverse("manage:user_deactivate", kwargs={"pk": cast["provincial"].pk}))
    assert response.status_code == 405
    assert User.objects.get(pk=cast["provincial"].pk).is_active


def test_admin_needs_second_factor_when_required(cast, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    from django.test import Client

    client = Client()
    client.force_login(cast["admin"])  # password only, no TOTP
    response = client.get(reverse("manage:home"))
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in (reverse("accounts:otp_verify"), reverse("accounts:two_factor"))


# --- Users list -------------------------------------------------------------------------------
def test_user_search_ignores_diacritics_and_case(cast):
    client = client_for(cast["admin"])
    html = client.get(reverse("manage:user_list"), {"q": "nguyen thi lan"}).content.decode()
    assert "Nguyễn Thị Lan" in html
    assert "Lê Thị Hoa" not in html
    html = client.get(reverse("manage:user_list"), {"q": "ĐỖ THỊ"}).content.decode()
    assert "Đỗ Thị Mai" in html
    html = client.get(reverse("manage:user_list"), {"q": "do thi mai"}).content.decode()
    assert "Đỗ Thị Mai" in html
    html = client.get(reverse("manage:user_list"), {"q": "HOA.MOIT@"}).content.decode()
    assert "Lê Thị Hoa" in html
    assert "Nguyễn Thị Lan" not in html


def test_user_filters(cast, admin_user):
    client = client_for(cast["admin"])
    moit = Point.objects.get(code="bo-cong-thuong")
    page = client.get(reverse("manage:user_list"), {"role": "ministry_officer"}).context["page"]
    assert {u.email for u in page.object_list} == {cast["ministry"].email, cast["other_ministry"].email}
    page = client.get(reverse("manage:user_list"), {"point": str(moit.pk)}).context["page"]
    assert [u.email for u in page.object_list] == [cast["ministry"].email]
    user_deactivate(actor=admin_user, user=cast["business"])
    page = client.get(reverse("manage:user_list"), {"active": "0"}).context["page"]
    assert [u.email for u in page.object_list] == [cast["business"].email]
    page = client.get(reverse("manage:user_list"), {"active": "1"}).context["page"]
    assert cast["business"].email not in {u.email for u in page.object_list}


def test_user_list_paginates(cast):
    User.objects.bulk_create(
        [
            User(email=f"user{i:02d}@example.vn", full_name=f"Zz Người dùng {i:02d}", role=User.Role.BUSINESS)
            for i in range(30)
        ]
    )
    client = client_for(cast["admin"])
    first = client.get(reverse("manage:user_list"), {"q": "nguoi dung"})
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    html = first.content.decode()
    assert "q=nguoi+dung&amp;page=2" in html or "q=nguoi+dung&page=2" in html
    second = client.get(reverse("manage:user_list"), {"q": "nguoi dung", "page": 2})
    assert len(second.context["page"].object_list) == 5


# --- Creating a user --------------------------------------------------------------------------
def _create_form(**extra):
    data = {
        "email": "Thanh.MOH@example.vn",
        "full_name": "Trịnh Thị Thanh",
        "role": "ministry_officer",
        "point": str(Point.objects.get(code="bo-y-te").pk),
        "language": "vi",
        "organisation": "",
        "phone": "",
    }
    data.update(extra)
    return data


def test_admin_creates_a_ministry_officer(cast, django_capture_on_commit_callbacks):
    client = client_for(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("manage:user_create"), _create_form(is_head="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:user_list")
    user = User.objects.get(email="thanh.moh@example.vn")
    assert (user.role, user.point.code, user.is_head, user.is_active) == ("ministry_officer", "bo-y-te", True, True)
    assert not user.has_usable_password()
    assert set(user.groups.values_list("name", flat=True)) == {"role:ministry_officer", "point:bo-y-te"}
    event = _events(user, "created").get()
    assert (event.actor, event.to_state, event.point.code) == (cast["admin"], "ministry_officer", "bo-y-te")
    email = OutboxEmail.objects.get(to="thanh.moh@example.vn", template="account_welcome")
    assert email.language == "vi"
    assert "Trịnh Thị Thanh" in email.body_text
    assert "Bộ Y tế" in email.body_text
    # The worker delivered it after commit (eager Celery in tests).
    assert OutboxEmail.objects.get(pk=email.pk).state == OutboxEmail.State.SENT
    assert mail.outbox[-1].to == ["thanh.moh@example.vn"]
    listing = client.get(reverse("manage:user_list")).content.decode()
    assert "Trịnh Thị Thanh" in listing


def test_welcome_link_sets_the_password(cast, admin_user):
    user = user_create(
        actor=admin_user, email="new@example.vn", full_name="Lý Văn Bình", role=User.Role.BOARD_MEMBER, language="en"
    )
    body = OutboxEmail.objects.get(to="new@example.vn").body_text
    assert "Your account" in OutboxEmail.objects.get(to="new@example.vn").subject
    link = re.search(r"https?://\S+", body).group(0)
    assert link.startswith(settings.SITE_URL + "/en/accounts/password/reset/")
    with translation.override("en"):
        match = resolve(link[len(settings.SITE_URL) :])
    assert match.view_name == "accounts:password_reset_confirm"
    assert force_str(urlsafe_base64_decode(match.kwargs["uidb64"])) == str(user.pk)
    assert default_token_generator.check_token(user, match.kwargs["token"])


def test_password_set_url_uses_the_user_language(cast, admin_user):
    user = user_create(actor=admin_user, email="vi@example.vn", full_name="Hà Văn An", role=User.Role.BUSINESS)
    assert "/en/" not in password_set_url(user)
    user.language = "en"
    assert "/en/" in password_set_url(user)


def test_create_refuses_a_point_of_the_wrong_level(cast):
    client = client_for(cast["admin"])
    before = _snapshot()
    response = client.post(reverse("manage:user_create"), _create_form(point=str(Point.objects.get(code="tinh-01").pk)))
    assert response.status_code == 200
    assert response.context["form"].errors["point"]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("role", "point_code"),
    [
        ("national_officer", "bo-y-te"),
        ("ministry_officer", "national"),
        ("ministry_officer", "tinh-79"),
        ("provincial_officer", "bo-cong-an"),
        ("provincial_officer", None),
        ("ministry_officer", None),
        ("national_officer", None),
        ("business", "bo-y-te"),
        ("board_member", "national"),
        ("admin", "tinh-01"),
    ],
)
def test_user_create_service_refuses_role_point_mismatch(admin_user, role, point_code):
    point = Point.objects.get(code=point_code) if point_code else None
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=admin_user, email="m@example.vn", full_name="M", role=role, point=point)
    assert "point" in excinfo.value.error_dict
    assert role_point_error(role, point)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("role", "point_code"),
    [
        ("national_officer", "national"),
        ("ministry_officer", "bo-xay-dung"),
        ("provincial_officer", "tinh-79"),
        ("business", None),
        ("board_secretary", None),
        ("admin", None),
    ],
)
def test_role_point_rule_accepts_matching_pairs(reference, role, point_code):
    point = Point.objects.get(code=point_code) if point_code else None
    assert role_point_error(role, point) is None


def test_user_create_refuses_duplicates_non_admins_and_head_without_point(cast, admin_user):
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=admin_user, email="LAN.stameq@example.vn", full_name="Trùng", role=User.Role.BUSINESS)
    assert "email" in excinfo.value.error_dict
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=admin_user, email="h@example.vn", full_name="H", role=User.Role.BUSINESS, is_head=True)
    assert "is_head" in excinfo.value.error_dict
    for who in NOT_ADMIN:
        with pytest.raises(PermissionDenied):
            user_create(actor=cast[who], email="p@example.vn", full_name="P", role=User.Role.BUSINESS)
    assert _snapshot() == before


def test_create_form_shows_errors_next_to_fields_in_english(cast):
    client = client_for(cast["admin"])
    response = client.post(
        "/en" + reverse("manage:user_create"), _create_form(email="lan.stameq@example.vn", role="provincial_officer")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A user with this e-mail address already exists." in html
    assert "must be attached to a provincial tbt point" in html.lower()


def test_admin_user_gets_staff_flag(admin_user):
    user = user_create(actor=admin_user, email="second.admin@example.vn", full_name="Quản trị 2", role=User.Role.ADMIN)
    assert user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {"role:admin"}
    demoted = user_update(actor=admin_user, user=user, role=User.Role.BOARD_MEMBER)
    assert not demoted.is_staff


# --- Editing, deactivating --------------------------------------------------------------------
def test_edit_changes_role_and_point_with_events(cast):
    client = client_for(cast["admin"])
    officer = cast["provincial"]
    data = _create_form(
        email=officer.email,
        full_name=officer.full_name,
        role="ministry_officer",
        point=str(Point.objects.get(code="bo-xay-dung").pk),
        phone="024 1234 5678",
    )
    response = client.post(reverse("manage:user_edit", kwargs={"pk": officer.pk}), data)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.role, officer.point.code, officer.phone) == ("ministry_officer", "bo-xay-dung", "024 1234 5678")
    role_event = _events(officer, "role_changed").get()
    assert (role_event.from_state, role_event.to_state) == ("provincial_officer", "ministry_officer")
    point_event = _events(officer, "point_changed").get()
    assert (point_event.from_state, point_event.to_state, point_event.point.code) == (
        "tinh-01",
        "bo-xay-dung",
        "bo-xay-dung",
    )
    assert "phone" in _events(officer, "updated").get().note
    assert set(officer.groups.values_list("name", flat=True)) == {"role:ministry_officer", "point:bo-xay-dung"}
    page = client.get(reverse("manage:user_edit", kwargs={"pk": officer.pk})).content.decode()
    assert "tinh-01" in page and "bo-xay-dung" in page  # the timeline


def test_update_without_changes_writes_nothing(cast, admin_user):
    before = _snapshot()
    user_update(actor=admin_user, user=cast["ministry"], full_name=cast["ministry"].full_name)
    assert _snapshot() == before


def test_update_refusal_leaves_nothing_changed(cast, admin_user):
    before = _snapshot()
    groups_before = set(cast["ministry"].groups.values_list("name", flat=True))
    with pytest.raises(ValidationError):
        user_update(actor=admin_user, user=cast["ministry"], role=User.Role.PROVINCIAL_OFFICER)
    with pytest.raises(ValidationError):
        user_update(actor=admin_user, user=cast["ministry"], email=cast["national"].email)
    with pytest.raises(ValidationError):
        user_update(actor=admin_user, user=admin_user, role=User.Role.BUSINESS)
    with pytest.raises(PermissionDenied):
        user_update(actor=cast["national"], user=cast["ministry"], full_name="Bị đổi")
    assert _snapshot() == before
    assert set(cast["ministry"].groups.values_list("name", flat=True)) == groups_before


def test_deactivate_and_reactivate(cast):
    client = client_for(cast["admin"])
    officer = cast["provincial"]
    response = client.post(reverse("manage:user_deactivate", kwargs={"pk": officer.pk}))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    event = _events(officer, "deactivated").get()
    assert (event.from_state, event.to_state, event.actor) == ("active", "inactive", cast["admin"])
    # The deactivated officer's session no longer works.
    assert client_for(officer).get(reverse("network:dashboard")).status_code == 302
    client.post(reverse("manage:user_reactivate", kwargs={"pk": officer.pk}))
    officer.refresh_from_db()
    assert officer.is_active
    assert _events(officer, "reactivated").exists()


def test_deactivate_refusals(cast, admin_user):
    client = client_for(admin_user)
    response = client.post(reverse("manage:user_deactivate", kwargs={"pk": admin_user.pk}), follow=True)
    assert "Bạn không thể vô hiệu hóa tài khoản của chính mình." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    user_deactivate(actor=admin_user, user=cast["business"])
    before = _snapshot()
    with pytest.raises(ValidationError):
        user_deactivate(actor=admin_user, user=cast["business"])
    with pytest.raises(ValidationError):
        user_reactivate(actor=admin_user, user=cast["national"])
    with pytest.raises(ValidationError):
        user_welcome_resend(actor=admin_user, user=cast["business"])
    assert _snapshot() == before


def test_welcome_resend(cast):
    client = client_for(cast["admin"])
    officer = cast["ministry"]
    response = client.post(reverse("manage:user_welcome", kwargs={"pk": officer.pk}))
    assert response.status_code == 302
    assert OutboxEmail.objects.filter(to=officer.email, template="account_welcome").count() == 1
    assert _events(officer, "welcome_sent").exists()


# --- Points -----------------------------------------------------------------------------------
def _point_form(point: Point, **changes):
    data = {
        f: getattr(point, f)
        for f in ("unit_vi", "unit_en", "address", "phone", "email", "website", "duties_vi", "duties_en")
    }
    data["is_active"] = "on" if point.is_active else ""
    data.update(changes)
    return {k: v for k, v in data.items() if v not in (None, "") or k != "is_active"}


def test_point_edit_writes_an_event(cast):
    client = client_for(cast["admin"])
    point = Point.objects.get(code="bo-cong-thuong")
    response = client.post(
        reverse("manage:point_edit", kwargs={"code": point.code}),
        _point_form(point, phone="024 2220 2222", unit_vi="Vụ Khoa học và Công nghệ"),
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.phone, point.unit_vi) == ("024 2220 2222", "Vụ Khoa học và Công nghệ")
    event = _events(point, "updated").get()
    assert "phone" in event.note and "unit_vi" in event.note
    assert event.point == point and event.actor == cast["admin"]


def test_point_deactivation_and_invalid_email(cast, admin_user):
    point = Point.objects.get(code="tinh-79")
    updated = point_update(actor=admin_user, point=point, changes={"is_active": False})
    assert not updated.is_active
    assert (_events(point, "deactivated").get().to_state) == "inactive"
    client = client_for(cast["admin"])
    before = _snapshot()
    response = client.post(
        reverse("manage:point_edit", kwargs={"code": "tinh-01"}),
        _point_form(Point.objects.get(code="tinh-01"), email="not-an-address"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert _snapshot() == before


def test_point_list_search_without_diacritics(cast):
    client = client_for(cast["admin"])
    response = client.get(reverse("manage:point_list"), {"q": "ho chi minh"})
    codes = [p.code for p in response.context["points"]]
    assert codes == ["tinh-79"]


# --- Holidays ---------------------------------------------------------------------------------
def test_holidays_add_list_delete(cast):
    client = client_for(cast["admin"])
    response = client.post(
        reverse("manage:holiday_list"),
        {"date": "2031-09-04", "name_vi": "Nghỉ lễ Quốc khánh", "name_en": "National Day"},
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get(date=date(2031, 9, 4))
    assert _events(holiday, "added").get().actor == cast["admin"]
    page = client.get(reverse("manage:holiday_list"), {"year": 2031}).content.decode()
    assert "Nghỉ lễ Quốc khánh" in page
    # The working-day calendar now skips it.
    from network.calendar import add_working_days

    assert add_working_days(date(2031, 9, 3), 1) == date(2031, 9, 5)
    response = client.post(reverse("manage:holiday_delete", kwargs={"pk": holiday.pk}))
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert Event.objects.filter(
        verb="deleted", object_id=str(holiday.pk), content_type=ContentType.objects.get_for_model(Holiday)
    ).exists()


def test_holiday_duplicate_date_refused(cast, holiday, admin_user):
    client = client_for(cast["admin"])
    before = _snapshot()
    response = client.post(
        reverse("manage:holiday_list"), {"date": "03/09/2031", "name_vi": "Trùng ngày", "name_en": "Duplicate"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    with pytest.raises(ValidationError):
        holiday_add(actor=admin_user, day=holiday.date, name_vi="Trùng", name_en="")
    assert _snapshot() == before
    with pytest.raises(PermissionDenied):
        holiday_delete(actor=cast["national"], holiday=holiday)


# --- Event log --------------------------------------------------------------------------------
def test_event_log_filters(cast, admin_user, holiday):
    user_update(actor=admin_user, user=cast["ministry"], phone="0900")
    point_update(actor=admin_user, point=Point.objects.get(code="tinh-01"), changes={"phone": "0241"})
    holiday_delete(actor=admin_user, holiday=holiday)
    Event.objects.filter(verb="deleted").update(at=timezone.now() - timedelta(days=40))
    client = client_for(cast["admin"])
    url = reverse("manage:event_list")

    def verbs(**params):
        page = client.get(url, params).context["page"]
        return sorted(e.verb for e in page.object_list)

    ct_user = ContentType.objects.get_for_model(User)
    assert verbs(object_type=ct_user.pk) == ["updated"]
    assert verbs(verb="deleted") == ["deleted"]
    assert verbs(point=Point.objects.get(code="tinh-01").pk) == ["updated"]
    assert verbs(actor="quan tri") == ["deleted", "updated", "updated"]
    assert verbs(actor="nobody at all") == []
    today = timezone.localdate()
    assert verbs(date_from=today.isoformat()) == ["updated", "updated"]
    old = (today - timedelta(days=40)).strftime("%d/%m/%Y")
    assert verbs(date_from=old, date_to=old) == ["deleted"]
    response = client.get(url, {"date_from": today.isoformat(), "date_to": (today - timedelta(days=1)).isoformat()})
    assert response.context["form"].errors["date_to"]


def test_event_log_paginates(cast, admin_user):
    point = Point.objects.get(code="tinh-01")
    for i in range(55):
        point_update(actor=admin_user, point=point, changes={"phone": f"024 {i:04d}"})
    client = client_for(cast["admin"])
    first = client.get(reverse("manage:event_list"), {"verb": "updated"})
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("manage:event_list"), {"verb": "updated", "page": 2})
    assert len(second.context["page"].object_list) == 5


# --- Outbox -----------------------------------------------------------------------------------
def test_outbox_filter_and_retry(cast, failed_email, django_capture_on_commit_callbacks):
    sent = OutboxEmail.objects.create(
        to="ok@example.vn", template="t", subject="fine", body_text="b", state=OutboxEmail.State.SENT
    )
    client = client_for(cast["admin"])
    page = client.get(reverse("manage:outbox_list"), {"state": "failed"}).context["page"]
    assert [e.pk for e in page.object_list] == [failed_email.pk]
    html = client.get(reverse("manage:outbox_list"), {"state": "failed"}).content.decode()
    assert reverse("manage:outbox_retry", kwargs={"pk": failed_email.pk}) in html
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("manage:outbox_retry", kwargs={"pk": failed_email.pk}),
            {"next": reverse("manage:outbox_list") + "?state=failed"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:outbox_list") + "?state=failed"
    assert callbacks  # delivery is queued after commit
    failed_email.refresh_from_db()
    assert (failed_email.state, failed_email.attempts) == (OutboxEmail.State.PENDING, 0)
    event = _events(failed_email, "retried").get()
    assert (event.from_state, event.to_state, event.actor) == ("failed", "pending", cast["admin"])
    # Sending works from there.
    assert outbox_deliver_batch()["sent"] == 1
    # A sent e-mail cannot be "retried": nothing changes.
    before = _snapshot()
    response = client.post("/en" + reverse("manage:outbox_retry", kwargs={"pk": sent.pk}), follow=True)
    assert "Only an e-mail that failed can be sent again." in response.content.decode()
    assert _snapshot() == before
    with pytest.raises(ValidationError):
        outbox_email_retry(actor=cast["admin"], email=sent)


def test_outbox_retry_ignores_foreign_next(cast, failed_email):
    client = client_for(cast["admin"])
    response = client.post(
        reverse("manage:outbox_retry", kwargs={"pk": failed_email.pk}), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("manage:outbox_list")


def test_outbox_never_shows_bodies(cast, admin_user):
    user_create(actor=admin_user, email="secret@example.vn", full_name="Bí Mật", role=User.Role.BUSINESS)
    token_line = OutboxEmail.objects.get(to="secret@example.vn").body_text
    link = re.search(r"https?://\S+", token_line).group(0)
    html = client_for(cast["admin"]).get(reverse("manage:outbox_list")).content.decode()
    assert "secret@example.vn" in html
    assert link not in html


# --- Django admin -----------------------------------------------------------------------------
def test_django_admin_lists_network_models_for_staff_admin(cast):
    client = client_for(cast["admin"])
    for model in ("point", "user", "event", "holiday", "outboxemail", "deadline", "annuallist", "wtomember"):
        assert client.get(f"/admin/network/{model}/").status_code == 200, model
    point = Point.objects.get(code="bo-y-te")
    assert client.get(f"/admin/network/point/{point.pk}/change/").status_code == 200
    assert client.get("/admin/network/user/add/").status_code == 403
    assert client_for(cast["national"]).get("/admin/network/point/").status_code == 302
