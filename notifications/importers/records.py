"""The normalised rows every reader produces, and the parsing helpers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation

from network.text import fold, printable

from ..models import Notification


class RowError(Exception):
    """A row cannot be imported: ``code`` and ``params`` are reported with its line."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class NotificationRecord:
    file: str
    line: int
    source: str
    symbol: str | None
    external_id: str
    member_id: int | None
    member_code: str
    # Model field name → value, only for the fields the source provides.
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.symbol or f"{self.source}:{self.external_id}"

    @property
    def direction(self) -> str:
        return Notification.Direction.OUT if self.member_code == "VNM" else Notification.Direction.IN

    @property
    def initial_state(self) -> str:
        # Vietnam's own notifications in a WTO file were notified already; partners' start "received".
        return (
            Notification.State.NOTIFIED if self.direction == Notification.Direction.OUT else Notification.State.RECEIVED
        )


@dataclass
class CommentRecord:
    file: str
    line: int
    kind: str  # NotificationComment.Kind
    external_id: str
    notification_source: str
    notification_external_id: str
    member_id: int | None
    by_name: str
    received_on: date | None

    @property
    def key(self) -> str:
        return self.external_id


# --- Dates ----------------------------------------------------------------------------------------
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_NULLS = {"", "na", "n/a", "null", "none", "-", "not known", "nan"}


def looks_like_date(value: str) -> bool:
    return bool(_ISO.match(value.strip()) or _DMY.match(value.strip()))


def parse_date(value: Any, field_name: str) -> date | None:
    """ISO (optionally with a time) or DD/MM/YYYY; empty and "NA" are no date; anything else raises."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    text = clean_text(str(value)).strip()
    if text.lower() in _NULLS:
        return None
    match = _ISO.match(text)
    try:
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _DMY.match(text)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        pass
    raise RowError("bad_date", field=field_name, value=text[:40])


# --- Symbols --------------------------------------------------------------------------------------
SYMBOL_RE = re.compile(r"^G/TBT/N/([A-Z]{2,4})/(\d+)((?:/(?:Add|Corr|Rev)\.\d+)*)$", re.IGNORECASE)
_FOLLOWUP_RE = re.compile(r"/(Add|Corr|Rev)\.(\d+)$", re.IGNORECASE)
FOLLOWUP_KINDS = {
    "add": Notification.FollowUp.ADDENDUM,
    "corr": Notification.FollowUp.CORRIGENDUM,
    "rev": Notification.FollowUp.REVISION,
}


def normalise_symbol(value: Any) -> str:
    """``g/tbt/n/usa/1/add.2`` → ``G/TBT/N/USA/1/Add.2``; raises RowError when not a TBT symbol."""
    text = re.sub(r"\s+", "", clean_text(str(value or "")))
    match = SYMBOL_RE.match(text)
    if not match or len(text) > 60:
        raise RowError("bad_symbol", value=str(value or "")[:80])
    parts = [f"G/TBT/N/{match.group(1).upper()}/{int(match.group(2))}"]
    for kind, number in re.findall(r"/(Add|Corr|Rev)\.(\d+)", match.group(3), re.IGNORECASE):
        parts.append(f"{kind.capitalize()}.{int(number)}")
    return "/".join(parts)


def symbol_member_code(symbol: str) -> str:
    return symbol.split("/")[3]


def followup_of(symbol: str) -> tuple[str, int | None, str]:
    """(follow-up kind, number, parent symbol) of a symbol; ("", None, "") for an original."""
    match = _FOLLOWUP_RE.search(symbol)
    if not match:
        return "", None, ""
    return FOLLOWUP_KINDS[match.group(1).lower()], int(match.group(2)), symbol[: match.start()]


# --- Text and lists -------------------------------------------------------------------------------
# What no imported value may keep (control characters, lone surrogates …): network.text.printable.
clean_text = printable


def text_value(value: Any, limit: int | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(text_value(v) for v in value if v not in (None, ""))
    elif isinstance(value, dict):
        value = next((value[k] for k in ("text", "name", "title", "description", "value") if value.get(k)), "")
    text = clean_text(str(value)).strip()
    # CSV exports guard cells against spreadsheet formulas with a leading apostrophe: undo it.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text[:limit] if limit else text


def list_value(value: Any, *, keys: tuple[str, ...] = ("code", "name", "text", "value", "id")) -> list[str]:
    """A list from a JSON list (of strings or objects) or a string separated by ``;``, ``|`` or ``,``."""
    if value is None:
        return []
    items: list[Any]
    if isinstance(value, (list, tuple)):
        items = list(value)
    elif isinstance(value, str):
        separator = ";" if ";" in value else ("|" if "|" in value else ",")
        items = value.split(separator)
    else:
        items = [value]
    result: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = next((item[k] for k in keys if item.get(k) not in (None, "")), "")
        text = text_value(item)
        if text and text not in result:
            result.append(text)
    return result


def code_list(value: Any) -> list[str]:
    """HS/ICS codes: keep digits, dots and spaces-free; drop empties."""
    return [re.sub(r"\s+", "", code) for code in list_value(value, keys=("code", "hsCode", "icsCode", "id", "value"))]


def _objective_index() -> dict[str, str]:
    index: dict[str, str] = {}
    with translation.override("en"):
        for choice in Notification.Objective:
            index[fold(choice.value)] = choice.value
            index[fold(str(choice.label))] = choice.value
            index[fold(choice.value.replace("_", " "))] = choice.value
    extra = {
        "protection of human health": "human_health",
        "human health": "human_health",
        "health": "human_health",
        "safety": "human_health",
        "consumer information": "consumer_information",
        "labelling": "consumer_information",
        "labeling": "consumer_information",
        "prevention of deceptive practices": "deceptive_practices",
        "consumer protection": "deceptive_practices",
        "protection of animal or plant life": "animal_plant",
        "protection of animal or plant life or health": "animal_plant",
        "environment": "environment",
        "protection of environment": "environment",
        "quality": "quality",
        "harmonisation": "harmonization",
        "national security": "national_security",
        "trade facilitation": "trade_facilitation",
    }
    index.update(extra)
    return index


_OBJECTIVES: dict[str, str] | None = None


def objective_codes(value: Any) -> list[str]:
    """Objectives as the model's codes (``human_health``…); unknown wording is kept as given."""
    global _OBJECTIVES
    if _OBJECTIVES is None:
        _OBJECTIVES = _objective_index()
    result: list[str] = []
    for item in list_value(value, keys=("code", "name", "label", "description", "text", "id")):
        code = _OBJECTIVES.get(fold(item).rstrip("."), item)
        if code not in result:
            result.append(code)
    return result


_URL = URLValidator(schemes=["http", "https"])


def url_value(value: Any, field_name: str) -> str:
    text = text_value(value)
    if not text:
        return ""
    try:
        _URL(text)
    except ValidationError:
        raise RowError("bad_value", field=field_name, value=text[:80]) from None
    if len(text) > 500:
        raise RowError("bad_value", field=field_name, value=text[:80] + "…")
    return text
