from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from contacts.models.choices import AttributeType, Channel
from contacts.models.contact import Contact
from core.collation import in_reading_order

ATTRIBUTE_NAME_RULE = (
    "Letters, digits, single spaces, hyphens and underscores, starting with a letter "
    "(at most 100 characters)."
)
# A letter first; no space at the end or twice in a row. Names with spaces are written in
# import and export headers as the product does (user.CustomAttribute.My Attribute).
attribute_name_validator = RegexValidator(
    r"^(?=.{1,100}\Z)[^\W\d_](?:[\w-]| (?=[\w-]))*\Z",
    f"Use {ATTRIBUTE_NAME_RULE[0].lower()}{ATTRIBUTE_NAME_RULE[1:]}",
)


class AttributeDefinitionBase(models.Model):
    name = models.CharField(
        max_length=100, validators=[attribute_name_validator], help_text=ATTRIBUTE_NAME_RULE
    )
    data_type = models.CharField(
        "Type", max_length=16, choices=AttributeType.choices, default=AttributeType.STRING
    )
    allowed_values = models.TextField(
        blank=True, default="", help_text="Optional: one allowed value per line."
    )
    description = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def allowed_value_list(self) -> list[str]:
        return [line.strip() for line in self.allowed_values.splitlines() if line.strip()]


class AttributeDefinition(AttributeDefinitionBase):
    """A custom profile attribute that admins define."""

    channel = models.CharField(
        "Applies to", max_length=8, choices=Channel.choices, default=Channel.ALL
    )

    class Meta:
        ordering = [in_reading_order("name").asc()]
        verbose_name = "custom attribute"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="attribute_definition_name_ci_unique",
                violation_error_message=(
                    "A custom attribute of this name exists already "
                    "(names are the same in capitals and small letters)."
                ),
            )
        ]


class AttributeValue(models.Model):
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="attribute_values", db_index=False
    )
    definition = models.ForeignKey(
        AttributeDefinition, on_delete=models.CASCADE, related_name="values"
    )
    # Canonical text: numbers as decimals, dates ISO 8601, booleans "true"/"false".
    value = models.TextField()

    class Meta:
        verbose_name = "custom attribute value"
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "definition"], name="attribute_value_once_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition} of Contact ID {self.contact_id}"
