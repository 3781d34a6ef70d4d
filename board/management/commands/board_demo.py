"""Seat a demo Board for the portal started by ``make run`` (demo or debug mode only)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from board.demo import board_demo_seat
from board.models import BoardAgency
from network.demo import DEFAULT_PASSWORD
from network.models import User


class Command(BaseCommand):
    help = "Seat a demo Inter-agency TBT Board (Head, Deputy, Secretary, three members). DEMO_MODE or DEBUG only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not (getattr(settings, "DEMO_MODE", False) or settings.DEBUG):
            raise CommandError("Demo accounts have a published password: this command only runs with DEMO_MODE=1.")
        if not BoardAgency.objects.exists():
            raise CommandError("The Board's agencies are missing: run `manage.py load_reference_data` first.")
        admin = User.objects.filter(role=User.Role.ADMIN, is_active=True).order_by("id").first()
        if admin is None:
            raise CommandError("No administrator: run `manage.py create_demo_accounts` first.")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        for _spec, membership, created in board_demo_seat(admin=admin, password=password):
            mark = "+" if created else "="
            self.stdout.write(f"{mark} {membership.seat_label:<45} {membership.full_name:<22} {membership.email}")
        self.stdout.write(self.style.SUCCESS("Demo Board seated."))
