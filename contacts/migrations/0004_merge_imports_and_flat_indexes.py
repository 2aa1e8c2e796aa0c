"""Joins the two 0003 migrations written side by side (import permission, flat indexes)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0003_alter_contact_options"),
        ("contacts", "0003_sort_and_name_prefix_indexes"),
    ]

    operations: list[migrations.operations.base.Operation] = []
