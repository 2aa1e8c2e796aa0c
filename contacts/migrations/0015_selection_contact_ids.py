from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0014_bulk_deletion_dismissed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulkdeletion",
            name="contact_ids",
            field=models.JSONField(blank=True, default=None, null=True),
        ),
    ]
