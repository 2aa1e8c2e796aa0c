import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0009_related_table_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attributedefinition",
            name="name",
            field=models.CharField(
                help_text="Letters, digits, single spaces, hyphens and underscores, starting with a letter (at most 100 characters).",
                max_length=100,
                validators=[
                    django.core.validators.RegexValidator(
                        "^(?=.{1,100}\\Z)[^\\W\\d_](?:[\\w-]| (?=[\\w-]))*\\Z",
                        "Use letters, digits, single spaces, hyphens and underscores, starting with a letter (at most 100 characters).",
                    )
                ],
            ),
        ),
        migrations.AlterField(
            model_name="memberattributedefinition",
            name="name",
            field=models.CharField(
                help_text="Letters, digits, single spaces, hyphens and underscores, starting with a letter (at most 100 characters).",
                max_length=100,
                validators=[
                    django.core.validators.RegexValidator(
                        "^(?=.{1,100}\\Z)[^\\W\\d_](?:[\\w-]| (?=[\\w-]))*\\Z",
                        "Use letters, digits, single spaces, hyphens and underscores, starting with a letter (at most 100 characters).",
                    )
                ],
            ),
        ),
    ]
