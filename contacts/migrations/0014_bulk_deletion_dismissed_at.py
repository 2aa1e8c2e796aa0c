from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0013_one_open_deletion_per_selection"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulkdeletion",
            name="dismissed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
