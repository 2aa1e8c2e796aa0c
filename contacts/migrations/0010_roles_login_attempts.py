"""The Admin role gets the permissions of the login attempts (to see and lift lockouts)."""

from django.db import migrations

from contacts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0009_filter_only_while_open"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
