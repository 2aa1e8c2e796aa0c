from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0002_one_pending_contact_export"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="contact_ids",
            field=models.JSONField(blank=True, default=None, null=True),
        ),
    ]
