from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0017_constraint_messages"),
        ("imports", "0002_one_import_per_validation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="importjob",
            name="import_one_running_per_validation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["scheduled", "running"])),
                fields=("validation",),
                name="import_one_running_per_validation",
                violation_error_message="This import has already been started.",
            ),
        ),
    ]
