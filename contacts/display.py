"""The words that tell a user whose data is on screen."""

from dataclasses import dataclass

from django.utils.text import Truncator

from contacts.models import Contact, IdentifierType
from contacts.validation import DIRECTION_CONTROLS, display_email

# A heading names the person; the full value is on the Channel Addresses tab.
IDENTITY_CHARS = 80


def contact_name(contact: Contact) -> str:
    """First and last name, or the nickname when neither is known."""
    parts = [part.strip() for part in (contact.first_name, contact.last_name)]
    return " ".join(part for part in parts if part) or contact.nickname.strip()


def shown_identifier(contact: Contact) -> str:
    """The value of the contact's identifier type, as users read it."""
    if contact.identifier_type == IdentifierType.EMAIL:
        return display_email(contact.email)
    return contact.identifier


@dataclass(frozen=True)
class Identity:
    name: str
    identifier: str
    contact_id: int

    @property
    def parts(self) -> list[str]:
        return [part for part in (self.name, self.identifier) if part] + [
            f"Contact ID {self.contact_id}"
        ]

    def __str__(self) -> str:
        return " · ".join(self.parts)


def contact_identity(contact: Contact) -> Identity:
    """Who the contact is, e.g. "Ada Lovelace · ada@example.com · Contact ID 1989"."""

    def short(text: str) -> str:
        # A direction control saved before the rule refused it would reverse the parts
        # after it, in the heading and the window's title alike.
        text = DIRECTION_CONTROLS.sub("", text)
        return Truncator(" ".join(text.split())).chars(IDENTITY_CHARS)

    return Identity(
        name=short(contact_name(contact)),
        identifier=short(shown_identifier(contact)),
        contact_id=contact.pk,
    )
