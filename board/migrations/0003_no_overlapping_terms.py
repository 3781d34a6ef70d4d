"""The terms of one seat never overlap, enforced by the database.

A term is the half-open range [term_start, ended_on) (open-ended while in office), so a replacement
that ends the old term on the day the new one starts touches but does not overlap. PostgreSQL:
exclusion constraints over daterange (btree_gist for the equality part). SQLite (development and
tests): triggers that abort an insert or update creating an overlap. Only terms that were actually
served (in office or ended) count; nominations and withdrawn nominations have no term.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE board_membership ADD CONSTRAINT board_no_overlapping_member_terms
       EXCLUDE USING gist (agency_id WITH =, daterange(term_start, ended_on, '[)') WITH &&)
       WHERE (role = 'member' AND state IN ('active', 'ended'))""",
    """ALTER TABLE board_membership ADD CONSTRAINT board_no_overlapping_leadership_terms
       EXCLUDE USING gist ((role::text) WITH =, daterange(term_start, ended_on, '[)') WITH &&)
       WHERE (role IN ('head', 'deputy', 'secretary') AND state IN ('active', 'ended'))""",
]
PG_BACKWARD = [
    "ALTER TABLE board_membership DROP CONSTRAINT IF EXISTS board_no_overlapping_member_terms",
    "ALTER TABLE board_membership DROP CONSTRAINT IF EXISTS board_no_overlapping_leadership_terms",
]

_SQLITE_CHECK = """
    SELECT RAISE(ABORT, 'board_no_overlapping_terms: the terms of one seat overlap')
    WHERE NEW.state IN ('active', 'ended') AND NEW.term_start IS NOT NULL
      AND NEW.term_start < COALESCE(NEW.ended_on, '9999-12-31')
      AND EXISTS (
        SELECT 1 FROM board_membership m
        WHERE m.id != NEW.id AND m.state IN ('active', 'ended') AND m.term_start IS NOT NULL
          AND ((NEW.role = 'member' AND m.role = 'member' AND m.agency_id = NEW.agency_id)
               OR (NEW.role != 'member' AND m.role = NEW.role))
          AND m.term_start < COALESCE(m.ended_on, '9999-12-31')
          AND m.term_start < COALESCE(NEW.ended_on, '9999-12-31')
          AND NEW.term_start < COALESCE(m.ended_on, '9999-12-31'));
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER board_membership_no_overlap_insert BEFORE INSERT ON board_membership BEGIN {_SQLITE_CHECK} END",
    f"CREATE TRIGGER board_membership_no_overlap_update BEFORE UPDATE ON board_membership BEGIN {_SQLITE_CHECK} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS board_membership_no_overlap_insert",
    "DROP TRIGGER IF EXISTS board_membership_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("board", "0002_membership_meetings")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
