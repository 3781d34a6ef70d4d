"""The dashboard every official lands on after logging in, per role, and the deadlines list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from network import services
from network.deadlines import deadline_open, deadlines_scan
from network.events import event_record
from network.models import AnnualList, Deadline, OutboxEmail, Point
from network.selectors import object_timeline
from tests.conftest import client_for

DASHBOARD = "/network/dashboard/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def moit(reference) -> Point:
    return Point.objects.get(code="bo-cong-thuong")


def duty(point: Point, title: str, due, state: str = Deadline.State.OPEN) -> Deadline:
    """A deadline on some object of ``point`` (a list of a far year stands in for any workflow object)."""
    obj = AnnualList.objects.create(point=point, year=2090 + AnnualList.objects.count())
    deadline = deadline_open(obj=obj, kind="test", title_vi=title, title_en=title + " (en)", point=point,
                             due_date=due, url=obj.get_absolute_url())  # fmt: skip
    if state != Deadline.State.OPEN:
        Deadline.objects.filter(pk=deadline.pk).update(state=state)
        deadline.refresh_from_db()
    return deadline


@pytest.fixture
def moit_duties(moit, today) -> dict[str, Deadline]:
    return {
        "escalated": duty(moit, "Việc đã báo cáo cấp trên", today - timedelta(days=10), Deadline.State.ESCALATED),
        "late": duty(moit, "Việc quá hạn chưa quét", today - timedelta(days=1)),
        "today": duty(moit, "Việc đến hạn hôm nay", today),
        "soon": duty(moit, "Việc sắp đến hạn", today + timedelta(days=5)),
        "later": duty(moit, "Việc còn xa", today + timedelta(days=40)),
        "done": duty(moit, "Việc đã xong", today - timedelta(days=3), Deadline.State.DONE),
    }


def test_login_lands_on_the_dashboard():
    assert resolve_url(settings.LOGIN_REDIRECT_URL) == DASHBOARD


def test_anonymous_visitors_are_sent_to_log_in():
    response = client_for(None).get(DASHBOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_businesses_have_no_dashboard(business):
    response = client_for(business).get(DASHBOARD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.parametrize(
    "role", ["national", "ministry", "other_ministry", "provincial", "board_member", "board_secretary", "admin"]
)
def test_every_official_has_a_dashboard(role, cast):
    response = client_for(cast[role]).get(DASHBOARD)
    assert response.status_code == 200
    assert "Bảng điều khiển" in response.content.decode()


def test_the_ministry_officer_sees_the_points_deadlines_grouped(ministry_officer, moit_duties):
    response = client_for(ministry_officer).get(DASHBOARD)
    groups = response.context["board"].groups
    assert {d.pk for d in groups.overdue} == {moit_duties["escalated"].pk, moit_duties["late"].pk}
    assert {d.pk for d in groups.due_soon} == {moit_duties["today"].pk, moit_duties["soon"].pk}
    assert [d.pk for d in groups.assigned] == [moit_duties["later"].pk]
    page = response.content.decode()
    for key in ["escalated", "late", "today", "soon", "later"]:
        assert moit_duties[key].title_vi in page
    assert "Việc đã xong" not in page
    assert "quá hạn 10 ngày" in page and "đến hạn hôm nay" in page and "còn 5 ngày" in page
    assert moit_duties["soon"].url in page


def test_another_ministry_does_not_see_them(other_ministry_officer, moit_duties):
    response = client_for(other_ministry_officer).get(DASHBOARD)
    assert response.context["board"].groups.total == 0
    assert "Việc sắp đến hạn" not in response.content.decode()


def test_the_ministry_is_asked_to_record_the_approval_date(ministry_officer, today):
    page = client_for(ministry_officer).get(DASHBOARD).content.decode()
    assert "Chờ Bộ trưởng phê duyệt" in page
    assert "Ghi nhận ngày phê duyệt" in page
    assert reverse("network:annual_list_approval", kwargs={"year": today.year}) in page


def test_the_ministry_sees_the_due_date_of_its_draft_list(ministry_officer, moit, today):
    annual_list = services.annual_list_record_approval(
        actor=ministry_officer, point=moit, year=today.year, approved_on=today - timedelta(days=3)
    )
    response = client_for(ministry_officer).get(DASHBOARD)
    page = response.content.decode()
    assert f"Hạn gửi ngày {annual_list.due_date:%d/%m/%Y}" in page
    assert "Tiếp tục lập danh mục" in page
    assert annual_list.get_absolute_url() in page
    # The list's own deadline is counted among the point's deadlines.
    assert any(d.kind == "annual_list" for d in response.context["board"].groups.due_soon
               + response.context["board"].groups.assigned)  # fmt: skip


def test_the_english_dashboard(ministry_officer):
    page = client_for(ministry_officer).get("/en" + DASHBOARD).content.decode()
    assert "Record the approval date" in page
    assert "Awaiting the Minister's approval" in page


def test_the_national_officer_sees_the_whole_network(national_officer, ministry_officer, moit, moit_duties, today):
    services.annual_list_record_approval(
        actor=ministry_officer, point=moit, year=today.year, approved_on=today - timedelta(days=3)
    )
    response = client_for(national_officer).get(DASHBOARD)
    board = response.context["board"]
    assert len(board.overview) == 8
    assert board.overview_counts["draft"] == 1 and board.overview_counts["awaiting"] == 7
    assert {d.pk for d in board.network_overdue} == {moit_duties["escalated"].pk, moit_duties["late"].pk}
    page = response.content.decode()
    for point in Point.objects.filter(level=Point.Level.MINISTRY):
        assert point.name_vi in page
    assert "Việc quá hạn trong toàn Mạng lưới" in page
    assert "Việc đã báo cáo cấp trên" in page and moit.name_vi in page
    assert "Việc sắp đến hạn" not in page  # another point's ordinary work is not on this page


def test_the_provincial_officer_sees_deadlines_and_reports_but_no_annual_list(provincial_officer, today):
    services.annual_reports_open_for_year(year=today.year, today=today, force=True)
    page = client_for(provincial_officer).get(DASHBOARD).content.decode()
    assert "Ghi nhận ngày phê duyệt" not in page
    assert "Danh mục hằng năm của các Bộ" not in page
    assert "Báo cáo năm gửi Bộ Khoa học và Công nghệ" in page  # its own annual report
    assert "Báo cáo của Bộ Khoa học và Công nghệ gửi Thủ tướng Chính phủ" not in page


def test_board_members_see_the_board_box(board_member, board_secretary):
    for user in (board_member, board_secretary):
        page = client_for(user).get(DASHBOARD).content.decode()
        assert "Ban liên ngành TBT" in page
        assert "Việc quá hạn trong toàn Mạng lưới" not in page


def test_the_administrator_sees_the_network_and_failed_emails(admin_user, moit_duties):
    OutboxEmail.objects.create(to="x@example.vn", template="t", subject="s", body_text="b",
                               state=OutboxEmail.State.FAILED)  # fmt: skip
    response = client_for(admin_user).get(DASHBOARD)
    page = response.content.decode()
    assert response.context["board"].failed_emails == 1
    assert "1 thư điện tử không gửi được" in page
    assert "Việc quá hạn trong toàn Mạng lưới" in page and "Việc đã báo cáo cấp trên" in page


# --- deadlines list -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "status"),
    {"national": 200, "ministry": 200, "provincial": 200, "admin": 200, "board_member": 200, "business": 404}.items(),
)
def test_who_may_see_the_deadlines_list(role, status, cast):
    assert client_for(cast[role]).get(reverse("network:deadline_list")).status_code == status


def test_the_deadlines_list_anonymous():
    response = client_for(None).get(reverse("network:deadline_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_deadlines_list_is_scoped_and_filtered(
    ministry_officer, other_ministry_officer, national_officer, moit_duties
):
    url = reverse("network:deadline_list")
    mine = client_for(ministry_officer).get(url).content.decode()
    assert "Việc sắp đến hạn" in mine and "Việc đã xong" not in mine
    late = client_for(ministry_officer).get(url, {"state": "late"}).content.decode()
    assert "Việc quá hạn chưa quét" in late and "Việc sắp đến hạn" not in late
    done = client_for(ministry_officer).get(url, {"state": "done"}).content.decode()
    assert "Việc đã xong" in done and "Việc sắp đến hạn" not in done
    assert "Việc sắp đến hạn" not in client_for(other_ministry_officer).get(url).content.decode()
    assert "Việc sắp đến hạn" in client_for(national_officer).get(url).content.decode()


# --- the shared timeline include ----------------------------------------------------------------
def test_the_timeline_include_renders_events_of_the_object_and_its_deadlines(ministry_officer, moit, today):
    annual_list = services.annual_list_record_approval(
        actor=ministry_officer, point=moit, year=today.year, approved_on=today - timedelta(days=30)
    )
    deadlines_scan(today=today + timedelta(days=1))
    event_record(obj=annual_list, actor=None, verb="some_other_apps_verb", note="Ghi chú <b>đậm</b>")
    events = object_timeline(annual_list)
    verbs = [e.verb for e in events]
    assert verbs[:2] == ["approval_recorded", "deadline_opened"]
    assert "deadline_escalated" in verbs
    html = render_to_string("_timeline.html", {"events": events})
    assert "Đã ghi nhận ngày phê duyệt chương trình xây dựng văn bản" in html
    assert "Chờ Bộ trưởng phê duyệt → Đang chuẩn bị" in html  # state labels of the object's model
    assert ministry_officer.full_name in html
    assert "Tự động (Cổng thông tin)" in html  # the scan has no actor
    assert "Đã báo cáo Điểm TBT quốc gia" in html
    assert "Some other apps verb" in html
    assert "&lt;b&gt;đậm&lt;/b&gt;" in html  # notes are escaped
    assert "Chưa có hoạt động nào." in render_to_string("_timeline.html", {"events": []})
