"""Tasks run twice; reminders and escalation through the deadline engine; queue filters; figures."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries import services, tasks
from inquiries.models import Attachment, Inquiry, SubmissionBlock
from inquiries.selectors import QueueFilters, inquiry_figures, inquiry_queue
from network.deadlines import deadlines_scan
from network.events import events_for
from network.models import Deadline, OutboxEmail
from tbt_portal.files import check_upload
from tests.conftest import client_for
from tests.inquiries.conftest import PDF, point, submit, upload

pytestmark = pytest.mark.django_db


def test_retention_task_erases_once(settings, reference, media, national_officer, django_capture_on_commit_callbacks):
    settings.INQUIRY_RETENTION_DAYS = 30
    old = submit(files=[check_upload(upload("nhan.pdf", PDF))])
    services.inquiry_reject(inquiry=old, actor=national_officer, reason="Ngoài phạm vi")
    Inquiry.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=31))
    recent = submit(email="recent@example.vn")
    services.inquiry_reject(inquiry=recent, actor=national_officer, reason="Ngoài phạm vi")
    still_open = submit(email="open@example.vn")
    stored = old.attachments.get().file.path
    SubmissionBlock.objects.create(reason="honeypot", at=timezone.now() - timedelta(days=40))

    with django_capture_on_commit_callbacks(execute=True):  # files are removed after commit
        assert tasks.inquiries_retention() == 1
    old.refresh_from_db()
    assert old.personal_data_erased_at is not None and old.email == "" and old.name == ""
    assert not Attachment.objects.filter(inquiry=old).exists()
    assert not os.path.exists(stored)
    assert SubmissionBlock.objects.count() == 0
    events = len(events_for(old))
    # twice: nothing more happens
    assert tasks.inquiries_retention() == 0
    assert len(events_for(old)) == events
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.email == "recent@example.vn" and still_open.email == "open@example.vn"


def test_retention_task_honours_erasure_requests_once_closed(reference, media, national_officer):
    inquiry = submit()
    services.inquiry_request_erasure(inquiry=inquiry)
    assert tasks.inquiries_retention() == 0  # still being answered
    services.inquiry_reject(inquiry=inquiry, actor=national_officer, reason="x")
    assert tasks.inquiries_retention() == 1
    assert tasks.inquiries_retention() == 0


def test_autoclose_task_twice(answered):
    Inquiry.objects.filter(pk=answered.pk).update(answered_at=timezone.now() - timedelta(days=60))
    assert tasks.inquiries_autoclose() == 1
    assert tasks.inquiries_autoclose() == 0
    answered.refresh_from_db()
    assert answered.state == Inquiry.State.CLOSED


def test_reminders_and_escalation_come_from_the_engine(
    assigned, national_officer, ministry_officer, other_ministry_officer
):
    due = assigned.answer_due
    contribution_due = assigned.contributions.get().due_date
    deadlines_scan(today=contribution_due - timedelta(days=1))
    reminded = set(OutboxEmail.objects.filter(template="deadline_before").values_list("to", flat=True))
    assert ministry_officer.email in reminded  # the contributing point, for its part
    deadlines_scan(today=due - timedelta(days=1))
    reminded = set(OutboxEmail.objects.filter(template="deadline_before").values_list("to", flat=True))
    assert other_ministry_officer.email in reminded  # the lead point, for the answer
    deadlines_scan(today=due + timedelta(days=1))
    escalated = Deadline.objects.get(kind="inquiry_answer", object_id=str(assigned.pk))
    assert escalated.state == Deadline.State.ESCALATED
    assert OutboxEmail.objects.filter(template="deadline_escalation", to=national_officer.email).exists()
    count = OutboxEmail.objects.count()
    deadlines_scan(today=due + timedelta(days=1))
    assert OutboxEmail.objects.count() == count


def test_queue_filters_search_and_pagination(reference, media, national_officer, other_ministry_officer):
    first = submit(name="Trần Thị Hà")
    second = submit(email="b@example.vn", asker_type="wto_member", province_code=None)
    services.inquiry_assign(inquiry=second, actor=national_officer, lead_point=point("bo-y-te"))
    Inquiry.objects.filter(pk=second.pk).update(
        answer_due=timezone.localdate() - timedelta(days=1), created_at=timezone.now() - timedelta(days=20)
    )

    def codes(user=national_officer, **kw):
        return [i.code for i in inquiry_queue(user=user, filters=QueueFilters(**kw))]

    assert set(codes()) == {first.code, second.code}
    assert codes(q="tran thi ha") == [first.code]  # without diacritics
    assert codes(q="Trần Thị Hà") == [first.code]
    assert codes(due="overdue") == [second.code]
    assert codes(age=10) == [second.code]
    assert codes(state="received") == [first.code]
    assert codes(asker_type="wto_member") == [second.code]
    assert codes(point="bo-y-te") == [second.code]
    assert codes(user=other_ministry_officer) == [second.code]
    for i in range(30):
        submit(email=f"p{i}@example.vn")
    client = client_for(national_officer)
    page1 = client.get("/inquiries/work/?state=all")
    assert page1.context["page"].paginator.num_pages == 2
    assert client.get("/inquiries/work/?state=all&page=2").status_code == 200
    html = client.get("/inquiries/work/?q=tran%20thi%20ha").content.decode()
    assert first.code in html and second.code not in html


def test_figures(reference, media, national_officer, other_ministry_officer):
    done = []
    for hours in (24, 48, 240):
        inquiry = submit(email=f"f{hours}@example.vn")
        services.inquiry_assign(inquiry=inquiry, actor=national_officer, lead_point=point("bo-y-te"))
        services.inquiry_draft_answer(inquiry=inquiry, actor=other_ministry_officer, text="Trả lời")
        services.inquiry_approve(inquiry=inquiry, actor=national_officer)
        Inquiry.objects.filter(pk=inquiry.pk).update(answered_at=inquiry.created_at + timedelta(hours=hours))
        done.append(inquiry)
    late = submit(email="late@example.vn", asker_type="wto_member", province_code=None)
    services.inquiry_assign(inquiry=late, actor=national_officer, lead_point=point("bo-cong-thuong"))
    Inquiry.objects.filter(pk=late.pk).update(answer_due=timezone.localdate() - timedelta(days=2))
    fig = inquiry_figures()
    assert fig.total == 4 and fig.answered == 3
    assert fig.median_days == 2.0 and fig.p90_days == 10.0
    assert fig.overdue == 1
    assert {v: n for v, _l, n in fig.by_state}["answered"] == 3
    assert {v: n for v, _l, n in fig.by_type} == {
        "business": 3,
        "association": 0,
        "individual": 0,
        "wto_member": 1,
        "state_agency": 0,
    }
    assert dict(fig.by_province)["Hà Nội"] == 3
    assert dict(fig.by_point)["Điểm TBT Bộ Y tế"] == 3 or sum(dict(fig.by_point).values()) == 4
    html = client_for(national_officer).get("/inquiries/work/figures/").content.decode()
    assert 'id="fig-overdue">1<' in html and 'id="fig-total">4<' in html
