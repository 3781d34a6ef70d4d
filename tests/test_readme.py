"""The README's configuration table lists every environment variable the settings read."""

import re
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def test_every_setting_variable_is_documented_in_the_readme():
    settings_src = (BASE / "tbt_portal" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z0-9_]+)"', settings_src))
    readme = (BASE / "README.md").read_text(encoding="utf-8")
    table_rows = {m.group(1) for m in re.finditer(r"^\| `([A-Z0-9_]+)` \|", readme, re.MULTILINE)}
    assert names, "no settings variables found: the pattern is wrong"
    missing = sorted(names - table_rows)
    assert not missing, f"README configuration table lacks: {missing}"
