"""The quality gate on a ministry's dossier: each refusal on its own, and what passes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from notifications.gate import add_months, dossier_gate, gate_reasons
from notifications.models import Notification
from tests.notifications.workflow_helpers import complete_data, make_dossier

KNOWN_HS = {"851713"}
KNOWN_ICS = {"33.050"}


def dossier(**overrides: Any) -> Notification:
    data = complete_data(**overrides)
    return Notification(direction="out", state="draft", **data)


def reasons(n: Notification, *, parent_found: bool = False) -> list[str]:
    with translation.override("en"):
        return gate_reasons(
            n,
            known_hs=KNOWN_HS,
            known_ics=KNOWN_ICS,
            parent_found=parent_found,
            min_comment_days=60,
            min_entry_months=6,
        )


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
    result = reasons(n, parent_found=False)
    assert len(result) == 1
    assert "G/TBT/N/VNM/9999" in result[0]


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
    assert reasons(n, parent_found=True) == []
    n.addendum_reason = ""
    result = reasons(n, parent_found=True)
    assert len(result) == 1 and result[0].startswith("Reason of the addendum")


def test_reasons_are_translated_into_vietnamese() -> None:
    n = dossier(title="")
    with translation.override("vi"):
        result = gate_reasons(
            n, known_hs=KNOWN_HS, known_ics=KNOWN_ICS, parent_found=False, min_comment_days=60, min_entry_months=6
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
    Notification.objects.create(direction="out", state="notified", symbol="G/TBT/N/VNM/298")
    n = make_dossier(
        ministry_officer, followup_kind="add", followup_of_symbol="G/TBT/N/VNM/298", addendum_reason="adopted"
    )
    assert dossier_gate(n) == []
    assert n.parent is not None and n.parent.symbol == "G/TBT/N/VNM/298"
