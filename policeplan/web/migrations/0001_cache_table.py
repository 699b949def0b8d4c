"""The database cache table (``CACHES`` in production), made by ``migrate`` so that a
deployment never depends on remembering ``manage.py createcachetable`` (issue 11 row 13).

Django's own command writes the DDL, so the table is exactly what ``DatabaseCache`` expects;
a database where ``createcachetable`` already ran is left as it is.
"""

import io

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

CACHE_TABLE = "policeplan_cache"  # settings.CACHES["default"]["LOCATION"] (a test checks)


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable(stdout=io.StringIO())
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    quoted = schema_editor.connection.ops.quote_name(CACHE_TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
