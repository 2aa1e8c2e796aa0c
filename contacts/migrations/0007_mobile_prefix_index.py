"""PostgreSQL-only: the Mobile Number filter matches a beginning ("+4917...") with
"mobile_number"::text LIKE '+4917%', which needs a pattern-ops index."""

from django.db import migrations

NAME = "contact_mobile_prefix_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON contacts_contact "
            '(("mobile_number"::text) text_pattern_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0006_bulk_deletion")]

    operations = [migrations.RunPython(create, drop)]
