"""Resolve how import files name a notifying member to a WTOMember row.

Accepted: the WTO code (ISO 3166 alpha-3, "EU", "TPKM"), ISO alpha-2, ePing's "C" + ISO numeric (C156
China, C840 United States) and "U918" for the European Union, or the English/Vietnamese name or one of
the other names in use (``ALIASES``: "Turkey", "Korea", "Taiwan"…). Names match whatever their case,
accents, punctuation and spacing ("cote d’ivoire" is Côte d'Ivoire). TRIS uses the
Commission's codes: "UK" is the United Kingdom, "EL" Greece and "EC" the Commission (→ the EU);
"EFTA" is not a WTO member (its comments are kept with the name only).
"""

from __future__ import annotations

import re

from network.models import WTOMember
from network.text import fold

from .records import RowError, clean_text, symbol_member_code

TRIS_CODES = {"UK": "GB", "EL": "GR", "EC": "EU"}
# Bodies that comment in TRIS without being WTO members: kept by name, not an error.
TRIS_NON_MEMBERS = {"EFTA"}
EPING_EU = "U918"

_EPING_NUMERIC = re.compile(r"^C(\d{1,3})$")

# Other names of members in ePing, the WTO's own lists, ISO and everyday use, by WTO code (see
# network/data/wto_members.csv; only codes found there are used). The reference name of each member
# is matched anyway. "EC" is not here: as a two-letter code it is Ecuador (TRIS has its own table).
ALIASES: dict[str, tuple[str, ...]] = {
    "USA": ("United States of America", "United States", "USA", "U.S.A.", "U.S."),
    "TUR": ("Türkiye", "Turkey", "Republic of Türkiye"),
    "KOR": ("Korea", "Republic of Korea", "Korea, Republic of", "Korea, Rep.", "South Korea"),
    "TPKM": (
        "Chinese Taipei",
        "Taiwan",
        "TWN",
        "Taipei, Chinese",
        "Separate Customs Territory of Taiwan, Penghu, Kinmen and Matsu",
    ),
    "EU": ("European Union", "EU", "European Communities", "European Community"),
    "VNM": ("Viet Nam", "Vietnam"),
    "HKG": ("Hong Kong, China", "Hong Kong", "Hong Kong SAR, China", "Hong Kong SAR"),
    "MAC": ("Macao, China", "Macao", "Macau", "Macao SAR, China"),
    "RUS": ("Russian Federation", "Russia"),
    "KGZ": ("Kyrgyz Republic", "Kyrgyzstan"),
    "SVK": ("Slovak Republic", "Slovakia"),
    "CZE": ("Czech Republic", "Czechia"),
    "MDA": ("Moldova, Republic of", "Republic of Moldova", "Moldova"),
    "SAU": ("Saudi Arabia, Kingdom of", "Kingdom of Saudi Arabia", "Saudi Arabia"),
    "BHR": ("Bahrain, Kingdom of", "Kingdom of Bahrain", "Bahrain"),
    "KWT": ("Kuwait, the State of", "State of Kuwait", "Kuwait"),
    "CIV": ("Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"),
    "LAO": ("Lao People's Democratic Republic", "Lao PDR", "Laos"),
    "GMB": ("The Gambia", "Gambia"),
    "BOL": ("Bolivia, Plurinational State of", "Plurinational State of Bolivia", "Bolivia"),
    "VEN": ("Venezuela, Bolivarian Republic of", "Bolivarian Republic of Venezuela", "Venezuela"),
    "GBR": ("United Kingdom", "United Kingdom of Great Britain and Northern Ireland", "UK"),
    "MKD": ("North Macedonia", "Republic of North Macedonia", "The former Yugoslav Republic of Macedonia"),
    "SWZ": ("Eswatini", "Swaziland", "Kingdom of Eswatini"),
    "CPV": ("Cabo Verde", "Cape Verde"),
    "TZA": ("Tanzania", "United Republic of Tanzania"),
}

_APOSTROPHES_AND_DOTS = re.compile(r"[.'’‘`´]")
_PUNCTUATION = re.compile(r"[^\w\s]|_")


def name_key(name: str) -> str:
    """How names are compared: folded (lower case, no accents), apostrophes and dots dropped
    ("U.S.A." is "usa"), other punctuation read as spaces, spaces squeezed."""
    text = fold(clean_text(name))
    text = _APOSTROPHES_AND_DOTS.sub("", text)
    return " ".join(_PUNCTUATION.sub(" ", text).split())


class MemberResolver:
    def __init__(self) -> None:
        self.by_code: dict[str, int] = {}
        self.by_iso2: dict[str, int] = {}
        self.by_numeric: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.codes: dict[int, str] = {}
        for member in WTOMember.objects.all().only("id", "code", "iso2", "iso_numeric", "name_en", "name_vi"):
            self.codes[member.pk] = member.code
            self.by_code[member.code.upper()] = member.pk
            if member.iso2:
                self.by_iso2[member.iso2.upper()] = member.pk
            if member.iso_numeric:
                self.by_numeric[member.iso_numeric.zfill(3)] = member.pk
            for name in (member.name_en, member.name_vi):
                if name:
                    self.by_name[name_key(name)] = member.pk
        for code, names in ALIASES.items():
            member_id = self.by_code.get(code)
            if member_id is None:
                continue
            for name in names:
                # A member's own reference name wins over another member's alias.
                self.by_name.setdefault(name_key(name), member_id)

    def resolve(self, value: object) -> int | None:
        """The member id for a code or name, or None when unknown."""
        if isinstance(value, dict):
            for key in ("code", "id", "iso3", "name", "nameEn", "name_en"):
                if value.get(key):
                    found = self.resolve(value[key])
                    if found is not None:
                        return found
            return None
        text = clean_text(str(value or "")).strip()
        if not text:
            return None
        upper = text.upper()
        if upper == EPING_EU:
            return self.by_code.get("EU")
        match = _EPING_NUMERIC.match(upper)
        if match:
            return self.by_numeric.get(match.group(1).zfill(3))
        if upper in self.by_code:
            return self.by_code[upper]
        if len(upper) == 2 and upper in self.by_iso2:
            return self.by_iso2[upper]
        if upper.isdigit():
            return self.by_numeric.get(upper.zfill(3))
        return self.by_name.get(name_key(text))

    def check_symbol(self, symbol: str, member_id: int) -> None:
        """Refuse a row whose symbol names another member than the one given (G/TBT/N/KOR/777 said
        to be China's). A code segment that is no member's WTO code (a historical "EEC", a
        typing error) is not checked: the member given stands."""
        code = symbol_member_code(symbol).upper()
        named = self.by_code.get(code)
        if named is not None and named != member_id:
            raise RowError("symbol_member", symbol=symbol, symbol_member=code, member=self.code_of(member_id))

    def resolve_tris(self, code: str) -> int | None:
        """A TRIS entity code (FR, UK, EL, EC…) to a member id."""
        code = (code or "").strip().upper()
        iso2 = TRIS_CODES.get(code, code)
        if iso2 == "EU":
            return self.by_code.get("EU")
        return self.by_iso2.get(iso2)

    def code_of(self, member_id: int | None) -> str:
        return self.codes.get(member_id or 0, "")
