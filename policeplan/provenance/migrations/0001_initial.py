"""ImportRun moved here from ``ingest`` (ADR 0007): the table ``ingest_importrun`` is kept as it
is, so this migration only tells Django's state where the model now lives."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("ingest", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(help_text="police_uk, ons_pfa, local", max_length=30),
                        ),
                        (
                            "kind",
                            models.CharField(
                                help_text="street, outcomes, stop-and-search, ...", max_length=30
                            ),
                        ),
                        ("force", models.SlugField(blank=True, max_length=80)),
                        (
                            "month",
                            models.DateField(
                                blank=True, help_text="first day of the month covered", null=True
                            ),
                        ),
                        ("period_label", models.CharField(blank=True, max_length=60)),
                        ("source_path", models.CharField(max_length=1000)),
                        ("source_url", models.URLField(blank=True, max_length=1000)),
                        (
                            "sha256",
                            models.CharField(
                                help_text="of the file exactly as given", max_length=64
                            ),
                        ),
                        (
                            "content_sha256",
                            models.CharField(
                                help_text="of the decompressed content: the same data gzipped or not",
                                max_length=64,
                            ),
                        ),
                        ("size_bytes", models.BigIntegerField()),
                        ("rows_read", models.PositiveIntegerField(default=0)),
                        ("rows_written", models.PositiveIntegerField(default=0)),
                        ("rows_rejected", models.PositiveIntegerField(default=0)),
                        ("rows_without_location", models.PositiveIntegerField(default=0)),
                        (
                            "rows_outside_force_area",
                            models.PositiveIntegerField(blank=True, null=True),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("current", "Current"),
                                    ("superseded", "Superseded by a later revision"),
                                    ("staged", "Staged: written, awaiting approval"),
                                ],
                                default="current",
                                max_length=20,
                            ),
                        ),
                        (
                            "run_by",
                            models.CharField(
                                help_text="user or process that ran the import", max_length=200
                            ),
                        ),
                        (
                            "changes",
                            models.JSONField(
                                blank=True, default=dict, help_text="what changed vs the revision"
                            ),
                        ),
                        (
                            "supersedes",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="superseded_by",
                                to="provenance.importrun",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ingest_importrun",
                        "ordering": ["-started_at"],
                        "indexes": [
                            models.Index(
                                fields=["source", "kind", "force", "month", "status"],
                                name="ingest_impo_source_3ad08e_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("status", "current")),
                                fields=("source", "kind", "force", "month"),
                                name="one_current_run_per_file_slot",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
