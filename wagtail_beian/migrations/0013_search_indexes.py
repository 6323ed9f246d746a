"""Indexes for the staff listing at scale (issue 7, bench/scale_bench.py).

- The default order of the filing listing (newest first) reads an index instead of sorting the table.
- On PostgreSQL, the substring searches of ``services.search`` (Django's ``icontains`` is
  ``UPPER(col::text) LIKE UPPER(...)``) use trigram GIN indexes on exactly that expression.
  ``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database owner may create it. Where the
  migration's role may not, the trigram indexes are skipped with a warning (searches still work, by
  sequential scan) and a DBA can create the extension and re-run the SQL below. SQLite gets none
  of them: it has no GIN indexes.
"""

import sys

from django.db import migrations, models, transaction

TRIGRAM_COLUMNS = [
    ("beian_subject_name_trgm", "wagtail_beian_subject", "name"),
    ("beian_subject_certificate_trgm", "wagtail_beian_subject", "certificate_number"),
    ("beian_subject_responsible_trgm", "wagtail_beian_subject", "responsible_name"),
    ("beian_website_domain_trgm", "wagtail_beian_website", "domain"),
    ("beian_website_name_trgm", "wagtail_beian_website", "name"),
    ("beian_filing_subject_number_trgm", "wagtail_beian_filing", "subject_number"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 (any refusal: permissions, extension not installed)
        sys.stderr.write(f"wagtail_beian: pg_trgm unavailable ({error}); substring searches stay unindexed\n")
        return
    for name, table, column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("wagtail_beian", "0012_spreadsheet_imports")]

    operations = [
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["-created_at", "-id"], name="beian_filing_created_desc"),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["subject_number"], name="beian_filing_subjnum"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
