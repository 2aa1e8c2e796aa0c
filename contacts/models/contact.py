from typing import cast

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import MD5, Length, Lower
from django.db.models.lookups import LessThanOrEqual

from contacts.models.choices import AddressStatus, Gender, IdentifierType, Title
from core.collation import in_reading_order

ALIAS_MAX_LENGTH = 2000
EXTERNAL_ID_MAX_LENGTH = 2000
SOURCE_ID_MAX = 99_999


class Contact(models.Model):
    # AUTOINCREMENT on SQLite and a sequence on PostgreSQL: an ID is never reused.
    id = models.BigAutoField("Contact ID", primary_key=True)
    identifier_type = models.CharField(
        "Identifier type", max_length=16, choices=IdentifierType.choices
    )

    email = models.EmailField("Email", max_length=254, null=True, blank=True)
    email_status = models.CharField(
        max_length=16, choices=AddressStatus.choices, default=AddressStatus.ACTIVE
    )
    mobile_number = models.CharField("Mobile Number", max_length=16, null=True, blank=True)
    mobile_status = models.CharField(
        max_length=16, choices=AddressStatus.choices, default=AddressStatus.ACTIVE
    )
    app_alias = models.TextField("Mobile App Alias", null=True, blank=True)
    app_alias_status = models.CharField(
        max_length=16, choices=AddressStatus.choices, default=AddressStatus.ACTIVE
    )
    external_id = models.TextField("External Identifier", blank=True, default="")

    first_name = models.CharField("First Name", max_length=255, blank=True, default="")
    last_name = models.CharField("Last Name", max_length=255, blank=True, default="")
    nickname = models.CharField("Nickname", max_length=255, blank=True, default="")
    title = models.CharField("Title", max_length=16, choices=Title.choices, blank=True, default="")
    gender = models.CharField(
        "Gender", max_length=16, choices=Gender.choices, blank=True, default=""
    )
    date_of_birth = models.DateField("Date of Birth", null=True, blank=True)
    country = models.CharField("Country", max_length=2, blank=True, default="")
    language = models.CharField("Language", max_length=2, blank=True, default="")
    zip_code = models.CharField("ZIP Code", max_length=20, blank=True, default="")
    time_zone = models.CharField("Time Zone", max_length=64, blank=True, default="")
    source_id = models.PositiveIntegerField("Source ID", null=True, blank=True)

    created_at = models.DateTimeField("Created", auto_now_add=True)
    updated_at = models.DateTimeField("Updated", auto_now=True)
    # Optimistic lock: a save based on an older version is refused, not merged blindly.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-id"]
        permissions = [
            ("export_contact", "Can export a contact"),
            ("anonymize_contact", "Can anonymize a contact"),
            ("import_contact", "Can import contacts"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="contact_email_ci_unique",
                violation_error_message=(
                    "A contact with this Email already exists "
                    "(addresses are the same in capitals and small letters)."
                ),
            ),
            models.UniqueConstraint(fields=["mobile_number"], name="contact_mobile_unique"),
            # Hashed because a 2,000-character alias can exceed a B-tree entry.
            models.UniqueConstraint(
                MD5("app_alias"),
                name="contact_app_alias_unique",
                violation_error_message="A contact with this Mobile App Alias already exists.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(identifier_type=IdentifierType.EMAIL, email__isnull=False)
                    | Q(identifier_type=IdentifierType.MOBILE, mobile_number__isnull=False)
                    | Q(identifier_type=IdentifierType.APP_ALIAS, app_alias__isnull=False)
                ),
                name="contact_identifier_of_type_present",
            ),
            models.CheckConstraint(
                condition=Q(email__isnull=True) | ~Q(email=""), name="contact_email_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(mobile_number__isnull=True) | Q(mobile_number__startswith="+"),
                name="contact_mobile_e164",
            ),
            models.CheckConstraint(
                # Q combined with a lookup is a condition; the stubs call it Combinable.
                condition=cast(
                    Q,
                    Q(app_alias__isnull=True)
                    | (~Q(app_alias="") & LessThanOrEqual(Length("app_alias"), ALIAS_MAX_LENGTH)),
                ),
                name="contact_app_alias_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("external_id"), EXTERNAL_ID_MAX_LENGTH),
                name="contact_external_id_length",
            ),
            models.CheckConstraint(
                condition=Q(source_id__isnull=True) | Q(source_id__lte=SOURCE_ID_MAX),
                name="contact_source_id_range",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="contact_created_idx"),
            # The name sorts, in reading order (core.collation).
            models.Index(in_reading_order("last_name"), F("id"), name="contact_last_name_idx"),
            models.Index(in_reading_order("first_name"), F("id"), name="contact_first_name_idx"),
            models.Index(fields=["identifier_type", "id"], name="contact_identifier_type_idx"),
            # The admin's email and mobile sorts with their tie-break (every sort there
            # ends with the id in its own direction, core.admin): one index walk.
            # The email itself included: the admin skips its deep offsets index-only.
            models.Index(Lower("email"), F("id"), name="contact_email_id_idx", include=["email"]),
            models.Index(fields=["mobile_number", "id"], name="contact_mobile_id_idx"),
            # The import's Match on External identifier; hashed like the alias (2,000
            # characters can exceed a B-tree entry), partial: most contacts have none.
            models.Index(
                MD5("external_id"), name="contact_external_id_md5_idx", condition=~Q(external_id="")
            ),
        ]

    def __str__(self) -> str:
        return f"Contact ID {self.id}"

    @property
    def identifier(self) -> str:
        """The value of the identifier the contact was created with."""
        by_type: dict[str, str | None] = {
            IdentifierType.EMAIL: self.email,
            IdentifierType.MOBILE: self.mobile_number,
            IdentifierType.APP_ALIAS: self.app_alias,
        }
        return by_type.get(self.identifier_type) or ""

    @property
    def identifier_count(self) -> int:
        return sum(1 for value in (self.email, self.mobile_number, self.app_alias) if value)
