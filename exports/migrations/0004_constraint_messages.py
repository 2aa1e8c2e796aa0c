from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0003_selection_contact_ids"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="exportjob",
            name="export_one_pending_per_contact_and_user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "contact"), ("status__in", ["scheduled", "running"])),
                fields=("requested_by", "contact_id"),
                name="export_one_pending_per_contact_and_user",
                violation_error_message="An export of this contact is being built already.",
            ),
        ),
    ]
