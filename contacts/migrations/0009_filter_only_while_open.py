"""A background deletion's stored filter may name people: clear it on deletions that
ended, and keep it cleared from now on (a check constraint)."""

from django.db import migrations, models

OPEN = ["scheduled", "running"]


def clear_ended_filters(apps, schema_editor):
    BulkDeletion = apps.get_model("contacts", "BulkDeletion")
    BulkDeletion.objects.exclude(status__in=OPEN).exclude(filter_query="").update(filter_query="")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0008_partial_event_indexes"),
    ]

    operations = [
        migrations.RunPython(clear_ended_filters, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="bulkdeletion",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", OPEN), ("filter_query", ""), _connector="OR"),
                name="deletion_filter_only_while_open",
            ),
        ),
    ]
