"""Names sort in reading order (core.collation): PostgreSQL gets the ICU collation
"names", and the contacts' (name, id) indexes are built under it; groups and attributes
are listed in it. SQLite's connections register a Python collation of that name.

ANALYZE at the end: the planner has no statistics for the new indexes before it.
"""

from django.db import migrations, models
from django.db.models.functions import Collate

from core.collation import ICU_LOCALE, NAMES


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE COLLATION IF NOT EXISTS {NAMES} (provider = icu, locale = '{ICU_LOCALE}')"
        )


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP COLLATION IF EXISTS {NAMES}")


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE contacts_contact")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0015_selection_contact_ids"),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation),
        migrations.RemoveIndex(
            model_name="contact",
            name="contact_last_name_idx",
        ),
        migrations.RemoveIndex(
            model_name="contact",
            name="contact_first_name_idx",
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                Collate(models.F("last_name"), "names"),
                models.F("id"),
                name="contact_last_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                Collate(models.F("first_name"), "names"),
                models.F("id"),
                name="contact_first_name_idx",
            ),
        ),
        migrations.AlterModelOptions(
            name="attributedefinition",
            options={
                "ordering": [models.OrderBy(Collate(models.F("name"), "names"))],
                "verbose_name": "custom attribute",
            },
        ),
        migrations.AlterModelOptions(
            name="group",
            options={"ordering": [models.OrderBy(Collate(models.F("name"), "names"))]},
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
