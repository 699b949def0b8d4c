"""The import run model moved from ``ingest`` to ``provenance`` (ADR 0007): the foreign key
points at the same table, so only Django's state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("official", "0001_initial"),
        ("provenance", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="officialobservation",
                    name="import_run",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="provenance.importrun",
                    ),
                ),
                migrations.AlterField(
                    model_name="officialtable",
                    name="import_run",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="provenance.importrun",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
