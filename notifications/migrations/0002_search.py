"""Full-text search support on PostgreSQL (no-op on SQLite).

- extensions unaccent and pg_trgm;
- text search configuration ``tbt``: a copy of ``simple`` whose word tokens go through ``unaccent``
  first, so that "tieu chuan" matches "tiêu chuẩn" and "do choi" matches "đồ chơi";
- column ``search_vector`` (tsvector) on notifications_notification, kept up to date by a trigger from
  symbol, title, title_vi, summary_vi, description, products_text and keywords
  (weights A, A, A, B, C, B, C) plus the source system's identifier (A; TRIS records have no symbol)
  and HS/ICS code tokens ("hs851713", "ics1322020"; D) for indexed code-prefix filters, with a GIN index;
- a GIN trigram index on ``search_text`` (the folded text kept by notifications.search) for symbol and
  title fragments such as "VNM/29";
- btree indexes matching the "newest" and "deadline" orders of the search page.

The column is not a model field: queries reach it through raw SQL fragments in notifications.search.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'tbt') THEN
            CREATE TEXT SEARCH CONFIGURATION tbt (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION tbt
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END
    $$
    """,
    "ALTER TABLE notifications_notification ADD COLUMN IF NOT EXISTS search_vector tsvector",
    """
    CREATE OR REPLACE FUNCTION notifications_jsonb_text(value jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
            WHEN value IS NULL THEN ''
            WHEN jsonb_typeof(value) = 'array' THEN
                coalesce((SELECT string_agg(e, ' ') FROM jsonb_array_elements_text(value) AS e), '')
            WHEN jsonb_typeof(value) = 'string' THEN value #>> '{}'
            ELSE ''
        END
    $$
    """,
    # HS and ICS codes become tokens such as "hs851713" and "ics1322020" (punctuation removed), so
    # that a code-prefix filter is a GIN-indexed prefix query ('hs8517:*').
    """
    CREATE OR REPLACE FUNCTION notifications_code_tokens(value jsonb, prefix text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
            WHEN value IS NULL OR jsonb_typeof(value) <> 'array' THEN ''
            ELSE coalesce((SELECT string_agg(prefix || lower(regexp_replace(e, '[^0-9A-Za-z]', '', 'g')), ' ')
                           FROM jsonb_array_elements_text(value) AS e
                           WHERE regexp_replace(e, '[^0-9A-Za-z]', '', 'g') <> ''), '')
        END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION notifications_search_vector_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('tbt', coalesce(NEW.symbol, '') || ' '
                                         || translate(coalesce(NEW.symbol, ''), '/.', '  ')), 'A')
            || setweight(to_tsvector('tbt', coalesce(NEW.external_id, '') || ' '
                                            || translate(coalesce(NEW.external_id, ''), ':/.', '   ')), 'A')
            || setweight(to_tsvector('tbt', coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('tbt', coalesce(NEW.title_vi, '')), 'A')
            || setweight(to_tsvector('tbt', coalesce(NEW.summary_vi, '')), 'B')
            || setweight(to_tsvector('tbt', coalesce(NEW.description, '')), 'C')
            || setweight(to_tsvector('tbt', coalesce(NEW.products_text, '')), 'B')
            || setweight(to_tsvector('tbt', notifications_jsonb_text(NEW.keywords::jsonb)), 'C')
            || setweight(to_tsvector('simple', notifications_code_tokens(NEW.hs_codes::jsonb, 'hs') || ' '
                                               || notifications_code_tokens(NEW.ics_codes::jsonb, 'ics')), 'D');
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS notifications_search_vector_trigger ON notifications_notification",
    """
    CREATE TRIGGER notifications_search_vector_trigger
    BEFORE INSERT OR UPDATE OF symbol, external_id, title, title_vi, summary_vi, description, products_text, keywords,
                            hs_codes, ics_codes
    ON notifications_notification
    FOR EACH ROW EXECUTE FUNCTION notifications_search_vector_update()
    """,
    # Fill the column for rows that existed before this migration.
    "UPDATE notifications_notification SET symbol = symbol",
    "CREATE INDEX IF NOT EXISTS notifications_search_vector_gin "
    "ON notifications_notification USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS notifications_search_text_trgm "
    "ON notifications_notification USING gin (search_text gin_trgm_ops)",
    # The two list orders of the search page ("newest", "deadline") read these indexes in order,
    # so a page of a broad search never sorts the whole table.
    "CREATE INDEX IF NOT EXISTS notifications_newest "
    "ON notifications_notification (distribution_date DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS notifications_deadline "
    "ON notifications_notification (comment_deadline ASC NULLS LAST, id ASC)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS notifications_deadline",
    "DROP INDEX IF EXISTS notifications_newest",
    "DROP INDEX IF EXISTS notifications_search_text_trgm",
    "DROP INDEX IF EXISTS notifications_search_vector_gin",
    "DROP TRIGGER IF EXISTS notifications_search_vector_trigger ON notifications_notification",
    "DROP FUNCTION IF EXISTS notifications_search_vector_update()",
    "DROP FUNCTION IF EXISTS notifications_jsonb_text(jsonb)",
    "DROP FUNCTION IF EXISTS notifications_code_tokens(jsonb, text)",
    "ALTER TABLE notifications_notification DROP COLUMN IF EXISTS search_vector",
    # The configuration and the extensions may be used elsewhere: leave them.
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
