"""One demo account per role for the portal started by ``make run`` (demo or debug mode only)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from network.demo import DEFAULT_PASSWORD, demo_accounts_ensure
from network.services import annual_duties_ensure


class Command(BaseCommand):
    help = "Create (or align) one demo account per role. Refuses to run unless DEMO_MODE or DEBUG is on."

    def handle(self, *args: Any, **options: Any) -> None:
        if not (getattr(settings, "DEMO_MODE", False) or settings.DEBUG):
            raise CommandError(
                "Demo accounts have a published password: this command only runs with DEMO_MODE=1 or DEBUG=1."
            )
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        try:
            accounts = demo_accounts_ensure(password=password)
        except LookupError as exc:
            raise CommandError(f"Points missing ({exc}): run `manage.py load_reference_data` first.") from exc
        rows = [
            (str(user.get_role_display()), user.email, password, user.point.code if user.point else "—")
            for _spec, user, _changed in accounts
        ]
        headers = ("Role", "E-mail", "Password", "Point")
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(4)]
        line = "  ".join("{:<%d}" % w for w in widths)  # noqa: UP031 - a format built from widths
        self.stdout.write(line.format(*headers))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line.format(*row))
        created = sum(1 for _s, _u, changed in accounts if changed)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready ({created} created or updated)."))
        # The dashboards show this year's duties at once (the scheduler would open them within
        # DEADLINE_SCAN_MINUTES anyway); a second run creates nothing.
        opened = annual_duties_ensure()
        if opened:
            self.stdout.write(f"Opened {opened} annual lists and reports of this year.")
