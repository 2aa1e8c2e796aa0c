from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0011_attribute_name_messages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="group",
            name="is_test_group",
            field=models.BooleanField(
                default=False,
                help_text="Every member of a test group is a test recipient; in other groups, only the members marked Test recipient are.",
                verbose_name="Test group",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="is_test_recipient",
            field=models.BooleanField(
                default=False,
                help_text="Receives the test sends of this group's messages. Every member of a test group is one.",
                verbose_name="Test recipient",
            ),
        ),
    ]
