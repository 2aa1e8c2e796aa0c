"""The UTC day of creation and the id, for the id range of a created range
(contacts.created_range): the first and last id of each day are two index probes.
PostgreSQL only, as in 0002: elsewhere the range's ids are read.
"""

from django.db import migrations

NAME = "contact_created_day_idx"
DEFINITION = "(((created_at AT TIME ZONE 'UTC')::date), id)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON contacts_contact {DEFINITION}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0006_mobile_pattern_index")]

    operations = [migrations.RunPython(forwards, backwards)]
