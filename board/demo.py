"""A seated Board for the demo started by ``make run`` (``manage.py board_demo``), idempotent.

The demo accounts of network/demo.py include a Board member and the Board's Secretary, but a person
acts on the Board only through a membership appointed by decision (Đ15.2). This seats them, with a
Head, a Deputy Head and two more members (Health, Industry and Trade: ministries with a TBT point,
so the consultation of Đ12.2 can be tried), through the same services an administrator uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from network.models import User

from . import services
from .models import BoardAgency, Membership
from .selectors import seat_filter

DEMO_DECISION = "1234/QĐ-BKHCN"


@dataclass(frozen=True)
class DemoSeat:
    email: str
    full_name: str
    role: str
    position_vi: str
    position_en: str
    agency_code: str = ""
    organisation_vi: str = ""
    organisation_en: str = ""


DEMO_SEATS: tuple[DemoSeat, ...] = (
    DemoSeat("board.head@demo.tbt.example", "Lê Xuân Định", Membership.Role.HEAD, "Thứ trưởng", "Deputy Minister",
             organisation_vi="Bộ Khoa học và Công nghệ", organisation_en="Ministry of Science and Technology"),
    DemoSeat("board.deputy@demo.tbt.example", "Nguyễn Hoàng Linh", Membership.Role.DEPUTY, "Phó Chủ nhiệm",
             "Deputy Chairman", organisation_vi="Ủy ban Tiêu chuẩn Đo lường Chất lượng Quốc gia",
             organisation_en="National Committee for Standards, Metrology and Quality"),
    DemoSeat("board.secretary@demo.tbt.example", "Hoàng Thị Hương", Membership.Role.SECRETARY, "Trưởng ban",
             "Director", organisation_vi="Ban Hợp tác quốc tế và TBT, Ủy ban Tiêu chuẩn Đo lường Chất lượng Quốc gia",
             organisation_en="International Cooperation and TBT Department, STAMEQ"),
    DemoSeat("board.member@demo.tbt.example", "Võ Đức Giang", Membership.Role.MEMBER, "Phó Vụ trưởng",
             "Deputy Director-General", agency_code="bo-tu-phap"),
    DemoSeat("board.health@demo.tbt.example", "Trần Thị Hạnh", Membership.Role.MEMBER, "Vụ trưởng",
             "Director-General", agency_code="bo-y-te"),
    DemoSeat("board.trade@demo.tbt.example", "Phạm Quốc Hùng", Membership.Role.MEMBER, "Phó Vụ trưởng",
             "Deputy Director-General", agency_code="bo-cong-thuong"),
)  # fmt: skip


def _term_start() -> date:
    """2 January of this year (today on 1 January): a term never starts in the future."""
    today = timezone.localdate()
    return min(date(today.year, 1, 2), today)


def board_demo_seat(*, admin: User, password: str) -> list[tuple[DemoSeat, Membership, bool]]:
    """Seat the demo Board; (spec, membership, created) per seat. Seats already held are left alone,
    so a second run changes nothing."""
    out = []
    with transaction.atomic():
        for spec in DEMO_SEATS:
            agency = BoardAgency.objects.get(code=spec.agency_code) if spec.agency_code else None
            holder = Membership.objects.filter(
                seat_filter(role=spec.role, agency=agency), state=Membership.State.ACTIVE
            ).first()
            if holder is not None:
                out.append((spec, holder, False))
                continue
            user = User.objects.filter(email=spec.email).first()
            if user is None:
                user = User.objects.create_user(
                    email=spec.email,
                    password=password,
                    full_name=spec.full_name,
                    role=User.Role.BOARD_MEMBER,
                    organisation=spec.organisation_vi or agency.name_vi,  # type: ignore[union-attr]
                    email_verified_at=timezone.now(),
                )
            if Membership.objects.filter(user=user, state=Membership.State.ACTIVE).exists():
                user = None  # the account holds another seat already: seat the person without it
            nominee = services.membership_nominate(
                actor=admin,
                role=spec.role,
                agency=agency,
                full_name=spec.full_name,
                position_vi=spec.position_vi,
                position_en=spec.position_en,
                email=spec.email,
                user=user,
                organisation_vi=spec.organisation_vi,
                organisation_en=spec.organisation_en,
                nomination_reference="Demo",
            )
            start = _term_start()
            membership = services.membership_appoint(
                actor=admin, membership=nominee, decision_number=DEMO_DECISION, decision_date=start, term_start=start
            )
            out.append((spec, membership, True))
    return out
