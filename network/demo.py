"""Demo accounts for the portal started by ``make run``: one per role, idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import Point, User

DEFAULT_PASSWORD = "Demo-TBT-2026!"  # noqa: S105 - demo only; the command refuses to run outside demo/debug


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    point_code: str | None = None
    is_head: bool = False
    organisation: str = ""
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("national.head@demo.tbt.example", "Nguyễn Thị Hạnh", User.Role.NATIONAL_OFFICER, "national",
                is_head=True),
    DemoAccount("national.officer@demo.tbt.example", "Trần Quốc Bảo", User.Role.NATIONAL_OFFICER, "national"),
    DemoAccount("ministry.officer@demo.tbt.example", "Lê Minh Châu", User.Role.MINISTRY_OFFICER, "bo-cong-thuong"),
    DemoAccount("provincial.officer@demo.tbt.example", "Phạm Thu Dung", User.Role.PROVINCIAL_OFFICER, "tinh-01"),
    DemoAccount("board.member@demo.tbt.example", "Võ Đức Giang", User.Role.BOARD_MEMBER, organisation="Bộ Tư pháp"),
    DemoAccount("board.secretary@demo.tbt.example", "Hoàng Thị Hương", User.Role.BOARD_SECRETARY,
                organisation="Ủy ban Tiêu chuẩn Đo lường Chất lượng Quốc gia"),
    DemoAccount("admin@demo.tbt.example", "Quản trị viên (demo)", User.Role.ADMIN, is_staff=True, is_superuser=True),
    DemoAccount("business@demo.tbt.example", "Đặng Văn Khoa", User.Role.BUSINESS,
                organisation="Công ty TNHH Xuất khẩu Nông sản Demo"),
)  # fmt: skip


def demo_accounts_ensure(*, password: str = DEFAULT_PASSWORD) -> list[tuple[DemoAccount, User, bool]]:
    """Create or align the demo accounts; returns (spec, user, changed) per account.

    A second run changes nothing: fields are written only when they differ and the password is
    set only when it does not match (so the hash is not re-salted every time).
    """
    points = {p.code: p for p in Point.objects.filter(code__in=[a.point_code for a in DEMO_ACCOUNTS if a.point_code])}
    missing = {a.point_code for a in DEMO_ACCOUNTS if a.point_code} - set(points)
    if missing:
        raise LookupError(", ".join(sorted(missing)))
    out = []
    with transaction.atomic():
        for spec in DEMO_ACCOUNTS:
            wanted = {
                "full_name": spec.full_name,
                "role": spec.role,
                "point": points[spec.point_code] if spec.point_code else None,
                "is_head": spec.is_head,
                "organisation": spec.organisation,
                "is_staff": spec.is_staff,
                "is_superuser": spec.is_superuser,
                "is_active": True,
            }
            user = User.objects.filter(email=spec.email).first()
            if user is None:
                user = User.objects.create_user(
                    email=spec.email, password=password, email_verified_at=timezone.now(), **wanted
                )
                out.append((spec, user, True))
                continue
            changed = [field for field, value in wanted.items() if getattr(user, field) != value]
            for field in changed:
                setattr(user, field, wanted[field])
            if not user.check_password(password):
                user.set_password(password)
                changed.append("password")
            if user.email_verified_at is None:
                user.email_verified_at = timezone.now()
                changed.append("email_verified_at")
            if changed:
                user.save(update_fields=changed)
            out.append((spec, user, bool(changed)))
    return out
