"""Check (and, as root on Debian, install) the system packages the portal and its tests need.

Runs with the system Python before the virtualenv exists, so it imports nothing third-party.
Usage: python tbt_portal/sysdeps.py runtime|test
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys

RUNTIME = {
    # what we look for → the Debian package that provides it
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz-subset": "libharfbuzz-subset0",
}
TOOLS = {"msgfmt": "gettext"}
TEST_TOOLS = {"pdftotext": "poppler-utils"}  # reading rendered PDFs back in the tests
FONTS = "fonts-dejavu-core"
BROWSER = "/usr/bin/chromium"


def missing_runtime() -> list[str]:
    packages = [pkg for lib, pkg in RUNTIME.items() if ctypes.util.find_library(lib) is None]
    packages += [pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None]
    if not os.path.isdir("/usr/share/fonts/truetype/dejavu"):
        packages.append(FONTS)
    return packages


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def install(packages: list[str]) -> bool:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for attempt in range(3):
        update = subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], env=env, check=False
        )
        if update.returncode == 0 and result.returncode == 0:
            return True
        print(f"apt-get failed (attempt {attempt + 1} of 3)", file=sys.stderr)
    return False


def main(mode: str) -> int:
    packages = missing_runtime()
    if mode == "test":
        packages += [pkg for tool, pkg in TEST_TOOLS.items() if shutil.which(tool) is None]
        if not os.path.exists(BROWSER):
            packages.append("chromium")
    if not packages:
        return 0
    if can_install():
        print("Installing system packages: " + " ".join(packages))
        if install(packages):
            return 0
    print("Missing system packages (Debian names): " + " ".join(packages), file=sys.stderr)
    print("Install them with: sudo apt-get install " + " ".join(packages), file=sys.stderr)
    if mode == "test" and packages == ["chromium"]:
        print("Browser journeys will be skipped without Chromium at /usr/bin/chromium.", file=sys.stderr)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "runtime"))
