"""Demo WTO TBT notifications for the portal started by ``make run`` (demo or debug mode only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from network.models import Point, User, WTOMember
from notifications.demo import MINISTRY_EMAIL, NATIONAL_EMAIL, DemoImportError, notifications_demo_build


class Command(BaseCommand):
    help = (
        "Bring in demo partners' notifications (open and closed), a forwarded one and two Ministry of Industry "
        "and Trade dossiers. DEMO_MODE or DEBUG only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (getattr(settings, "DEMO_MODE", False) or settings.DEBUG):
            raise CommandError("Demo content is for the demo portal: this command only runs with DEMO_MODE=1.")
        if not (WTOMember.objects.exists() and Point.objects.filter(level=Point.Level.NATIONAL).exists()):
            raise CommandError("Reference data is missing: run `manage.py load_reference_data` first.")
        national = User.objects.filter(email=NATIONAL_EMAIL, is_active=True).first()
        ministry = User.objects.filter(email=MINISTRY_EMAIL, is_active=True).first()
        if national is None or ministry is None:
            raise CommandError("The demo accounts are missing: run `manage.py create_demo_accounts` first.")
        try:
            result = notifications_demo_build(national=national, ministry=ministry)
        except DemoImportError as exc:
            raise CommandError(f"The demo notifications could not be imported: {exc}") from exc
        for label, n, changed in [*result.incoming, *result.dossiers]:
            mark = "+" if changed else "="
            deadline = n.comment_deadline.isoformat() if n.comment_deadline else "—"
            self.stdout.write(f"{mark} {label[:60]:<60} {n.state:<12} {deadline}")
        self.stdout.write(self.style.SUCCESS("Demo notifications ready."))
