"""A list export's stored filter may name people: clear it on jobs that ended, and keep
it cleared from now on (a check constraint)."""

from django.db import migrations, models

OPEN = ["scheduled", "running", "ready"]


def clear_ended_filters(apps, schema_editor):
    ExportJob = apps.get_model("exports", "ExportJob")
    ExportJob.objects.exclude(status__in=OPEN).exclude(filter_query="").update(filter_query="")


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(clear_ended_filters, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="exportjob",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", OPEN), ("filter_query", ""), _connector="OR"),
                name="export_filter_only_while_open",
            ),
        ),
    ]
