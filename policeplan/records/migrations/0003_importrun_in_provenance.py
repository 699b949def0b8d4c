"""The import run model moved from ``ingest`` to ``provenance`` (ADR 0007): the foreign key
points at the same table, so only Django's state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("provenance", "0001_initial"),
        ("records", "0002_bulk_load_tuning"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="outcomerecord",
                    name="import_run",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="provenance.importrun",
                    ),
                ),
                migrations.AlterField(
                    model_name="stopsearchrecord",
                    name="import_run",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="provenance.importrun",
                    ),
                ),
                migrations.AlterField(
                    model_name="streetrecord",
                    name="import_run",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="provenance.importrun",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
