from django.conf import settings
from django.db import models

from contacts.models import IdentifierType
from contacts.system_mail import SystemMail, due_mail_index


class AnonymousContact(models.Model):
    """What is left of an anonymized contact: salted hashes and the time, nothing else.

    Events move here so that statistics per message, type and day stay correct. The
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


class Anonymization(SystemMail):
    """The job row of one anonymization: who did it, and the state of the confirmation email.

    Holds the old Contact ID and the kind of identifier, never a value of the contact.
    """

    contact_id = models.BigIntegerField("Contact ID", db_index=True)
    identifier_type = models.CharField(max_length=16, choices=IdentifierType.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    anonymized_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-anonymized_at"]
        indexes = [due_mail_index("anonymization_mail_due_idx")]

    def __str__(self) -> str:
        return f"Anonymization of contact {self.contact_id}"
