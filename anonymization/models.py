from django.conf import settings
from django.db import models

from contacts.models import IdentifierType


class Anonymization(models.Model):
    """The record of one anonymization: who did it and when. Its confirmation email is a
    core Notification of kind "anonymization.confirmation".

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

    def __str__(self) -> str:
        return f"Anonymization of Contact ID {self.contact_id}"
