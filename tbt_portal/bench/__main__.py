"""``make bench``: run every benchmark of the package, or the one named.

    python -m tbt_portal.bench                  # all of them, one after the other
    python -m tbt_portal.bench notifications --rows 100000
    python -m tbt_portal.bench --list

A benchmark is a module of this package with a ``main(argv)`` function (helper modules whose names
end in ``_settings`` or ``_urls`` are skipped). Each prints its own report.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path


def benchmarks() -> dict[str, Callable[[list[str]], object]]:
    found: dict[str, Callable[[list[str]], object]] = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        name = info.name
        if name.startswith("_") or name.endswith(("_settings", "_urls")):
            continue
        module = importlib.import_module(f"tbt_portal.bench.{name}")
        main = getattr(module, "main", None)
        if callable(main):
            found[name] = main
    return dict(sorted(found.items()))


def run(argv: list[str]) -> int:
    available = benchmarks()
    if argv[:1] == ["--list"]:
        print("\n".join(available))
        return 0
    if argv and not argv[0].startswith("-"):
        name, rest = argv[0], argv[1:]
        if name not in available:
            print(f"Unknown benchmark {name!r}; available: {', '.join(available)}", file=sys.stderr)
            return 2
        available[name](rest)
        return 0
    for name, main in available.items():
        print(f"== benchmark: {name}", flush=True)
        main(list(argv))
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
