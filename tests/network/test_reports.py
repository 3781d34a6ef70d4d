"""Annual reports (Đ15.7, Đ16.4, Đ17.6): opening with due dates and deadlines, submitting, screens."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from network import services, tasks
from network.deadlines import deadlines_for
from network.events import events_for
from network.models import AnnualList, AnnualReport, Deadline, Event, OutboxEmail, Point
from tests.conftest import client_for

OCT_1 = date(2026, 10, 1)


def snapshot() -> tuple:
    return (
        list(AnnualReport.objects.order_by("pk").values()),
        list(Deadline.objects.order_by("pk").values()),
        Event.objects.count(),
        OutboxEmail.objects.count(),
    )


@pytest.fixture
def opened(reference) -> int:
    return services.annual_reports_open_for_year(year=2026, today=OCT_1)


def report_of(code: str, year: int = 2026) -> AnnualReport:
    return AnnualReport.objects.get(point__code=code, year=year)


# --- opening ------------------------------------------------------------------------------------
def test_nothing_opens_before_1_october(reference):
    assert services.annual_reports_open_for_year(year=2026, today=date(2026, 9, 30)) == 0
    assert not AnnualReport.objects.exists()


def test_reports_open_from_1_october_for_every_point(opened):
    # 8 ministries + 34 provinces report to the Ministry; the national point reports to the PM.
    assert opened == 43
    assert AnnualReport.objects.filter(kind=AnnualReport.Kind.POINT).count() == 42
    assert set(AnnualReport.objects.filter(kind=AnnualReport.Kind.POINT).values_list("point__level", flat=True)) == {
        Point.Level.MINISTRY,
        Point.Level.PROVINCIAL,
    }
    pm = AnnualReport.objects.get(kind=AnnualReport.Kind.PRIME_MINISTER)
    assert pm.point.code == "national"
    assert Deadline.objects.filter(kind="annual_report").count() == 43
    assert Event.objects.filter(verb="report_opened").count() == 43


def test_due_dates_5_december_rolled_forward_and_before_25_december(opened):
    # Đ16.4: a ministry by 5 December at the latest; 5 December 2026 is a Saturday → Monday the 7th.
    # Đ17.6: a province *before* 5 December → Friday 4 December. 24 December 2026 is a Thursday.
    moit = report_of("bo-cong-thuong")
    assert moit.due_date == date(2026, 12, 7)
    assert report_of("tinh-01").due_date == date(2026, 12, 4)
    assert deadlines_for(report_of("tinh-01")).get().due_date == date(2026, 12, 4)
    pm = report_of("national")
    assert pm.due_date == date(2026, 12, 24)
    deadline = deadlines_for(moit).get()
    assert (deadline.kind, deadline.point, deadline.due_date) == ("annual_report", moit.point, date(2026, 12, 7))
    assert deadline.url == f"/network/reports/{moit.public_id}/"


def test_the_report_to_the_prime_minister_moves_earlier_when_24_december_is_a_day_off(reference, settings):
    # 24 December 2028 is a Sunday: due Friday the 22nd; with the 22nd a holiday, Thursday the 21st.
    assert date(2028, 12, 24).weekday() == 6
    services.annual_reports_open_for_year(year=2028, today=date(2028, 10, 1))
    assert report_of("national", 2028).due_date == date(2028, 12, 22)
    assert report_of("bo-y-te", 2028).due_date == date(2028, 12, 5)  # a Tuesday
    assert report_of("tinh-01", 2028).due_date == date(2028, 12, 4)  # a Monday
    AnnualReport.objects.all().delete()
    Deadline.objects.all().delete()
    settings.EXTRA_HOLIDAYS = ["2028-12-22", "2028-12-05", "2028-12-04"]
    services.annual_reports_open_for_year(year=2028, today=date(2028, 10, 1))
    assert report_of("national", 2028).due_date == date(2028, 12, 21)
    assert report_of("bo-y-te", 2028).due_date == date(2028, 12, 6)
    # Before the 5th: with Monday the 4th a day off, the province's last day is Friday 1 December.
    assert report_of("tinh-01", 2028).due_date == date(2028, 12, 1)


def test_opening_twice_creates_nothing_more(opened):
    before = snapshot()
    assert services.annual_reports_open_for_year(year=2026, today=date(2026, 11, 2)) == 0
    assert snapshot() == before


def test_forced_opening_before_october(reference):
    assert services.annual_reports_open_for_year(year=2027, today=date(2027, 3, 1), force=True) == 43


def test_the_daily_task_can_run_twice(reference):
    today = timezone.localdate()
    expected = 43 if today >= date(today.year, 10, 1) else 0
    assert tasks.annual_reports_open() == expected
    assert tasks.annual_reports_open() == 0
    assert AnnualReport.objects.filter(year=today.year).count() == expected


def test_inactive_points_get_no_report(reference):
    Point.objects.filter(code="tinh-79").update(is_active=False)
    assert services.annual_reports_open_for_year(year=2026, today=OCT_1) == 42


# --- submitting ---------------------------------------------------------------------------------
def test_a_point_marks_its_report_submitted(opened, ministry_officer, national_officer):
    report = report_of("bo-cong-thuong")
    done = services.annual_report_submit(actor=ministry_officer, report=report)
    assert done.state == AnnualReport.State.SUBMITTED and done.submitted_at is not None
    event = events_for(report).get(verb="submitted")
    assert (event.actor, event.from_state, event.to_state) == (ministry_officer, "open", "submitted")
    assert deadlines_for(report).get().state == Deadline.State.DONE
    email = OutboxEmail.objects.get(template="annual_report_submitted")
    assert email.to == national_officer.email
    assert "Bộ Công Thương" in email.subject and "2026" in email.subject


def test_a_report_is_submitted_once(opened, provincial_officer):
    report = report_of("tinh-01")
    services.annual_report_submit(actor=provincial_officer, report=report)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.annual_report_submit(actor=provincial_officer, report=report)
    assert refused.value.code == "submitted"
    assert snapshot() == before


@pytest.mark.parametrize(
    "who",
    ["national_officer", "other_ministry_officer", "provincial_officer", "admin_user", "board_member", "business"],
)
def test_only_the_points_own_officers_submit_its_report(who, opened, request):
    actor = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.annual_report_submit(actor=actor, report=report_of("bo-cong-thuong"))
    assert snapshot() == before


def test_the_national_point_submits_the_report_to_the_prime_minister(opened, national_officer, ministry_officer):
    pm = report_of("national")
    with pytest.raises(PermissionDenied):
        services.annual_report_submit(actor=ministry_officer, report=pm)
    services.annual_report_submit(actor=national_officer, report=pm)
    assert deadlines_for(pm).get().state == Deadline.State.DONE
    assert not OutboxEmail.objects.exists()  # nobody above the national point in the portal to tell


# --- screens ------------------------------------------------------------------------------------
def detail(report: AnnualReport) -> str:
    return reverse("network:report_detail", kwargs={"public_id": report.public_id})


def submit(report: AnnualReport) -> str:
    return reverse("network:report_submit", kwargs={"public_id": report.public_id})


LIST = {"ministry": 200, "national": 200, "admin": 200, "provincial": 200, "other_ministry": 200,
        "board_member": 404, "board_secretary": 404, "business": 404}  # fmt: skip
READ = {"ministry": 200, "national": 200, "admin": 200, "provincial": 404, "other_ministry": 404,
        "board_member": 404, "board_secretary": 404, "business": 404}  # fmt: skip
ACT = {"ministry": 302, "national": 403, "admin": 403, "provincial": 404, "other_ministry": 404,
       "board_member": 404, "board_secretary": 404, "business": 404}  # fmt: skip


@pytest.mark.parametrize(("role", "status"), LIST.items())
def test_who_may_see_the_report_list(role, status, cast, opened):
    assert client_for(cast[role]).get(reverse("network:report_list")).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(opened):
    report = report_of("bo-cong-thuong")
    for response in [client_for(None).get(reverse("network:report_list")), client_for(None).get(detail(report)),
                     client_for(None).post(submit(report), {"confirm": "on"})]:  # fmt: skip
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("role", "status"), READ.items())
def test_who_may_read_a_ministry_report(role, status, cast, opened):
    assert client_for(cast[role]).get(detail(report_of("bo-cong-thuong"))).status_code == status


@pytest.mark.parametrize(("role", "status"), ACT.items())
def test_who_may_mark_a_ministry_report_submitted(role, status, cast, opened):
    report = report_of("bo-cong-thuong")
    assert client_for(cast[role]).post(submit(report), {"confirm": "on"}).status_code == status
    report.refresh_from_db()
    assert report.state == (AnnualReport.State.SUBMITTED if status == 302 else AnnualReport.State.OPEN)


def test_the_list_shows_the_own_point_or_the_whole_network(opened, ministry_officer, national_officer):
    mine = client_for(ministry_officer).get(reverse("network:report_list")).content.decode()
    assert detail(report_of("bo-cong-thuong")) in mine
    assert detail(report_of("bo-y-te")) not in mine
    everything = client_for(national_officer).get(reverse("network:report_list")).content.decode()
    assert detail(report_of("bo-y-te")) in everything and detail(report_of("tinh-79")) in everything
    assert "07/12/2026" in everything and "24/12/2026" in everything


def test_marking_submitted_with_confirmation_message_and_timeline(opened, provincial_officer):
    report = report_of("tinh-01")
    client = client_for(provincial_officer)
    page = client.post(submit(report), {}).content.decode()
    assert "Vui lòng đánh dấu ô xác nhận trước khi gửi." in page
    response = client.post(submit(report), {"confirm": "on"}, follow=True)
    page = response.content.decode()
    assert "Báo cáo đã được đánh dấu là đã gửi." in page
    assert "Mở kỳ báo cáo" in page and "Đã hoàn thành nhiệm vụ" in page  # timeline: report and deadline
    assert submit(report) not in page  # no second submission button


def test_the_english_page(opened, national_officer):
    page = client_for(national_officer).get("/en" + detail(report_of("national"))).content.decode()
    assert "Ministry of Science and Technology report to the Prime Minister" in page
    assert "Mark the report as submitted" in page
    assert "History" in page


# --- the scan opens the year's duties -----------------------------------------------------------
def test_duties_are_ensured_before_each_scan_and_only_once(reference):
    # A portal started on 4 December (after the nightly runs) must not wait for the next night.
    dec_4 = date(2026, 12, 4)
    assert services.annual_duties_ensure(today=dec_4) == 8 + 43
    assert AnnualList.objects.filter(year=2026).count() == 8
    assert AnnualReport.objects.filter(year=2026).count() == 43
    before = snapshot()
    assert services.annual_duties_ensure(today=dec_4) == 0
    assert snapshot() == before


def test_duties_before_october_are_the_annual_lists_only(reference):
    assert services.annual_duties_ensure(today=date(2027, 3, 1)) == 8
    assert not AnnualReport.objects.filter(year=2027).exists()


def test_the_scan_task_opens_the_duties_then_reminds_them(reference):
    today = timezone.localdate()
    tasks.deadlines_scan()
    assert AnnualList.objects.filter(year=today.year).count() == 8
    expected = 43 if today >= date(today.year, 10, 1) else 0
    assert AnnualReport.objects.filter(year=today.year).count() == expected
    before = snapshot()
    tasks.deadlines_scan()
    assert snapshot() == before


def test_the_scan_still_reminds_when_opening_the_duties_fails(ministry_officer, monkeypatch):
    from network.deadlines import deadline_open

    duty = AnnualList.objects.create(point=ministry_officer.point, year=2031)
    deadline_open(obj=duty, kind="annual_list", title_vi="Danh mục", title_en="List", point=duty.point,
                  due_date=timezone.localdate())  # fmt: skip

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("network.services.annual_duties_ensure", broken)
    result = tasks.deadlines_scan()
    assert result["reminders"] == 1
    assert OutboxEmail.objects.filter(to=ministry_officer.email, template="deadline_due").count() == 1
    assert not AnnualReport.objects.exists()
