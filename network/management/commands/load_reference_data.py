"""Load the reference data shipped in network/data/ (and board/data/): idempotent, see network/reference.py."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from network.reference import reference_load_all


class Command(BaseCommand):
    help = (
        "Load provinces, the 43 TBT points, WTO members, public holidays, HS 2022, ICS and the Board's "
        "agencies. Safe to run again: only what differs from the files is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also rewrite what administrators edit (existing points, already-seeded holiday years) from the "
            "files; by default their edits are kept.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        results = reference_load_all(overwrite=options["overwrite"])
        if options["quiet"]:
            return
        for result in results:
            self.stdout.write(
                f"{result.kind:<15} {result.created:>6} created {result.updated:>6} updated "
                f"{result.unchanged:>6} unchanged"
            )
        changed = any(result.changed for result in results)
        self.stdout.write(self.style.SUCCESS("Reference data loaded." if changed else "Reference data up to date."))
