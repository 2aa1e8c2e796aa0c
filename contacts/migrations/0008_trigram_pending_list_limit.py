"""A short pending list for the trigram indexes of the name search (0002). PostgreSQL only.

A GIN index queues new entries in a pending list, and every search reads that whole list
until a vacuum or a full list moves it into the index. With the default of 4 MB, 23,000
contacts written by an import or by the API's bulk endpoint (and not enough changes at
1,000,000 contacts for autovacuum to come) made each name search read 450 pages: a search
that took 0.4 ms took 75-160 ms. At 128 kB a search reads at most 16 pages, about 3 ms;
bulk writes move the list into the index more often (within the noise of 100,000 inserts
here). Turning the pending list off made those inserts 3x slower. docs/performance.md.
"""

from django.db import migrations

INDEXES = ("contact_first_name_trgm_idx", "contact_last_name_trgm_idx")
LIMIT_KB = 128


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (gin_pending_list_limit = {LIMIT_KB})")
        # What is queued now would stay until the list next fills up.
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0007_contact_created_day_index")]

    operations = [migrations.RunPython(forwards, backwards)]
