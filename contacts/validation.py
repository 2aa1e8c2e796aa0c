"""Normalization and validation of identifiers and standard attributes.

Forms use these for early, friendly errors; services use them again so that no
caller (form, admin, command) can store a value that breaks the rules.
"""

import encodings.idna
import zoneinfo
from datetime import date
from functools import cache

import phonenumbers
import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from contacts.models.contact import ALIAS_MAX_LENGTH

_email_validator = EmailValidator(message="Enter a valid email address, like name@example.com.")


def normalize_email(raw: str) -> str:
    """Strip, validate, and store the domain in its IDNA (Punycode) form, lower-cased."""
    value = raw.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError("Enter a valid email address, like name@example.com.")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValidationError(f"The domain “{domain}” is not a valid domain name.") from None
    normalized = f"{local}@{ascii_domain}"
    if len(normalized) > 254:
        raise ValidationError("An email address can have at most 254 characters.")
    _email_validator(normalized)
    return normalized


def display_email(value: str | None) -> str:
    """An address as people read it: an internationalised domain in its Unicode form.

    Addresses are stored with the IDNA (Punycode) domain; this is only for the screen.
    A label that does not decode (not valid Punycode) is shown as stored.
    """
    if not value:
        return ""
    local, at, domain = value.rpartition("@")
    if not at or "xn--" not in domain:
        return value
    labels = []
    for label in domain.split("."):
        try:
            labels.append(encodings.idna.ToUnicode(label))
        except UnicodeError:
            labels.append(label)
    return f"{local}@{'.'.join(labels)}"


def domain_to_ascii(text: str) -> str | None:
    """A domain, or the beginning of one, in the stored form (IDNA, lower case): what a
    search typed in either form is matched against. None if it cannot be part of a domain.

    Label by label, so that a beginning ending in a dot stays one; a label still being
    typed matches only once it is complete when it is not ASCII (Punycode of a part of a
    label is not a part of the label's Punycode).
    """
    labels = []
    for label in encodings.idna.dots.split(text):
        if label.isascii():
            labels.append(label.lower())
            continue
        try:
            labels.append(encodings.idna.ToASCII(label).decode("ascii").lower())
        except UnicodeError:
            return None
    return ".".join(labels)


def normalize_mobile(raw: str) -> str:
    """Parse a number given with + and country code; store E.164."""
    value = raw.strip()
    if not value.startswith("+"):
        raise ValidationError(
            "Enter the mobile number with + and the country code, e.g. +49 171 1234567."
        )
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "This is not a valid mobile number. Use + and the country code, e.g. +49 171 1234567."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_alias(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise ValidationError("The mobile app alias cannot be blank.")
    if len(value) > ALIAS_MAX_LENGTH:
        raise ValidationError(
            f"A mobile app alias can have at most {ALIAS_MAX_LENGTH:,} characters "
            f"(it has {len(value):,})."
        )
    return value


def validate_date_of_birth(value: date) -> None:
    if value > date.today():
        raise ValidationError("The date of birth cannot be in the future.")
    if value.year < 1900:
        raise ValidationError("Enter a date of birth after 1900.")


@cache
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])


@cache
def language_choices() -> list[tuple[str, str]]:
    languages = (lang for lang in pycountry.languages if hasattr(lang, "alpha_2"))
    return sorted(((lang.alpha_2, lang.name) for lang in languages), key=lambda c: c[1])


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]
