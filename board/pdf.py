"""Minutes and recommendation letters as PDF, in the Vietnamese administrative layout
(Decree 30/2020/NĐ-CP: national motto, issuing body, number and date, body, signature block,
recipients), rendered by WeasyPrint with embedded DejaVu fonts so that every diacritic survives.

These are official Vietnamese documents: they are always rendered in Vietnamese, whatever the
language of the person who asks for them, so the templates carry Vietnamese text directly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import AgendaItem, Invitation, ItemVote, Meeting, Membership, Recommendation
from .selectors import agency_tbt_point, meeting_invitations, meeting_items

ISSUING_PARENT = "BỘ KHOA HỌC VÀ CÔNG NGHỆ"
ISSUING_BODY = "BAN LIÊN NGÀNH TBT"
PLACE = "Hà Nội"

OUTCOME_VI: dict[str, str] = {
    AgendaItem.Outcome.PENDING: "Chưa quyết định",
    AgendaItem.Outcome.CONSENSUS: "Thông qua theo nguyên tắc đồng thuận",
    AgendaItem.Outcome.CARRIED: "Thông qua theo nguyên tắc quá bán trên tổng số người tham dự họp",
    AgendaItem.Outcome.NOT_CARRIED: "Không được thông qua (không đạt quá bán trên tổng số người tham dự họp)",
    AgendaItem.Outcome.DEFERRED: "Chưa kết luận, lùi sang cuộc họp sau",
}
ROLE_VI: dict[str, str] = {
    Membership.Role.HEAD: "Trưởng ban",
    Membership.Role.DEPUTY: "Phó Trưởng ban",
    Membership.Role.SECRETARY: "Thành viên thư ký",
    Membership.Role.MEMBER: "Thành viên",
}
KIND_VI: dict[str, str] = {Meeting.Kind.PERIODIC: "định kỳ", Meeting.Kind.AD_HOC: "đột xuất"}
VOTE_VI: dict[str, str] = {
    ItemVote.Vote.FOR: "Tán thành",
    ItemVote.Vote.AGAINST: "Không tán thành",
    ItemVote.Vote.ABSTAIN: "Không biểu quyết",
    ItemVote.Vote.NONE: "",
}

FONT_FACES = [
    # (family, weight, style, file)
    ("DocSerif", "normal", "normal", "DejaVuSerif.ttf"),
    ("DocSerif", "bold", "normal", "DejaVuSerif-Bold.ttf"),
    ("DocSerif", "normal", "italic", "DejaVuSerif-Italic.ttf"),
    ("DocSerif", "bold", "italic", "DejaVuSerif-BoldItalic.ttf"),
]


def date_line(day: date) -> str:
    """ "Hà Nội, ngày 05 tháng 02 năm 2026": days below 10 and the months January and February take
    a leading zero (Decree 30/2020/NĐ-CP, Appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{PLACE}, ngày {day.day:02d} tháng {month} năm {day.year}"


def font_css() -> str:
    """@font-face rules for the fonts present (DejaVu ships with fonts-dejavu-core; the italic faces
    come with fonts-dejavu-extra and are synthesised by WeasyPrint when missing)."""
    font_dir = Path(settings.BOARD_PDF_FONT_DIR)
    rules = []
    for family, weight, style, filename in FONT_FACES:
        path = font_dir / filename
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
                f'src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)


def stylesheet() -> str:
    path = finders.find("css/board-pdf.css")
    css = Path(str(path)).read_text(encoding="utf-8") if path else ""
    return font_css() + "\n" + css


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(string=stylesheet())])


def _signatory(meeting: Meeting) -> Membership | None:
    return meeting.chaired_by or meeting.convened_by


def _common() -> dict[str, Any]:
    return {"parent": ISSUING_PARENT, "body": ISSUING_BODY, "roles": ROLE_VI, "outcomes": OUTCOME_VI, "votes": VOTE_VI}


def minutes_context(meeting: Meeting) -> dict[str, Any]:
    invitations = list(meeting_invitations(meeting))
    items = list(meeting_items(meeting))
    for item in items:
        item.tbt_consultations = list(item.consultations.all())  # type: ignore[attr-defined]
    secretary = next((inv.membership for inv in invitations if inv.membership.role == Membership.Role.SECRETARY), None)
    local = timezone.localtime(meeting.starts_at)
    return {
        **_common(),
        "meeting": meeting,
        "kind_vi": KIND_VI.get(meeting.kind, ""),
        "local": local,
        "date_line": date_line(local.date()),
        "in_person": [inv for inv in invitations if inv.attendance == Invitation.Attendance.IN_PERSON],
        "remote": [inv for inv in invitations if inv.attendance == Invitation.Attendance.REMOTE],
        "absent": [inv for inv in invitations if inv.attendance == Invitation.Attendance.ABSENT],
        "present_count": sum(1 for inv in invitations if inv.is_present),
        "invited_count": len(invitations),
        "items": items,
        "chair": _signatory(meeting),
        "secretary": secretary,
    }


def render_minutes(meeting: Meeting) -> bytes:
    with translation.override("vi"):
        html = render_to_string("board/pdf/minutes.html", minutes_context(meeting))
    return html_to_pdf(html)


def recommendation_context(rec: Recommendation) -> dict[str, Any]:
    item = rec.item
    meeting = item.meeting
    issued = timezone.localtime(rec.issued_at).date() if rec.issued_at else timezone.localdate()
    reservations = list(item.reservations.select_related("membership__agency"))
    members_with_point = [r for r in reservations if agency_tbt_point(r.membership.agency) is not None]
    return {
        **_common(),
        "rec": rec,
        "item": item,
        "meeting": meeting,
        "meeting_local": timezone.localtime(meeting.starts_at),
        "kind_vi": KIND_VI.get(meeting.kind, ""),
        "date_line": date_line(issued),
        "reservations": reservations,
        "reservations_from_ministries": members_with_point,
        "signatory": Membership.objects.filter(role=Membership.Role.HEAD, state=Membership.State.ACTIVE).first()
        or _signatory(meeting),
    }


def render_recommendation(rec: Recommendation) -> bytes:
    with translation.override("vi"):
        html = render_to_string("board/pdf/recommendation.html", recommendation_context(rec))
    return html_to_pdf(html)
