"""Helpers shared by the Board tests and the Board browser journey."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from board import services
from board.models import AgendaItem, BoardAgency, Invitation, Meeting, Membership
from network.models import User
from tests.conftest import PASSWORD

TERM_START = date(2025, 1, 2)


def make_user(email: str, full_name: str, role: str = User.Role.BOARD_MEMBER, **extra) -> User:
    return User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=full_name,
        role=role,
        email_verified_at="2026-01-01T00:00:00Z",
        **extra,
    )


def agency(code: str) -> BoardAgency:
    return BoardAgency.objects.get(code=code)


def seat(
    admin: User,
    *,
    role: str,
    user: User | None,
    full_name: str,
    agency_code: str | None = None,
    organisation_vi: str = "",
    start: date = TERM_START,
    decision: str = "123/QĐ-BKHCN",
    term_end: date | None = None,
) -> Membership:
    nominee = services.membership_nominate(
        actor=admin,
        role=role,
        agency=agency(agency_code) if agency_code else None,
        full_name=full_name,
        position_vi="Thứ trưởng" if role == Membership.Role.HEAD else "Vụ trưởng",
        position_en="Director-General",
        email=user.email if user else f"{full_name.split()[-1].lower()}@example.vn",
        user=user,
        organisation_vi=organisation_vi,
    )
    return services.membership_appoint(
        actor=admin,
        membership=nominee,
        decision_number=decision,
        decision_date=start,
        term_start=start,
        term_end=term_end,
    )


def seat_board(admin_user: User, board_member: User, board_secretary: User) -> SimpleNamespace:
    """Head, Deputy, Secretary and the members for Justice, Health and Industry and Trade, appointed
    through the services (their events and e-mails exist as in real use)."""
    head_user = make_user("dinh.head@most.example.vn", "Lê Xuân Định")
    deputy_user = make_user("linh.deputy@stameq.example.vn", "Nguyễn Hoàng Linh")
    health_user = make_user("hanh.moh@example.vn", "Trần Thị Hạnh")
    trade_user = make_user("hung.moit@example.vn", "Phạm Quốc Hùng")
    head = seat(
        admin_user,
        role=Membership.Role.HEAD,
        user=head_user,
        full_name=head_user.full_name,
        agency_code="bo-khoa-hoc-va-cong-nghe",
    )
    deputy = seat(
        admin_user,
        role=Membership.Role.DEPUTY,
        user=deputy_user,
        full_name=deputy_user.full_name,
        organisation_vi="Ủy ban Tiêu chuẩn Đo lường Chất lượng Quốc gia",
    )
    secretary = seat(
        admin_user,
        role=Membership.Role.SECRETARY,
        user=board_secretary,
        full_name=board_secretary.full_name,
        organisation_vi="Ban Hợp tác quốc tế và TBT",
    )
    justice = seat(
        admin_user,
        role=Membership.Role.MEMBER,
        user=board_member,
        full_name=board_member.full_name,
        agency_code="bo-tu-phap",
    )
    health = seat(
        admin_user,
        role=Membership.Role.MEMBER,
        user=health_user,
        full_name=health_user.full_name,
        agency_code="bo-y-te",
    )
    trade = seat(
        admin_user,
        role=Membership.Role.MEMBER,
        user=trade_user,
        full_name=trade_user.full_name,
        agency_code="bo-cong-thuong",
    )
    return SimpleNamespace(
        admin=admin_user,
        head=head,
        deputy=deputy,
        secretary=secretary,
        justice=justice,
        health=health,
        trade=trade,
        head_user=head_user,
        deputy_user=deputy_user,
        secretary_user=board_secretary,
        member_user=board_member,
        health_user=health_user,
        trade_user=trade_user,
        all=[head, deputy, secretary, justice, health, trade],
    )


def schedule(board: SimpleNamespace, *, kind: str = Meeting.Kind.AD_HOC, days: int = 10, title: str = "Họp đột xuất"):
    return services.meeting_create(
        actor=board.secretary_user,
        kind=kind,
        title=title,
        starts_at=timezone.now() + timedelta(days=days),
        place="Hà Nội, 113 Trần Duy Hưng",
    )


def take_place(meeting: Meeting) -> Meeting:
    """The meeting day arrives (the date is moved to an hour ago, as after the fact)."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    meeting.refresh_from_db()
    return meeting


def convened_meeting(
    board: SimpleNamespace, *, item_title: str = "Quy chuẩn kỹ thuật về pin lithium", escalation=None
) -> tuple[Meeting, AgendaItem]:
    meeting = schedule(board)
    if escalation is not None:
        item = services.agenda_item_add(
            actor=board.secretary_user,
            meeting=meeting,
            kind=AgendaItem.Kind.ESCALATION,
            title="",
            escalation=escalation,
        )
    else:
        item = services.agenda_item_add(
            actor=board.head_user,
            meeting=meeting,
            kind=AgendaItem.Kind.HEAD,
            title=item_title,
            description="Đề xuất kiến nghị sửa đổi quy chuẩn.",
        )
    services.meeting_convene(actor=board.secretary_user, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, item


def held_meeting(
    board: SimpleNamespace, *, absent: tuple[Membership, ...] = (), remote: tuple[Membership, ...] = (), escalation=None
) -> tuple[Meeting, AgendaItem]:
    meeting, item = convened_meeting(board, escalation=escalation)
    take_place(meeting)
    attendance = {}
    for inv in meeting.invitations.all():
        if inv.membership in absent:
            attendance[inv.pk] = Invitation.Attendance.ABSENT
        elif inv.membership in remote:
            attendance[inv.pk] = Invitation.Attendance.REMOTE
        else:
            attendance[inv.pk] = Invitation.Attendance.IN_PERSON
    services.attendance_record(actor=board.secretary_user, meeting=meeting, attendance=attendance)
    meeting.refresh_from_db()
    item.refresh_from_db()
    return meeting, item


def votes(meeting: Meeting, spec: dict[Membership, str | tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """participation for item_decide: {membership: vote} or {membership: (attendance, vote)}; others keep
    their meeting attendance and do not vote."""
    rows = {}
    for inv in meeting.invitations.select_related("membership"):
        value = spec.get(inv.membership, "")
        att, vote = value if isinstance(value, tuple) else (inv.attendance, value)
        rows[inv.pk] = (att, vote)
    return rows


def pdf_text(path: str | Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is required: apt-get install -y poppler-utils")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def pdf_to_png(path: str | Path, out_prefix: str | Path) -> Path:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is required: apt-get install -y poppler-utils")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), str(out_prefix)],
        check=True,
        capture_output=True,
    )
    return Path(f"{out_prefix}.png")
