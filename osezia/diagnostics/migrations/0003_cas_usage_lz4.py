from django.db import migrations


def lz4(apps, schema_editor):
    """On PostgreSQL, compress the ranked use cases (≈10 kB of JSON a row, re-written by every
    re-scoring) with lz4 rather than the slower default pglz."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone():
            cursor.execute(
                "ALTER TABLE diagnostics_diagnostic ALTER COLUMN cas_usage SET COMPRESSION lz4"
            )


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0002_questionnaire_v1")]

    operations = [migrations.RunPython(lz4, migrations.RunPython.noop)]
