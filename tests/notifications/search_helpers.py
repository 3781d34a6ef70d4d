"""Shared fixtures of the search/import/export/feed/API tests (imported by those test modules)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from network.models import WTOMember
from notifications.models import Notification
from notifications.search import notification_search_text

ROOT = Path(__file__).resolve().parents[2]
TRIS_DIR = ROOT / "tests" / "fixtures" / "tris"
MEMBERS_CSV = ROOT / "network" / "data" / "wto_members.csv"


def load_members() -> None:
    """The WTO members from the project's reference file (what load_reference_data loads), without
    needing the whole reference data set."""
    if WTOMember.objects.filter(code="EU").exists():
        return
    with MEMBERS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            WTOMember.objects.update_or_create(
                code=row["code"],
                defaults={
                    "iso2": row["iso2"],
                    "iso_numeric": row["iso_numeric"],
                    "name_en": row["name_en"],
                    "name_vi": row["name_vi"],
                    "is_eu_state": row["is_eu_state"] == "1",
                },
            )


@pytest.fixture
def members(db: Any) -> None:
    load_members()


def member(code: str) -> WTOMember:
    return WTOMember.objects.get(code=code)


def make_notification(**fields: Any) -> Notification:
    """A notification saved the way services and importers save them (search_text filled)."""
    defaults: dict[str, Any] = {
        "direction": Notification.Direction.IN,
        "source": Notification.Source.WTO,
        "state": Notification.State.RECEIVED,
        "distribution_date": date(2026, 1, 15),
    }
    defaults.update(fields)
    if isinstance(defaults.get("member"), str):
        defaults["member"] = member(defaults["member"])
    notification = Notification(**defaults)
    notification.search_text = notification_search_text(notification)
    notification.save()
    return notification


@pytest.fixture
def corpus(members: None) -> dict[str, Notification]:
    """A small searchable body: real symbols and titles (see ../shared/data/README.md), a TRIS
    record, Vietnam's notified measures and drafts that must never be public."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    S = Notification.State
    out = Notification.Direction.OUT
    items = {
        "jpn": make_notification(
            symbol="G/TBT/N/JPN/586",
            member="JPN",
            title="Minimum requirements for biological products",
            title_vi="Yêu cầu tối thiểu đối với sản phẩm sinh học",
            hs_codes=["3002"],
            objectives=["human_health"],
            distribution_date=date(2018, 2, 20),
            comment_deadline=date(2018, 3, 22),
        ),
        "chn": make_notification(
            symbol="G/TBT/N/CHN/1278",
            member="CHN",
            title="Amendment 3 to the national standard for common Portland cement",
            title_vi="Sửa đổi 3 tiêu chuẩn quốc gia về xi măng poóc lăng",
            hs_codes=["2523.29"],
            ics_codes=["91.100.10"],
            objectives=["deceptive_practices"],
            distribution_date=date(2018, 7, 10),
        ),
        "vnm298": make_notification(
            symbol="G/TBT/N/VNM/298",
            member="VNM",
            direction=out,
            state=S.NOTIFIED,
            title="Draft national technical regulation on specific absorption rate of mobile phones",
            title_vi="Dự thảo quy chuẩn kỹ thuật quốc gia về tỷ số hấp thụ riêng của điện thoại di động",
            hs_codes=["8517.13"],
            distribution_date=date(2024, 5, 27),
            comment_deadline=date(2024, 7, 26),
        ),
        "vnm29": make_notification(
            symbol="G/TBT/N/VNM/29",
            member="VNM",
            direction=out,
            state=S.NOTIFIED,
            title="Labelling of goods",
            distribution_date=date(2012, 3, 1),
        ),
        "tris": make_notification(
            source=Notification.Source.TRIS,
            external_id="TRIS:2020:0123:FR:N",
            member="FRA",
            title_vi="Đồ chơi trẻ em: yêu cầu an toàn",
            distribution_date=today - timedelta(days=20),
            comment_deadline=today + timedelta(days=30),
        ),
        "usa": make_notification(
            symbol="G/TBT/N/USA/1990",
            member="USA",
            title="Toys safety standard",
            description="Áp dụng tiêu chuẩn an toàn",
            products_text="Toys for children under 14",
            keywords=["toys", "safety"],
            objectives=["human_health", "consumer_information"],
            distribution_date=today - timedelta(days=10),
            comment_deadline=today + timedelta(days=70),
        ),
        "eu": make_notification(
            symbol="G/TBT/N/EU/1100",
            member="EU",
            title="Ecodesign requirements for chargers",
            description="Covers toys with batteries",
            distribution_date=today - timedelta(days=400),
            comment_deadline=today - timedelta(days=340),
        ),
    }
    # Drafts of Vietnam's ministries in every state before "notified": never public.
    for state in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED):
        items[f"draft_{state}"] = make_notification(
            direction=out,
            state=state,
            member="VNM",
            title=f"Secret draft {state}",
            title_vi="Tiêu chuẩn đồ chơi bí mật (dự thảo)",
            hs_codes=["8517.13"],
            keywords=["toys"],
            distribution_date=None,
            comment_deadline=today + timedelta(days=90),
        )
    return items


PUBLIC_KEYS = {"jpn", "chn", "vnm298", "vnm29", "tris", "usa", "eu"}
