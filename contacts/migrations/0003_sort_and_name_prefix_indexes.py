"""Indexes for flat searches and sorts at any table size (issue 11).

- The admin's email and mobile sorts end with the id in the same direction (core.admin):
  (lower(email), id) and (mobile_number, id) serve them, with the NULLs, as one walk.
- PostgreSQL only: a name search shorter than three letters has no trigram, so it matches
  the beginning of a first or last name (contacts.filters):
  UPPER("first_name"::text) LIKE UPPER('x%'), a range scan of these pattern indexes.
"""

import django.db.models.functions.text
from django.db import migrations, models

PREFIX_INDEXES = {
    "contact_first_name_prefix_idx": '(UPPER("first_name"::text) text_pattern_ops)',
    "contact_last_name_prefix_idx": '(UPPER("last_name"::text) text_pattern_ops)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in PREFIX_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON contacts_contact {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in PREFIX_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_postgresql_search_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                django.db.models.functions.text.Lower("email"),
                models.F("id"),
                name="contact_email_id_idx",
                include=["email"],
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["mobile_number", "id"], name="contact_mobile_id_idx"),
        ),
        migrations.RunPython(create, drop),
    ]
