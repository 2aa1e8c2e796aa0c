from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

PENDING = ["scheduled", "running"]


def cancel_duplicates(apps, schema_editor):
    """Before the constraint: of one user's pending exports of one contact (double
    clicks), the first stays; the others end as cancelled."""
    ExportJob = apps.get_model("exports", "ExportJob")
    seen = set()
    pending = ExportJob.objects.filter(kind="contact", status__in=PENDING).order_by("id")
    for job in pending.only("id", "requested_by_id", "contact_id"):
        key = (job.requested_by_id, job.contact_id)
        if key in seen:
            ExportJob.objects.filter(pk=job.pk).update(
                status="cancelled",
                finished_at=timezone.now(),
                error="A repeat of an export of the same contact still being built.",
            )
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(cancel_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="exportjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "contact"), ("status__in", PENDING)),
                fields=("requested_by", "contact_id"),
                name="export_one_pending_per_contact_and_user",
            ),
        ),
    ]
