import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0010_attribute_names_with_spaces"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="attributedefinition",
            name="attribute_definition_name_ci_unique",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="attribute_definition_name_ci_unique",
                violation_error_message="A custom attribute of this name exists already (names are the same in capitals and small letters).",
            ),
        ),
        migrations.AlterConstraint(
            model_name="memberattributedefinition",
            name="member_attribute_name_ci_unique_per_group",
            constraint=models.UniqueConstraint(
                models.F("group"),
                django.db.models.functions.text.Lower("name"),
                name="member_attribute_name_ci_unique_per_group",
                violation_error_message="This group has a member attribute of this name already (names are the same in capitals and small letters).",
            ),
        ),
    ]
