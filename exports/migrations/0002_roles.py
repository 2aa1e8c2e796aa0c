from django.db import migrations

from contacts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
        ("contacts", "0002_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
