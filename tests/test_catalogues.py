"""The Vietnamese catalogue is complete (Vietnamese is the first language of every screen, e-mail
and PDF), and no translation function hides behind a name `makemessages` cannot see."""

from __future__ import annotations

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS = ["tbt_portal", "network", "board", "inquiries", "notifications", "alerts"]
GETTEXT_NAMES = "gettext|gettext_lazy|ngettext|ngettext_lazy|pgettext|pgettext_lazy|npgettext|npgettext_lazy"
# makemessages extracts _(), gettext(), gettext_lazy() … by name; `gettext_lazy as _lazy` would hide
# every string marked with `_lazy(` from the catalogue and leave it in English on Vietnamese screens.
ALIAS = re.compile(rf"\b({GETTEXT_NAMES}) as (?!_\b)(\w+)")


def test_every_vietnamese_entry_is_translated_and_none_is_fuzzy() -> None:
    po = polib.pofile(str(ROOT / "tbt_portal/locale/vi/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert (missing, fuzzy) == ([], [])
    assert len(po.translated_entries()) > 1000


def test_translation_functions_are_only_imported_under_names_makemessages_knows() -> None:
    hidden = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ALIAS.search(line):
                    hidden.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hidden == []


def test_the_alias_check_catches_a_hidden_name() -> None:
    assert ALIAS.search("from django.utils.translation import gettext_lazy as _lazy")
    assert ALIAS.search("from django.utils.translation import gettext as tr")
    assert not ALIAS.search("from django.utils.translation import gettext_lazy as _")
    assert not ALIAS.search("from django.utils.translation import gettext_lazy")


def _verbs_written() -> dict[str, str]:
    """Every event verb the code writes (``verb="…"`` in a call, or an importer's verb constant),
    with where it was found."""
    pattern = re.compile(r"""\bverb\s*=\s*["']([a-z_]+)["']|_events\([^,]+,\s*["']([a-z_]+)["']""")
    found: dict[str, str] = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in pattern.finditer(line):
                    found.setdefault(match.group(1) or match.group(2), f"{path.relative_to(ROOT)}:{number}")
    return found


def test_every_event_verb_has_a_label_for_the_timeline() -> None:
    """The timeline shows a verb without a label as the raw English key, on Vietnamese screens too."""
    from django.urls import get_resolver

    from network.templatetags.network_work import VERB_LABELS

    assert get_resolver().url_patterns  # every view module loaded: some add their labels on import
    written = _verbs_written()
    assert len(written) > 40
    assert {verb: where for verb, where in written.items() if verb not in VERB_LABELS} == {}
