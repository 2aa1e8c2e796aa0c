"""The mobile number beginning (contacts.filters.mobile_matches) through an index of the
column itself, not of the expression "mobile_number"::text: an index-only scan then reads
the matches of "+49177%" in order and a capped count stops at its last one. With the
expression index the planner walked the unique index instead, filtering every number
before the first match (141,000 at 1,000,000 contacts). PostgreSQL only, as in 0002.
"""

from django.db import migrations

OLD = ("contact_mobile_prefix_idx", '(("mobile_number"::text) text_pattern_ops)')
NEW = ("contact_mobile_pattern_idx", '("mobile_number" varchar_pattern_ops)')


def _replace(schema_editor, drop: tuple[str, str], create: tuple[str, str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    name, definition = create
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON contacts_contact {definition}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {drop[0]}")


def forwards(apps, schema_editor):
    _replace(schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _replace(schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0005_external_id_md5_index")]

    operations = [migrations.RunPython(forwards, backwards)]
