"""Demo enquiries for the portal started by ``make run`` (demo or debug mode only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inquiries.demo import demo_actors, inquiries_demo_build
from network.models import Point


class Command(BaseCommand):
    help = "Submit and route five demo enquiries (received, assigned, answered, local). DEMO_MODE or DEBUG only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not (getattr(settings, "DEMO_MODE", False) or settings.DEBUG):
            raise CommandError("Demo content is for the demo portal: this command only runs with DEMO_MODE=1.")
        if not Point.objects.filter(level=Point.Level.NATIONAL).exists():
            raise CommandError("Reference data is missing: run `manage.py load_reference_data` first.")
        actors = demo_actors()
        if actors is None:
            raise CommandError("The demo accounts are missing: run `manage.py create_demo_accounts` first.")
        for spec, inquiry, created in inquiries_demo_build(actors=actors):
            mark = "+" if created else "="
            lead = inquiry.lead_point.code if inquiry.lead_point else "—"
            self.stdout.write(f"{mark} {inquiry.code:<16} {inquiry.state:<10} {lead:<26} {spec.subject[:60]}")
        self.stdout.write(self.style.SUCCESS("Demo enquiries ready."))
