"""The ready email follows contacts.system_mail: the same fields as the anonymization's."""

from django.db import migrations, models

STATUS_CHOICES = [
    ("pending", "Pending"),
    ("sending", "Sending"),
    ("retry", "Failed, will retry"),
    ("sent", "Sent"),
    ("given_up", "Given up"),
]


def failed_is_given_up(apps, schema_editor):
    # "failed" only ever meant that the requester had no email address.
    ExportJob = apps.get_model("exports", "ExportJob")
    ExportJob.objects.filter(email_status="failed").update(
        email_status="given_up", email_error="The user has no email address."
    )


def back_to_failed(apps, schema_editor):
    ExportJob = apps.get_model("exports", "ExportJob")
    ExportJob.objects.filter(email_status="given_up").update(email_status="failed")
    ExportJob.objects.filter(email_status__in=["sending", "retry"]).update(email_status="pending")


class Migration(migrations.Migration):
    dependencies = [("exports", "0003_filter_only_while_open")]

    operations = [
        migrations.RenameField(
            model_name="exportjob", old_name="notify_status", new_name="email_status"
        ),
        migrations.RenameField(
            model_name="exportjob", old_name="notified_at", new_name="email_sent_at"
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="email_status",
            field=models.CharField(choices=STATUS_CHOICES, default="pending", max_length=16),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="email_attempts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="email_next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="email_error",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
        migrations.RunPython(failed_is_given_up, back_to_failed),
        migrations.AddIndex(
            model_name="exportjob",
            index=models.Index(
                condition=models.Q(("email_status__in", ["pending", "sending", "retry"])),
                fields=["email_next_attempt_at"],
                name="export_mail_due_idx",
            ),
        ),
    ]
