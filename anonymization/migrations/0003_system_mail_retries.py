"""The confirmation email follows contacts.system_mail: a failed one is retried, not dropped."""

from django.db import migrations, models

STATUS_CHOICES = [
    ("pending", "Pending"),
    ("sending", "Sending"),
    ("retry", "Failed, will retry"),
    ("sent", "Sent"),
    ("given_up", "Given up"),
]


def retry_failed(apps, schema_editor):
    # Confirmations that ran out of retries are due again at once.
    Anonymization = apps.get_model("anonymization", "Anonymization")
    Anonymization.objects.filter(email_status="failed").update(email_status="retry")


def back_to_failed(apps, schema_editor):
    Anonymization = apps.get_model("anonymization", "Anonymization")
    Anonymization.objects.filter(email_status__in=["retry", "given_up"]).update(
        email_status="failed"
    )


class Migration(migrations.Migration):
    dependencies = [("anonymization", "0002_roles")]

    operations = [
        migrations.RemoveField(model_name="anonymization", name="email_claimed_at"),
        migrations.AddField(
            model_name="anonymization",
            name="email_next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="anonymization",
            name="email_status",
            field=models.CharField(choices=STATUS_CHOICES, default="pending", max_length=16),
        ),
        migrations.RunPython(retry_failed, back_to_failed),
        migrations.AddIndex(
            model_name="anonymization",
            index=models.Index(
                condition=models.Q(("email_status__in", ["pending", "sending", "retry"])),
                fields=["email_next_attempt_at"],
                name="anonymization_mail_due_idx",
            ),
        ),
    ]
