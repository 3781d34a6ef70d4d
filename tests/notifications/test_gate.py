"""The quality gate on a ministry's dossier: each refusal on its own, and what passes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from notifications import services
from notifications.gate import add_months, dossier_gate, gate_reasons, looks_vietnamese
from notifications.models import Notification
from tests.notifications.workflow_helpers import complete_data, make_dossier

KNOWN_HS = {"851713"}
KNOWN_ICS = {"33.050"}


def dossier(**overrides: Any) -> Notification:
    data = complete_data(**overrides)
    return Notification(direction="out", state="draft", **data)


def reasons(n: Notification, *, parent: Notification | None = None) -> list[str]:
    with translation.override("en"):
        return gate_reasons(
            n,
            known_hs=KNOWN_HS,
            known_ics=KNOWN_ICS,
            parent=parent,
            min_comment_days=60,
            min_entry_months=6,
        )


def notified_parent(**overrides: Any) -> Notification:
    """A notification of Viet Nam notified for the same point as ``dossier()`` (no point)."""
    fields = {"direction": "out", "state": "notified", "symbol": "G/TBT/N/VNM/1", "followup_kind": ""}
    return Notification(**{**fields, **overrides})


def test_complete_dossier_passes() -> None:
    assert reasons(dossier()) == []


REQUIRED = [
    ("agency_responsible", "", "Box 2: Agency responsible"),
    ("articles", [], "Box 3: Notified under Article"),
    ("products_text", "  ", "Box 4: Products covered"),
    ("title", "", "Box 5: Title of the notified document"),
    ("pages", "", "Box 5: Number of pages"),
    ("languages", "", "Box 5: Language(s)"),
    ("description", "", "Box 6: Description of content"),
    ("objectives", [], "Box 7: Objectives"),
    ("rationale", "", "Box 7: Rationale"),
    ("relevant_documents", "", "Box 8: Relevant documents"),
    ("texts_available", "", "Box 11: Texts available from"),
    ("planned_distribution_date", None, "Box 10: Planned date of distribution"),
    ("comment_deadline", None, "Box 10: Final date for comments"),
]


@pytest.mark.parametrize(("field", "empty", "box"), REQUIRED, ids=[r[0] for r in REQUIRED])
def test_each_empty_box_is_refused_by_name(field: str, empty: Any, box: str) -> None:
    result = reasons(dossier(**{field: empty}))
    assert len(result) == 1
    assert result[0].startswith(box)
    assert "not known" in result[0]


def test_box_9_empty_date_and_words_is_refused_for_each_date() -> None:
    result = reasons(dossier(proposed_adoption_date=None, entry_into_force_date=None))
    assert [r.split(" is empty")[0] for r in result] == [
        "Box 9: Proposed date of adoption",
        "Box 9: Proposed date of entry into force",
    ]


def test_not_known_in_words_fills_a_box() -> None:
    n = dossier(
        relevant_documents="not known",
        proposed_adoption_date=None,
        proposed_adoption_text="not known",
        entry_into_force_date=None,
        entry_into_force_text="6 months after publication",
    )
    assert reasons(n) == []


def test_unknown_hs_codes_are_refused() -> None:
    result = reasons(dossier(hs_codes=["851713", "999999", "12"]))
    assert len(result) == 1
    assert "HS" in result[0] and "999999, 12" in result[0]


def test_unknown_ics_codes_are_refused() -> None:
    result = reasons(dossier(ics_codes=["33.050", "99.999"]))
    assert len(result) == 1
    assert "ICS" in result[0] and "99.999" in result[0]


def test_comment_period_under_60_days_is_refused() -> None:
    planned = date(2027, 3, 1)
    result = reasons(dossier(planned_distribution_date=planned, comment_deadline=planned + timedelta(days=59)))
    assert len(result) == 1
    assert "Box 10" in result[0] and "59 days" in result[0] and "60 days" in result[0]


def test_comment_period_of_exactly_60_days_passes() -> None:
    planned = date(2027, 3, 1)
    assert reasons(dossier(planned_distribution_date=planned, comment_deadline=planned + timedelta(days=60))) == []


def test_entry_into_force_less_than_6_months_after_adoption_is_refused() -> None:
    adoption = date(2027, 8, 31)
    result = reasons(dossier(proposed_adoption_date=adoption, entry_into_force_date=date(2028, 2, 28)))
    assert len(result) == 1
    assert "Box 9" in result[0] and "6 months" in result[0] and "2.10.1" in result[0]


def test_six_months_to_the_day_passes() -> None:
    adoption = date(2027, 8, 31)
    assert add_months(adoption, 6) == date(2028, 2, 29)
    assert reasons(dossier(proposed_adoption_date=adoption, entry_into_force_date=date(2028, 2, 29))) == []


@pytest.mark.parametrize("urgent", [{"is_urgent": True}, {"articles": ["2.10.1"]}, {"articles": ["5.7.1"]}])
def test_urgent_measures_may_enter_into_force_sooner(urgent: dict[str, Any]) -> None:
    adoption = date(2027, 8, 31)
    n = dossier(proposed_adoption_date=adoption, entry_into_force_date=adoption + timedelta(days=10), **urgent)
    assert reasons(n) == []


@pytest.mark.parametrize("kind", ["add", "corr", "rev"])
def test_follow_up_without_the_symbol_it_follows_is_refused(kind: str) -> None:
    n = dossier(followup_kind=kind, followup_of_symbol="", addendum_reason="adopted")
    result = reasons(n)
    assert len(result) == 1
    assert result[0].startswith("Symbol followed up")


def test_follow_up_of_an_unknown_symbol_is_refused() -> None:
    n = dossier(followup_kind="rev", followup_of_symbol="G/TBT/N/VNM/9999")
    result = reasons(n, parent=None)
    assert len(result) == 1
    assert "G/TBT/N/VNM/9999" in result[0]


def test_entry_into_force_is_measured_from_the_comment_deadline_when_adoption_is_not_known() -> None:
    n = dossier(proposed_adoption_date=None, proposed_adoption_text="not known")
    assert reasons(n) == []
    n.entry_into_force_date = n.comment_deadline + timedelta(days=30)
    result = reasons(n)
    assert len(result) == 1
    assert "Box 9" in result[0] and "final date for comments" in result[0] and "2.10.1" in result[0]
    n.is_urgent = True
    assert reasons(n) == []


@pytest.mark.parametrize(
    "text",
    ["Bộ Công Thương", "Hà Nội", "quy chuẩn kỹ thuật", "đồ chơi", "Đà Nẵng", "ưu tiên", "Kiếm", "thảo"],
)
def test_vietnamese_letters_are_recognised(text: str) -> None:
    assert looks_vietnamese(text)


@pytest.mark.parametrize(
    "text",
    ["Ministry of Industry and Trade, 54 Hai Ba Trung, Ha Noi", "Règlement technique", "Año, señal, acción", "café"],
)
def test_english_french_and_spanish_are_not_taken_for_vietnamese(text: str) -> None:
    assert not looks_vietnamese(text)


def test_boxes_written_in_vietnamese_are_refused_by_name() -> None:
    n = dossier(title="Dự thảo quy chuẩn kỹ thuật quốc gia", texts_available="Điểm TBT quốc gia, Hà Nội")
    result = reasons(n)
    assert len(result) == 1
    assert "Vietnamese" in result[0] and "Title" in result[0] and "Box 11" in result[0] and "Box 6" not in result[0]


def test_follow_up_of_a_notification_of_viet_nam_of_the_same_point_passes() -> None:
    n = dossier(followup_kind="rev", followup_of_symbol="G/TBT/N/VNM/1")
    assert reasons(n, parent=notified_parent()) == []


@pytest.mark.parametrize(
    ("parent", "says"),
    [
        ({"direction": "in", "state": "received", "symbol": "G/TBT/N/USA/2000"}, "not a notification of Viet Nam"),
        ({"state": "submitted", "symbol": ""}, "not a notification of Viet Nam"),
        ({"point_id": 999}, "another TBT point"),
        ({"followup_kind": "add", "symbol": "G/TBT/N/VNM/1/Add.1"}, "itself an addendum or corrigendum"),
        ({"followup_kind": "corr", "symbol": "G/TBT/N/VNM/1/Corr.1"}, "itself an addendum or corrigendum"),
    ],
    ids=["foreign", "not-notified", "other-point", "addendum", "corrigendum"],
)
def test_follow_up_of_anything_else_is_refused(parent: dict[str, Any], says: str) -> None:
    n = dossier(followup_kind="add", followup_of_symbol="G/TBT/N/X/1", addendum_reason="adopted")
    result = reasons(n, parent=notified_parent(**parent))
    assert len(result) == 1 and says in result[0] and "G/TBT/N/X/1" in result[0]


def test_a_corrigendum_may_correct_an_addendum_and_a_revision_may_follow_a_revision() -> None:
    corr = dossier(followup_kind="corr", followup_of_symbol="G/TBT/N/VNM/1/Add.1")
    assert reasons(corr, parent=notified_parent(followup_kind="add")) == []
    rev = dossier(followup_kind="rev", followup_of_symbol="G/TBT/N/VNM/1/Rev.1")
    assert reasons(rev, parent=notified_parent(followup_kind="rev")) == []


def test_addendum_needs_only_title_description_and_reason() -> None:
    n = Notification(
        direction="out",
        state="draft",
        followup_kind="add",
        followup_of_symbol="G/TBT/N/VNM/1",
        title="Adoption",
        description="The regulation was adopted.",
        addendum_reason="adopted",
    )
    assert reasons(n, parent=notified_parent()) == []
    n.addendum_reason = ""
    result = reasons(n, parent=notified_parent())
    assert len(result) == 1 and result[0].startswith("Reason of the addendum")


def test_reasons_are_translated_into_vietnamese() -> None:
    n = dossier(title="")
    with translation.override("vi"):
        result = gate_reasons(
            n, known_hs=KNOWN_HS, known_ics=KNOWN_ICS, parent=None, min_comment_days=60, min_entry_months=6
        )
    assert "Ô 5" in result[0]


@pytest.mark.django_db
def test_dossier_gate_looks_up_the_reference_codes(ministry_officer) -> None:
    n = make_dossier(ministry_officer, hs_codes=["851713", "000000"], ics_codes=["33.050"])
    with translation.override("en"):
        result = dossier_gate(n)
    assert len(result) == 1 and "000000" in result[0]


@pytest.mark.django_db
def test_dossier_gate_finds_the_parent_by_symbol(ministry_officer) -> None:
    Notification.objects.create(
        direction="out", state="notified", symbol="G/TBT/N/VNM/298", point=ministry_officer.point
    )
    n = make_dossier(
        ministry_officer, followup_kind="add", followup_of_symbol="G/TBT/N/VNM/298", addendum_reason="adopted"
    )
    assert dossier_gate(n) == []
    assert n.parent is not None and n.parent.symbol == "G/TBT/N/VNM/298"


@pytest.mark.django_db
def test_a_foreign_notification_cannot_be_followed_up(ministry_officer) -> None:
    """The audit's case: an addendum typed against a partner's symbol never passes the gate."""
    Notification.objects.create(direction="in", state="received", symbol="G/TBT/N/USA/2000")
    n = make_dossier(
        ministry_officer, followup_kind="add", followup_of_symbol="G/TBT/N/USA/2000", addendum_reason="adopted"
    )
    with translation.override("en"):
        result = dossier_gate(n)
    assert len(result) == 1 and "G/TBT/N/USA/2000" in result[0]


@pytest.mark.django_db
def test_notifying_refuses_a_follow_up_whose_parent_is_not_ours(ministry_officer, national_officer) -> None:
    """Even past the gate (the parent changed, or the row was written another way), the national point
    cannot give a follow-up another member's symbol."""
    foreign = Notification.objects.create(direction="in", state="received", symbol="G/TBT/N/USA/2000")
    n = make_dossier(ministry_officer, followup_kind="add", followup_of_symbol="", addendum_reason="adopted")
    Notification.objects.filter(pk=n.pk).update(state="accepted", parent=foreign, followup_of_symbol="G/TBT/N/USA/2000")
    n.refresh_from_db()
    with pytest.raises(services.NotificationError, match="G/TBT/N/USA/2000"):
        services.dossier_notify(notification=n, actor=national_officer, distribution_date=date.today())
    n.refresh_from_db()
    assert n.state == "accepted" and n.symbol is None
