"""Resolve how import files name a notifying member to a WTOMember row.

Accepted: the WTO code (ISO 3166 alpha-3, "EU"), ISO alpha-2, ePing's "C" + ISO numeric (C156 China,
C840 United States) and "U918" for the European Union, or the English/Vietnamese name. TRIS uses the
Commission's codes: "UK" is the United Kingdom, "EL" Greece and "EC" the Commission (→ the EU);
"EFTA" is not a WTO member (its comments are kept with the name only).
"""

from __future__ import annotations

import re

from network.models import WTOMember
from network.text import fold

TRIS_CODES = {"UK": "GB", "EL": "GR", "EC": "EU"}
# Bodies that comment in TRIS without being WTO members: kept by name, not an error.
TRIS_NON_MEMBERS = {"EFTA"}
EPING_EU = "U918"

_EPING_NUMERIC = re.compile(r"^C(\d{1,3})$")


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
                    self.by_name[fold(name)] = member.pk
        eu = self.by_code.get("EU")
        if eu is not None:
            self.by_name.setdefault("european union", eu)
            self.by_name.setdefault("european communities", eu)
        vnm = self.by_code.get("VNM")
        if vnm is not None:
            self.by_name.setdefault("vietnam", vnm)

    def resolve(self, value: object) -> int | None:
        """The member id for a code or name, or None when unknown."""
        if isinstance(value, dict):
            for key in ("code", "id", "iso3", "name", "nameEn", "name_en"):
                if value.get(key):
                    found = self.resolve(value[key])
                    if found is not None:
                        return found
            return None
        text = str(value or "").strip()
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
        return self.by_name.get(fold(text))

    def resolve_tris(self, code: str) -> int | None:
        """A TRIS entity code (FR, UK, EL, EC…) to a member id."""
        code = (code or "").strip().upper()
        iso2 = TRIS_CODES.get(code, code)
        if iso2 == "EU":
            return self.by_code.get("EU")
        return self.by_iso2.get(iso2)

    def code_of(self, member_id: int | None) -> str:
        return self.codes.get(member_id or 0, "")
