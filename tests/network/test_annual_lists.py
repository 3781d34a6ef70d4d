"""The annual list of TBT-related documents (Đ6.2.a): services, task, screens and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from network import services, tasks
from network.deadlines import deadlines_for
from network.events import events_for
from network.models import AnnualList, AnnualListItem, Deadline, Event, OutboxEmail, Point, User
from tests.conftest import client_for

# 7 February 2025 + 15 days = Saturday 22 February → Monday 24 February (Civil Code Art. 148(5)).
APPROVED = date(2025, 2, 7)
DUE = date(2025, 2, 24)


@pytest.fixture
def moit(reference) -> Point:
    return Point.objects.get(code="bo-cong-thuong")


@pytest.fixture
def draft(moit, ministry_officer) -> AnnualList:
    return services.annual_list_record_approval(actor=ministry_officer, point=moit, year=2025, approved_on=APPROVED)


def add_item(annual_list: AnnualList, actor: User, title: str = "Thông tư quy định về nhãn hàng hóa") -> AnnualListItem:
    return services.annual_list_item_add(
        actor=actor,
        annual_list=annual_list,
        title=title,
        doc_type=AnnualListItem.DocType.CIRCULAR,
        planned_issue_date=date(2025, 9, 30),
        responsible_unit="Vụ Khoa học và Công nghệ",
    )


def snapshot() -> tuple:
    """Everything a refused call must leave as it was."""
    return (
        list(AnnualList.objects.order_by("pk").values()),
        list(AnnualListItem.objects.order_by("pk").values()),
        list(Deadline.objects.order_by("pk").values()),
        Event.objects.count(),
        OutboxEmail.objects.count(),
    )


# --- services -----------------------------------------------------------------------------------
def test_ensure_year_creates_an_awaiting_list_per_ministry_once(reference):
    assert services.annual_lists_ensure_year(year=2030) == 8
    assert services.annual_lists_ensure_year(year=2030) == 0
    lists = AnnualList.objects.filter(year=2030)
    assert lists.count() == 8
    assert set(lists.values_list("state", flat=True)) == {AnnualList.State.AWAITING_APPROVAL}
    assert set(lists.values_list("point__level", flat=True)) == {Point.Level.MINISTRY}
    assert Event.objects.filter(verb="created").count() == 8
    assert Deadline.objects.count() == 0  # the clock starts with the Minister's approval


def test_the_daily_task_ensures_this_years_lists_and_can_run_twice(reference):
    assert tasks.annual_lists_open() == 8
    assert tasks.annual_lists_open() == 0
    assert AnnualList.objects.filter(year=timezone.localdate().year).count() == 8


def test_recording_the_approval_makes_a_draft_due_15_days_later_rolled_forward(moit, ministry_officer):
    services.annual_lists_ensure_year(year=2025)
    annual_list = services.annual_list_record_approval(
        actor=ministry_officer, point=moit, year=2025, approved_on=APPROVED
    )
    assert annual_list.state == AnnualList.State.DRAFT
    assert annual_list.programme_approved_on == APPROVED
    assert annual_list.due_date == DUE
    event = events_for(annual_list).get(verb="approval_recorded")
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        ministry_officer, "awaiting", "draft", "07/02/2025"
    )  # fmt: skip
    deadline = deadlines_for(annual_list).get()
    assert (deadline.kind, deadline.point, deadline.due_date, deadline.state) == ("annual_list", moit, DUE, "open")
    assert deadline.url == f"/network/annual-lists/{annual_list.public_id}/"
    assert "2025" in deadline.title_vi and "2025" in deadline.title_en


def test_the_due_date_skips_public_holidays(moit, ministry_officer, settings):
    settings.EXTRA_HOLIDAYS = ["2025-02-24"]
    annual_list = services.annual_list_record_approval(
        actor=ministry_officer, point=moit, year=2025, approved_on=APPROVED
    )
    assert annual_list.due_date == date(2025, 2, 25)


def test_recording_creates_the_list_when_the_year_was_not_opened(moit, ministry_officer):
    assert not AnnualList.objects.exists()
    annual_list = services.annual_list_record_approval(
        actor=ministry_officer, point=moit, year=2025, approved_on=APPROVED
    )
    assert AnnualList.objects.get() == annual_list


def test_correcting_the_approval_date_moves_the_deadline(draft, ministry_officer, moit):
    corrected = services.annual_list_record_approval(
        actor=ministry_officer, point=moit, year=2025, approved_on=date(2025, 3, 3)
    )
    assert corrected.pk == draft.pk
    assert corrected.due_date == date(2025, 3, 18)
    assert deadlines_for(draft).get().due_date == date(2025, 3, 18)
    assert events_for(draft).filter(verb="approval_date_corrected").count() == 1
    # The same date again changes nothing.
    before = snapshot()
    services.annual_list_record_approval(actor=ministry_officer, point=moit, year=2025, approved_on=date(2025, 3, 3))
    assert snapshot() == before


@pytest.mark.parametrize(
    "who",
    ["national_officer", "other_ministry_officer", "provincial_officer", "admin_user", "board_member", "business"],
)
def test_only_the_ministrys_own_officers_record_the_approval(who, moit, request):
    actor = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.annual_list_record_approval(actor=actor, point=moit, year=2025, approved_on=APPROVED)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("year", "approved_on", "message"),
    [
        (2025, "tomorrow", "future"),
        (2025, date(2023, 12, 1), "wrong_year"),
        (2025, date(2026, 1, 5), "wrong_year"),
    ],
)
def test_an_impossible_approval_date_is_refused(year, approved_on, message, moit, ministry_officer):
    if approved_on == "tomorrow":
        approved_on = timezone.localdate() + timedelta(days=1)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.annual_list_record_approval(actor=ministry_officer, point=moit, year=year, approved_on=approved_on)
    assert refused.value.code == message
    assert snapshot() == before


def test_items_are_added_and_removed_while_draft(draft, ministry_officer):
    item = add_item(draft, ministry_officer)
    assert list(draft.items.all()) == [item]
    assert events_for(draft).filter(verb="item_added", note=item.title, actor=ministry_officer).exists()
    services.annual_list_item_remove(actor=ministry_officer, item=item)
    assert draft.items.count() == 0
    assert events_for(draft).filter(verb="item_removed", note=item.title).exists()


def test_an_invalid_item_is_refused(draft, ministry_officer):
    before = snapshot()
    with pytest.raises(ValidationError):
        services.annual_list_item_add(
            actor=ministry_officer, annual_list=draft, title="  ", doc_type="poem",
            planned_issue_date=date(2025, 5, 1), responsible_unit="Vụ Pháp chế",
        )  # fmt: skip
    assert snapshot() == before


def test_items_cannot_be_added_before_the_approval_is_recorded(moit, ministry_officer):
    services.annual_lists_ensure_year(year=2025)
    awaiting = AnnualList.objects.get(point=moit, year=2025)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        add_item(awaiting, ministry_officer)
    assert refused.value.code == "awaiting"
    assert snapshot() == before


@pytest.mark.parametrize("who", ["national_officer", "other_ministry_officer", "admin_user"])
def test_only_the_ministrys_own_officers_edit_items(who, draft, ministry_officer, request):
    item = add_item(draft, ministry_officer)
    actor = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        add_item(draft, actor)
    with pytest.raises(PermissionDenied):
        services.annual_list_item_remove(actor=actor, item=item)
    with pytest.raises(PermissionDenied):
        services.annual_list_submit(actor=actor, annual_list=draft)
    assert snapshot() == before


def test_submitting_sends_the_list_to_the_national_point(draft, ministry_officer, national_officer, national_clerk):
    national_clerk.language = "en"
    national_clerk.save(update_fields=["language"])
    add_item(draft, ministry_officer)
    add_item(draft, ministry_officer, title="Quy chuẩn kỹ thuật quốc gia về thép")
    submitted = services.annual_list_submit(actor=ministry_officer, annual_list=draft)
    assert submitted.state == AnnualList.State.SUBMITTED
    assert submitted.submitted_by == ministry_officer and submitted.submitted_at is not None
    event = events_for(draft).get(verb="submitted")
    assert (event.actor, event.from_state, event.to_state) == (ministry_officer, "draft", "submitted")
    deadline = deadlines_for(draft).get()
    assert deadline.state == Deadline.State.DONE
    emails = {e.to: e for e in OutboxEmail.objects.filter(template="annual_list_submitted")}
    assert set(emails) == {national_officer.email, national_clerk.email}
    assert "Bộ Công Thương" in emails[national_officer.email].subject
    assert "danh mục văn bản liên quan đến TBT năm 2025" in emails[national_officer.email].subject
    assert "Danh mục có 2 văn bản." in emails[national_officer.email].body_text
    assert "Ministry of Industry and Trade" in emails[national_clerk.email].subject
    assert "The list has 2 documents." in emails[national_clerk.email].body_text
    assert f"/en/network/annual-lists/{draft.public_id}/" in emails[national_clerk.email].body_text


def test_an_empty_list_needs_the_explicit_confirmation(draft, ministry_officer, national_officer):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.annual_list_submit(actor=ministry_officer, annual_list=draft)
    assert refused.value.code == "empty"
    assert "Vui lòng thêm ít nhất một văn bản" in refused.value.messages[0]  # said in the user's language
    assert snapshot() == before
    submitted = services.annual_list_submit(actor=ministry_officer, annual_list=draft, no_documents=True)
    assert submitted.state == AnnualList.State.SUBMITTED
    assert events_for(draft).filter(verb="submitted_no_documents").exists()
    email = OutboxEmail.objects.get(template="annual_list_submitted")
    assert "không có văn bản liên quan đến TBT" in email.body_text


def test_a_list_with_documents_cannot_be_confirmed_empty(draft, ministry_officer):
    add_item(draft, ministry_officer)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.annual_list_submit(actor=ministry_officer, annual_list=draft, no_documents=True)
    assert refused.value.code == "not_empty"
    assert snapshot() == before


def test_a_submitted_list_is_frozen(draft, ministry_officer, moit):
    item = add_item(draft, ministry_officer)
    services.annual_list_submit(actor=ministry_officer, annual_list=draft)
    before = snapshot()
    refusals = [
        lambda: add_item(draft, ministry_officer),
        lambda: services.annual_list_item_remove(actor=ministry_officer, item=item),
        lambda: services.annual_list_submit(actor=ministry_officer, annual_list=draft),
        lambda: services.annual_list_record_approval(
            actor=ministry_officer, point=moit, year=2025, approved_on=APPROVED
        ),
    ]
    codes = []
    for refusal in refusals:
        with pytest.raises(ValidationError) as refused:
            refusal()
        codes.append(refused.value.code)
    assert codes == ["submitted", "submitted", "submitted", "invalid_transition"]
    assert snapshot() == before


# --- screens ------------------------------------------------------------------------------------
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def current(moit, ministry_officer) -> AnnualList:
    """This year's list, approved 20 days ago."""
    return services.annual_list_record_approval(
        actor=ministry_officer, point=moit, year=THIS_YEAR, approved_on=timezone.localdate() - timedelta(days=20)
    )


