"""Developer tool: refresh the message catalogues and fill Vietnamese translations.

    python -m tbt_portal.translations [JSON ...]

Runs ``makemessages`` for vi and en, fills empty or fuzzy Vietnamese entries from flat JSON files
({"English msgid": "Vietnamese"}), clears fuzzy flags on entries it fills, compiles, and prints what
is still untranslated. Serialised with a lock file so several people can run it at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

BASE = Path(__file__).resolve().parent.parent
PO = BASE / "tbt_portal" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main(paths: list[str]) -> int:
    env = dict(os.environ, DEMO_MODE="1")
    manage = [sys.executable, str(BASE / "manage.py")]
    lock_path = BASE / ".data" / "translations.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(
            [
                *manage,
                "makemessages",
                "-l",
                "vi",
                "-l",
                "en",
                "--ignore=.venv",
                "--ignore=.data",
                "--ignore=tests",
                "--no-obsolete",
                "-v0",
            ],
            check=True,
            env=env,
            cwd=BASE,
        )
        table: dict[str, str] = {}
        for path in paths:
            table.update(json.loads(Path(path).read_text(encoding="utf-8")))
        po = polib.pofile(str(PO))
        filled = 0
        for entry in po:
            if entry.previous_msgid_plural and not entry.previous_msgid:
                # A "#| msgid_plural" hint without its "#| msgid" makes msgfmt fail: drop the hint.
                entry.previous_msgid_plural = None
            text = table.get(entry.msgid)
            if entry.msgid_plural:
                if text and (not entry.msgstr_plural.get(0) or "fuzzy" in entry.flags):
                    entry.msgstr_plural = {0: text}
                    filled += 1
                else:
                    continue  # keep msgmerge's fuzzy guess fuzzy (msgfmt then ignores it)
            elif text and (not entry.msgstr or "fuzzy" in entry.flags):
                entry.msgstr = text
                filled += 1
            else:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po.metadata["Language"] = "vi"
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        po.save()
        subprocess.run(
            [*manage, "compilemessages", "--ignore=.venv", "--ignore=.data", "-v0"], check=True, env=env, cwd=BASE
        )
        missing = [e.msgid for e in polib.pofile(str(PO)) if (not e.translated()) and not e.obsolete]
    print(f"filled {filled}; untranslated {len(missing)}")
    for msgid in missing[:400]:
        print("  MISSING:", msgid.replace("\n", "\\n")[:160])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
