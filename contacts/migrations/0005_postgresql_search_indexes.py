"""PostgreSQL-only indexes for the All Contacts searches (SQLite needs none at its sizes).

The expressions match the SQL Django writes for the filters: LOWER(email)::text LIKE 'x%'
(email prefix) and UPPER(name::text) LIKE UPPER('%x%') (name substring, trigram GIN).
"""

from django.db import migrations

INDEXES = [
    (
        "contact_email_prefix_idx",
        "CREATE INDEX IF NOT EXISTS contact_email_prefix_idx ON contacts_contact "
        '(LOWER("email") text_pattern_ops)',
    ),
    (
        "contact_first_name_trgm_idx",
        "CREATE INDEX IF NOT EXISTS contact_first_name_trgm_idx ON contacts_contact "
        'USING gin (UPPER("first_name"::text) gin_trgm_ops)',
    ),
    (
        "contact_last_name_trgm_idx",
        "CREATE INDEX IF NOT EXISTS contact_last_name_trgm_idx ON contacts_contact "
        'USING gin (UPPER("last_name"::text) gin_trgm_ops)',
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_drop_redundant_fk_indexes")]

    operations = [migrations.RunPython(create, drop)]
