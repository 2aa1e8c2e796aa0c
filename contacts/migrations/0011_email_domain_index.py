"""PostgreSQL-only: searching by an email domain ("@example.com", or "example.com" in the
search box) matches the beginning of the domain with
SPLIT_PART(LOWER("email"), '@', -1)::text LIKE 'example.com%' (contacts.filters.EmailDomain),
which needs a pattern-ops index on that expression."""

from django.db import migrations

NAME = "contact_email_domain_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON contacts_contact "
            """((SPLIT_PART(LOWER("email"), '@', -1)) text_pattern_ops)"""
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0010_roles_login_attempts")]

    operations = [migrations.RunPython(create, drop)]
