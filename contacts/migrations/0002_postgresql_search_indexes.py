"""PostgreSQL-only indexes of the All Contacts searches (SQLite needs none at its sizes).

Each expression is the SQL Django writes for a filter (contacts.filters):
- email beginning: LOWER("email")::text LIKE 'x%'
- email domain beginning: SPLIT_PART(LOWER("email"), '@', -1)::text LIKE 'example.com%'
- mobile number beginning: "mobile_number"::text LIKE '+4917%'
- part of a name: UPPER("first_name"::text) LIKE UPPER('%x%') (trigram GIN)
"""

from django.db import migrations

INDEXES = {
    "contact_email_prefix_idx": '(LOWER("email") text_pattern_ops)',
    "contact_email_domain_idx": """((SPLIT_PART(LOWER("email"), '@', -1)) text_pattern_ops)""",
    "contact_mobile_prefix_idx": '(("mobile_number"::text) text_pattern_ops)',
    "contact_first_name_trgm_idx": 'USING gin (UPPER("first_name"::text) gin_trgm_ops)',
    "contact_last_name_trgm_idx": 'USING gin (UPPER("last_name"::text) gin_trgm_ops)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON contacts_contact {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