def url(name: str, annual_list: AnnualList | None = None, **kwargs) -> str:
    if annual_list is not None:
        kwargs["public_id"] = annual_list.public_id
    return reverse(f"network:{name}", kwargs=kwargs)


READERS = {"ministry": 200, "national": 200, "admin": 200, "other_ministry": 404, "provincial": 404,
           "board_member": 404, "board_secretary": 404, "business": 404}  # fmt: skip
EDITORS = {"ministry": 302, "national": 403, "admin": 403, "other_ministry": 404, "provincial": 404,
           "board_member": 404, "board_secretary": 404, "business": 404}  # fmt: skip


@pytest.mark.parametrize(("role", "status"), READERS.items())
def test_who_may_read_a_list(role, status, cast, current):
    response = client_for(cast[role]).get(url("annual_list_detail", current))
    assert response.status_code == status
    if status == 200:
        assert current.point.name_vi in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(current):
    for name, method in [("annual_list_detail", "get"), ("annual_list_item_add", "post"),
                         ("annual_list_submit", "post")]:  # fmt: skip
        response = getattr(client_for(None), method)(url(name, current))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for path in [url("annual_list_overview"), url("annual_list_approval", year=THIS_YEAR)]:
        response = client_for(None).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_list_is_not_found(ministry_officer):
    response = client_for(ministry_officer).get(
        reverse("network:annual_list_detail", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"})
    )
    assert response.status_code == 404


ITEM = {"title": "Thông tư về ghi nhãn", "doc_type": "circular", "planned_issue_date": "2026-10-01",
        "responsible_unit": "Vụ Pháp chế"}  # fmt: skip


@pytest.mark.parametrize(("role", "status"), EDITORS.items())
def test_who_may_add_an_item(role, status, cast, current):
    response = client_for(cast[role]).post(url("annual_list_item_add", current), ITEM)
    assert response.status_code == status
    assert current.items.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(("role", "status"), EDITORS.items())
def test_who_may_remove_an_item(role, status, cast, current, ministry_officer):
    item = add_item(current, ministry_officer)
    response = client_for(cast[role]).post(url("annual_list_item_remove", current, item_id=item.pk))
    assert response.status_code == status
    assert current.items.count() == (0 if status == 302 else 1)


@pytest.mark.parametrize(("role", "status"), EDITORS.items())
def test_who_may_submit(role, status, cast, current, ministry_officer):
    add_item(current, ministry_officer)
    response = client_for(cast[role]).post(url("annual_list_submit", current), {"confirm": "on"})
    assert response.status_code == status
    current.refresh_from_db()
    assert current.state == (AnnualList.State.SUBMITTED if status == 302 else AnnualList.State.DRAFT)


APPROVERS = {"ministry": 200, "other_ministry": 200, "national": 403, "admin": 403, "provincial": 404,
             "board_member": 404, "board_secretary": 404, "business": 404}  # fmt: skip


@pytest.mark.parametrize(("role", "status"), APPROVERS.items())
def test_who_may_open_the_approval_form(role, status, cast):
    response = client_for(cast[role]).get(url("annual_list_approval", year=THIS_YEAR))
    assert response.status_code == status


@pytest.mark.parametrize("role", ["national", "admin", "provincial", "business"])
def test_others_cannot_record_an_approval(role, cast):
    response = client_for(cast[role]).post(
        url("annual_list_approval", year=THIS_YEAR), {"approved_on": str(timezone.localdate())}
    )
    assert response.status_code in (403, 404)
    assert not AnnualList.objects.exists()


def test_an_item_of_another_list_is_not_found(current, ministry_officer, other_ministry_officer):
    theirs = services.annual_list_record_approval(
        actor=other_ministry_officer, point=other_ministry_officer.point, year=THIS_YEAR,
        approved_on=timezone.localdate() - timedelta(days=3),
    )  # fmt: skip
    item = add_item(theirs, other_ministry_officer)
    response = client_for(ministry_officer).post(url("annual_list_item_remove", current, item_id=item.pk))
    assert response.status_code == 404
    assert theirs.items.count() == 1


def test_the_ministry_officer_journey(ministry_officer, national_officer):
    client = client_for(ministry_officer)
    approved = timezone.localdate() - timedelta(days=2)
    response = client.post(url("annual_list_approval", year=THIS_YEAR), {"approved_on": approved.isoformat()},
                           follow=True)  # fmt: skip
    annual_list = AnnualList.objects.get()
    assert response.redirect_chain[-1][0] == annual_list.get_absolute_url()
    page = response.content.decode()
    assert "Đã ghi nhận ngày phê duyệt. Hạn gửi danh mục là ngày" in page
    assert annual_list.due_date.strftime("%d/%m/%Y") in page
    assert "Thêm văn bản" in page  # the add form
    assert "Đã ghi nhận ngày phê duyệt chương trình xây dựng văn bản" in page  # the timeline

    response = client.post(url("annual_list_item_add", annual_list), ITEM, follow=True)
    page = response.content.decode()
    assert "Đã thêm văn bản vào danh mục." in page
    assert "Thông tư về ghi nhãn" in page and "01/10/2026" in page

    response = client.post(url("annual_list_submit", annual_list), {"confirm": "on"}, follow=True)
    page = response.content.decode()
    assert "Danh mục đã được gửi Điểm TBT quốc gia. Xin cảm ơn." in page
    annual_list.refresh_from_db()
    assert annual_list.state == AnnualList.State.SUBMITTED
    assert "Thêm văn bản" not in page  # frozen: no edit forms any more
    assert OutboxEmail.objects.filter(to=national_officer.email, template="annual_list_submitted").exists()


def test_form_errors_are_shown_next_to_the_fields_in_vietnamese(current, ministry_officer):
    response = client_for(ministry_officer).post(url("annual_list_item_add", current), {**ITEM, "title": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errorlist' in page
    assert "Trường này là bắt buộc." in page
    assert current.items.count() == 0


def test_form_errors_in_english(current, ministry_officer):
    response = client_for(ministry_officer).post(
        "/en" + url("annual_list_item_add", current), {**ITEM, "planned_issue_date": "not a date"}
    )
    page = response.content.decode()
    assert "Enter a valid date." in page


def test_submitting_without_confirmation_or_documents_explains_why(current, ministry_officer):
    client = client_for(ministry_officer)
    page = client.post(url("annual_list_submit", current), {}).content.decode()
    assert "Vui lòng đánh dấu ô xác nhận trước khi gửi." in page
    page = client.post("/en" + url("annual_list_submit", current), {"confirm": "on"}).content.decode()
    assert "Add at least one document, or confirm that this year&#x27;s programme has no TBT-related documents." in page
    current.refresh_from_db()
    assert current.state == AnnualList.State.DRAFT


def test_a_future_approval_date_is_refused_in_the_form(ministry_officer):
    response = client_for(ministry_officer).post(
        "/en" + url("annual_list_approval", year=THIS_YEAR),
        {"approved_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert "The approval date cannot be in the future." in response.content.decode()
    assert not AnnualList.objects.exists()


def test_the_national_point_reads_but_cannot_edit(current, national_officer):
    page = client_for(national_officer).get(url("annual_list_detail", current)).content.decode()
    assert "Bạn được xem danh mục này; chỉ Điểm TBT của Bộ được thay đổi." in page
    assert url("annual_list_item_add", current) not in page
    assert url("annual_list_submit", current) not in page


@pytest.mark.parametrize(
    ("role", "status"),
    {
        "national": 200,
        "admin": 200,
        "ministry": 200,
        "other_ministry": 200,
        "provincial": 404,
        "board_member": 404,
        "business": 404,
    }.items(),
)
def test_who_may_see_the_overview(role, status, cast, current):
    response = client_for(cast[role]).get(url("annual_list_overview"))
    assert response.status_code == status


def test_the_national_overview_lists_every_ministry(current, national_officer):
    page = client_for(national_officer).get(url("annual_list_overview")).content.decode()
    for point in Point.objects.filter(level=Point.Level.MINISTRY):
        assert point.name_vi in page
    assert current.get_absolute_url() in page
    assert "1 đang chuẩn bị, 7 chờ phê duyệt" in page


def test_a_ministry_sees_only_its_own_lists_in_the_overview(current, other_ministry_officer):
    page = client_for(other_ministry_officer).get(url("annual_list_overview")).content.decode()
    assert current.get_absolute_url() not in page
    assert "Bộ Y tế" in page
