"""Minutes and recommendation letters as PDF: Vietnamese administrative layout with exact diacritics,
embedded fonts, page numbers, rendering to an image; reservations always in the outgoing
recommendation; the worker tasks are safe to run twice."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from board import pdf, services, tasks
from board.models import AgendaItem, Meeting, PdfState, Recommendation, Reservation
from network.events import events_for
from network.models import OutboxEmail
from tests.conftest import client_for

from .helpers import held_meeting, pdf_text, pdf_to_png, votes

KEEP = os.environ.get("BOARD_KEEP_PDF")  # a directory to keep the PDFs in, to look at them


def _keep(path: str, name: str) -> None:
    if KEEP:
        shutil.copy(path, os.path.join(KEEP, name))


def _decided(board):
    """A held meeting whose item carried 4 of 6 with a reservation of the Ministry of Health."""
    meeting, item = held_meeting(board, remote=(board.trade,))
    services.item_decide(
        actor=board.secretary_user,
        item=item,
        method="vote",
        participation=votes(
            meeting,
            {
                board.head: "for",
                board.deputy: "for",
                board.secretary: "for",
                board.justice: "for",
                board.health: "against",
                board.trade: "abstain",
            },
        ),
        declared=AgendaItem.Outcome.CARRIED,
        conclusion="Kiến nghị Bộ Công Thương sửa đổi QCVN về an toàn pin lithium trước quý IV.",
    )
    services.reservation_record(
        actor=board.secretary_user,
        item=item,
        membership=board.health,
        opinion="Bộ Y tế không đồng ý với thời hạn đề xuất.",
        explanation="Cần thêm thời gian đánh giá tác động đối với thiết bị y tế dùng pin lithium.",
    )
    item.refresh_from_db()
    return meeting, item


def _close(board, meeting, capture):
    with capture(execute=True):
        services.meeting_close(actor=board.secretary_user, meeting=meeting, minutes_notes="Không có.")
    meeting.refresh_from_db()
    return meeting


def test_minutes_pdf_in_vietnamese_administrative_layout(board, django_capture_on_commit_callbacks, tmp_path):
    meeting, _item = _decided(board)
    meeting = _close(board, meeting, django_capture_on_commit_callbacks)
    assert meeting.minutes_state == PdfState.READY
    path = meeting.minutes_pdf.path
    _keep(path, "minutes.pdf")
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    text = pdf_text(path)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
        "BAN LIÊN NGÀNH TBT",
        f"Số: {meeting.minutes_number}",
        "Hà Nội, ngày",
        "BIÊN BẢN",
        "Biên bản này",
        "Ý kiến bảo lưu",
        "Bộ Y tế không đồng ý với thời hạn đề xuất.",
        "Giải trình:",
        "Trần Thị Hạnh",
        "Lê Xuân Định",
        "Hoàng Thị Thu",
        "Phạm Quốc Hùng",
        "Thông qua theo nguyên tắc quá bán trên tổng số người tham dự họp",
        "4/6 thành viên dự họp tán thành",
        "Nơi nhận:",
        "Trang 1/",
    ]:
        assert expected in " ".join(text.split()) or expected in text, expected
    pages = int(
        subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    assert f"Trang {pages}/{pages}" in text
    fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Serif" in fonts or "DejaVuSerif" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes " in line, f"font not embedded: {line}"
    png = pdf_to_png(path, tmp_path / "minutes-page1")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000  # a rendered page, not an empty image
    _keep(str(png), "minutes-page1.png")


def test_date_line_follows_decree_30():
    from datetime import date

    assert pdf.date_line(date(2026, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2026"
    assert pdf.date_line(date(2026, 12, 3)) == "Hà Nội, ngày 03 tháng 12 năm 2026"
    assert pdf.date_line(date(2026, 3, 15)) == "Hà Nội, ngày 15 tháng 3 năm 2026"


def test_recommendation_always_carries_its_reservations(board, django_capture_on_commit_callbacks, tmp_path):
    meeting, item = _decided(board)
    rec = services.recommendation_create(
        actor=board.secretary_user,
        item=item,
        recipient="Bộ Công Thương",
        recipient_email="vanthu@moit.example.vn",
        subject="Sửa đổi QCVN về an toàn pin lithium",
        body="Ban liên ngành TBT kiến nghị Bộ Công Thương ...",
    )
    # Not before the minutes are closed: reservations are final only then.
    with pytest.raises(ValidationError) as exc:
        services.recommendation_issue(actor=board.head_user, recommendation=rec)
    assert exc.value.code == "minutes_open"
    assert Recommendation.objects.get(pk=rec.pk).state == Recommendation.State.DRAFT
    meeting = _close(board, meeting, django_capture_on_commit_callbacks)
    # After closing, no reservation can be added or dropped quietly.
    with pytest.raises(ValidationError):
        services.reservation_record(
            actor=board.member_user, item=item, membership=board.justice, opinion="x", explanation="y"
        )
    assert Reservation.objects.filter(item=item).count() == 1
    OutboxEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_issue(actor=board.head_user, recommendation=rec)
    rec.refresh_from_db()
    assert rec.state == Recommendation.State.ISSUED
    assert rec.number.endswith("/KN-BLNTBT")
    assert events_for(rec).filter(verb="board_recommendation_issued", actor=board.head_user).exists()
    # 1. In the letter (PDF).
    assert rec.pdf_state == PdfState.READY
    _keep(rec.pdf.path, "recommendation.pdf")
    text = " ".join(pdf_text(rec.pdf.path).split())
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {rec.number}",
        "V/v Sửa đổi QCVN về an toàn pin lithium",
        "Kính gửi: Bộ Công Thương",
        "Ý kiến bảo lưu",
        "Bộ Y tế không đồng ý với thời hạn đề xuất.",
        "Cần thêm thời gian đánh giá tác động đối với thiết bị y tế dùng pin lithium.",
        "Trần Thị Hạnh",
        "TM. BAN LIÊN NGÀNH TBT",
        "TRƯỞNG BAN",
        "Lê Xuân Định",
        "Nơi nhận:",
        "Trang 1/1",
    ]:
        assert expected in text, expected
    pdf_to_png(rec.pdf.path, tmp_path / "letter")
    # 2. In the e-mail to the state agency.
    mail = OutboxEmail.objects.get(template="board_recommendation")
    assert mail.to == "vanthu@moit.example.vn"
    assert "Bộ Y tế không đồng ý với thời hạn đề xuất." in mail.body_text
    assert "Cần thêm thời gian đánh giá tác động" in mail.body_text
    # 3. In the portal.
    response = client_for(board.member_user).get(rec.get_absolute_url())
    assert response.status_code == 200
    assert "Cần thêm thời gian đánh giá tác động" in response.content.decode()


def test_recommendation_needs_an_adopted_item(board):
    meeting, item = held_meeting(board)
    services.item_decide(
        actor=board.secretary_user,
        item=item,
        method="vote",
        participation=votes(
            meeting, {board.head: "for", board.health: "against", board.trade: "against", board.justice: "against"}
        ),
        declared=AgendaItem.Outcome.NOT_CARRIED,
        conclusion="Không thông qua.",
    )
    with pytest.raises(ValidationError) as exc:
        services.recommendation_create(
            actor=board.secretary_user, item=item, recipient="Bộ Y tế", subject="s", body="b"
        )
    assert exc.value.code == "not_adopted"
    assert not Recommendation.objects.exists()


def test_minutes_task_twice_stores_once(board, django_capture_on_commit_callbacks):
    meeting, _item = _decided(board)
    services.meeting_close(actor=board.secretary_user, meeting=meeting)  # on_commit not run: still pending
    meeting.refresh_from_db()
    assert meeting.minutes_state == PdfState.PENDING
    assert tasks.board_minutes_render.delay(meeting.pk).get() is True
    meeting.refresh_from_db()
    first = meeting.minutes_pdf.name
    assert meeting.minutes_state == PdfState.READY
    assert tasks.board_minutes_render.delay(meeting.pk).get() is False
    meeting.refresh_from_db()
    assert meeting.minutes_pdf.name == first
    assert events_for(meeting).filter(verb="board_minutes_ready").count() == 1
    assert tasks.board_minutes_render.delay(999_999).get() is False


def test_stale_revision_is_not_stored(board, monkeypatch):
    """A render that finishes after a newer revision was queued does not overwrite it."""
    meeting, _item = _decided(board)
    services.meeting_close(actor=board.secretary_user, meeting=meeting)
    real = pdf.render_minutes

    def render_then_bump(m):
        data = real(m)
        Meeting.objects.filter(pk=m.pk).update(minutes_revision=m.minutes_revision + 1)
        return data

    monkeypatch.setattr(pdf, "render_minutes", render_then_bump)
    assert services.minutes_render(meeting_id=meeting.pk) is False
    meeting.refresh_from_db()
    assert meeting.minutes_state == PdfState.PENDING
    assert not meeting.minutes_pdf


def test_failed_render_is_visible_and_can_be_retried(board, monkeypatch, django_capture_on_commit_callbacks):
    meeting, _item = _decided(board)
    services.meeting_close(actor=board.secretary_user, meeting=meeting)

    def broken(m):
        raise OSError("font missing")

    monkeypatch.setattr(pdf, "render_minutes", broken)
    assert tasks.board_minutes_render.delay(meeting.pk).get() is False
    meeting.refresh_from_db()
    assert meeting.minutes_state == PdfState.FAILED
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.pdf_regenerate(actor=board.secretary_user, obj=meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_state == PdfState.READY


def test_recommendation_task_twice(board, django_capture_on_commit_callbacks):
    meeting, item = _decided(board)
    rec = services.recommendation_create(
        actor=board.secretary_user, item=item, recipient="Bộ Công Thương", subject="s", body="b"
    )
    _close(board, meeting, django_capture_on_commit_callbacks)
    services.recommendation_issue(actor=board.secretary_user, recommendation=rec)
    assert tasks.board_recommendation_render.delay(rec.pk).get() is True
    assert tasks.board_recommendation_render.delay(rec.pk).get() is False
    rec.refresh_from_db()
    assert rec.pdf_state == PdfState.READY
    assert events_for(rec).filter(verb="board_recommendation_pdf_ready").count() == 1
    assert rec.issued_at is not None and rec.issued_at <= timezone.now()
