from django.contrib.auth.models import Group as AuthGroup
from django.db import models

from contacts.models.choices import EventChannel, EventType, IdentifierType
from contacts.models.contact import Contact
from contacts.models.groups import Group


class AnonymousContact(models.Model):
    """What is left of an anonymized contact: salted hashes and the time, nothing else.

    Events move here (anonymization does it) so that statistics per message, type and day
    stay correct. The
    salt was thrown away, so nobody can link these hashes to a person, not even by
    hashing a guessed email address; nothing here points to the old Contact ID.
    """

    identifier_type = models.CharField(max_length=16, choices=IdentifierType.choices)
    email_hash = models.CharField(max_length=64, blank=True, default="")
    mobile_hash = models.CharField(max_length=64, blank=True, default="")
    app_alias_hash = models.CharField(max_length=64, blank=True, default="")
    external_id_hash = models.CharField(max_length=64, blank=True, default="")
    # Attribute export name -> hash of the value (standard, custom, member, related, app).
    profile_hashes = models.JSONField(default=dict, blank=True)
    anonymized_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "anonymous contact"

    def __str__(self) -> str:
        return f"Anonymous contact {self.pk}"


class Event(models.Model):
    """One entry of a contact's activity and message history."""

    # Indexed by event_contact_time_idx, which leads with the contact.
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
        db_index=False,
    )
    event_type = models.CharField("Activity type", max_length=20, choices=EventType.choices)
    channel = models.CharField(max_length=8, choices=EventChannel.choices)
    message_name = models.CharField("Message", max_length=255, blank=True, default="")
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    occurred_at = models.DateTimeField("Time")
    address = models.CharField("Address used", max_length=2000, blank=True, default="")
    # Set instead of `contact` once the contact is anonymized (statistics survive).
    anonymous_contact = models.ForeignKey(
        AnonymousContact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,  # a partial index below: most events have none
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False)
                | models.Q(anonymous_contact__isnull=False),
                name="event_belongs_to_contact_or_anonymous",
            )
        ]
        # Partial: an anonymized event leaves these indexes instead of getting a NULL entry,
        # which makes anonymizing a contact with many events markedly faster.
        indexes = [
            models.Index(
                fields=["contact", "-occurred_at", "-id"],
                name="event_contact_time_idx",
                condition=models.Q(contact__isnull=False),
            ),
            models.Index(
                fields=["contact", "event_type", "-occurred_at", "-id"],
                name="event_contact_type_time_idx",
                condition=models.Q(contact__isnull=False),
            ),
            models.Index(
                fields=["anonymous_contact"],
                name="event_anonymous_contact_idx",
                condition=models.Q(anonymous_contact__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


class AppData(models.Model):
    """Mobile app data of a contact with an app alias."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, primary_key=True, related_name="app_data"
    )
    push_opt_in_at = models.DateTimeField("Push opt-in date", null=True, blank=True)
    push_opt_out_at = models.DateTimeField("Push opt-out date", null=True, blank=True)
    last_app_open_at = models.DateTimeField("Last app open", null=True, blank=True)

    class Meta:
        verbose_name = "mobile app data"
        verbose_name_plural = "mobile app data"

    def __str__(self) -> str:
        return f"App data of Contact ID {self.contact_id}"


class RelatedRecord(models.Model):
    """A row of a related data table (orders, loyalty tiers, ...) linked to a contact."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="related_records", db_index=False
    )
    table_name = models.CharField(max_length=100)
    values = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["table_name", "id"]
        verbose_name = "related data row"
        indexes = [
            models.Index(fields=["contact", "table_name"], name="related_contact_table_idx"),
            # The admin's filter by table: its few names read by skipping through the index
            # (core.admin_filters), and a table's rows newest first.
            models.Index(fields=["table_name", "id"], name="related_table_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.table_name} row of Contact ID {self.contact_id}"


class Role(AuthGroup):
    """Django's auth group, shown to admins under the product's name: a role."""

    class Meta:
        proxy = True
        verbose_name = "role"
