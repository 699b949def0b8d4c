"""ImportRun moved to ``provenance`` (ADR 0007): state only, the table stays; the content type
moves with it so permissions and admin history follow the model."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="provenance", model="importrun").exists():
        content_types.objects.filter(app_label="ingest", model="importrun").update(
            app_label="provenance"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ingest", "0001_initial"),
        ("metrics", "0002_importrun_in_provenance"),
        ("neighbourhoods", "0002_importrun_in_provenance"),
        ("official", "0002_importrun_in_provenance"),
        ("records", "0003_importrun_in_provenance"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="ImportRun",
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, reverse_code=migrations.RunPython.noop),
    ]
