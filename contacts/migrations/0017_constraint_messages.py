"""Unique constraints say in words what is taken: a form named the constraint instead
("Constraint “group_name_ci_unique” is violated.")."""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0016_names_in_reading_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="bulkdeletion",
            name="deletion_one_open_per_selection_and_user",
            constraint=models.UniqueConstraint(
                models.F("requested_by"),
                django.db.models.functions.text.MD5("filter_query"),
                models.F("max_contact_id"),
                condition=models.Q(("status__in", ["scheduled", "running"])),
                name="deletion_one_open_per_selection_and_user",
                violation_error_message="This deletion has been started already.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="contact",
            name="contact_email_ci_unique",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="contact_email_ci_unique",
                violation_error_message="A contact with this Email already exists (addresses are the same in capitals and small letters).",
            ),
        ),
        migrations.AlterConstraint(
            model_name="contact",
            name="contact_app_alias_unique",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.MD5("app_alias"),
                name="contact_app_alias_unique",
                violation_error_message="A contact with this Mobile App Alias already exists.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="group",
            name="group_name_ci_unique",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="group_name_ci_unique",
                violation_error_message="A group of this name exists already (names are the same in capitals and small letters).",
            ),
        ),
    ]
