"""Normalization and validation of identifiers and standard attributes: one rule per field.

Forms use these for early, friendly errors; services use them again so that no caller
(form, admin, command, import, API) can store a value that breaks the rules. Each rule takes
the text as typed (never empty: an empty value means "not set" and is the caller's business),
returns the value to store, or raises ValidationError with a message for the user.
`FIELD_RULES` lists them by Contact field; the values of custom and member attributes follow
their definition's type (`contacts.attributes.attribute_parser`). They are on the import's
hot path: a million rows pass through them, so each does the cheap checks first.
"""

import encodings.idna
import re
import unicodedata
import zoneinfo
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache, lru_cache

import phonenumbers
import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from contacts.models.choices import AddressStatus, Gender, IdentifierType, Title
from contacts.models.contact import ALIAS_MAX_LENGTH, EXTERNAL_ID_MAX_LENGTH, SOURCE_ID_MAX

_email_validator = EmailValidator(message="Enter a valid email address, like name@example.com.")


def normalize_email(raw: str) -> str:
    """Strip, validate, and store the domain in its IDNA (Punycode) form, lower-cased."""
    value = raw.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError("Enter a valid email address, like name@example.com.")
    if domain.isascii():
        # The validator below checks an ASCII domain's labels; the IDNA codec is slow.
        ascii_domain = domain.lower()
    else:
        try:
            ascii_domain = domain.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise ValidationError(f"The domain “{domain}” is not a valid domain name.") from None
    normalized = f"{local}@{ascii_domain}"
    if len(normalized) > 254:
        raise ValidationError("An email address can have at most 254 characters.")
    if not _PLAIN_EMAIL.fullmatch(normalized):
        _check_deliverable_form(local, ascii_domain)
        _email_validator(normalized)
    return normalized


def _check_deliverable_form(local: str, domain: str) -> None:
    """Forms Django's validator accepts that no sending service delivers to: a quoted
    local part, an IP address for a domain, a host name without a dot (localhost)."""
    if local.startswith('"'):
        raise ValidationError(
            "Enter the address without quotation marks; quoted addresses cannot be sent to."
        )
    if domain.startswith("["):
        raise ValidationError(
            "Enter an address with a domain name, like name@example.com, not an IP address."
        )
    if "." not in domain:
        raise ValidationError(
            f"The domain “{domain}” has no dot: enter a full domain, like name@example.com."
        )


# The common address, matched in one step: every address it matches, Django's
# EmailValidator accepts too (a narrower local part, labels and a letters-only TLD); any
# other address goes through the validator itself.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)


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
    return f"{local}@{_unicode_domain(domain)}"


@lru_cache(maxsize=1024)
def _unicode_domain(domain: str) -> str:
    """Decoded once per domain: a list page shows the same few domains on many rows, and
    decoding Punycode took a third of a row's time."""
    labels = []
    for label in domain.split("."):
        try:
            labels.append(encodings.idna.ToUnicode(label))
        except UnicodeError:
            labels.append(label)
    return ".".join(labels)


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
    """Parse a number given with its country code, with or without the +; store E.164.

    Without the + the number must start with the country code (491711234567): a national
    number (01711234567) or the 00 prefix is refused rather than guessed.
    """
    value = raw.strip()
    if value[:1].isdigit() and not value.startswith("0"):
        value = "+" + value
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
    if not (value.isascii() and value.isprintable()):  # the common alias: one fast check
        _check_visible_line(value)
    if not value:
        raise ValidationError("The mobile app alias cannot be blank.")
    if len(value) > ALIAS_MAX_LENGTH:
        raise ValidationError(
            f"A mobile app alias can have at most {ALIAS_MAX_LENGTH:,} characters "
            f"(it has {len(value):,})."
        )
    return normalize_text(value)


def _check_visible_line(value: str, *, subject: str = "The mobile app alias") -> None:
    """One line that shows as typed: no control characters (line breaks, tabs), no text
    direction controls (U+202E would show the text after it reversed, in the same
    line), and not only invisible characters (zero-width spaces), which no one could
    type to find it."""
    categories = {unicodedata.category(char) for char in value}
    if categories & {"Cc", "Zl", "Zp"}:
        raise ValidationError(
            f"{subject} cannot contain line breaks, tabs or other control characters."
        )
    if DIRECTION_CONTROLS.search(value):
        raise ValidationError(
            f"{subject} cannot contain text direction controls (such as U+202E): they "
            "change how the text next to it is shown."
        )
    shown = {unicodedata.category(char) for char in value if char not in _BLANK_LETTERS}
    if value and shown <= {"Cf", "Zs", "Mn", "Me"}:
        raise ValidationError(f"{subject} cannot be blank (it has only invisible characters).")


# Characters that are letters or symbols to Unicode but show as nothing: the Hangul
# fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Embeddings, overrides and isolates; the marks (U+200E, U+200F) only nudge neutral
# characters and stay allowed.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def normalize_external_id(raw: str) -> str:
    """Matched and shown like the other identifiers: one visible line."""
    value = raw.strip()
    if not (value.isascii() and value.isprintable()):
        _check_visible_line(value, subject="An external identifier")
    value = normalize_text(value)
    if len(value) > EXTERNAL_ID_MAX_LENGTH:
        raise ValidationError(
            f"An external identifier can have at most {EXTERNAL_ID_MAX_LENGTH:,} characters "
            f"(it has {len(value):,})."
        )
    return value


# Characters a database column cannot hold: NUL, and lone surrogates (from JSON, say).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def normalize_text(value: str) -> str:
    """Any text is stored as given, except characters no database column can hold."""
    if _UNSTORABLE.search(value):
        raise ValidationError(
            "This value contains a character that cannot be stored (a NUL character or an "
            "invalid Unicode code point)."
        )
    return value


def _text_rule(max_length: int) -> Callable[[str], str]:
    def rule(raw: str) -> str:
        if len(raw) > max_length:
            raise ValidationError(
                f"Enter at most {max_length:,} characters (this value has {len(raw):,})."
            )
        if raw.isascii() and "\x00" not in raw:
            return raw
        return normalize_text(raw)

    return rule


_plain_text = _text_rule(255)


def normalize_name(raw: str) -> str:
    """A first name, last name or nickname: one line of visible text, or nothing; in
    Unicode's composed form (NFC), so that a "Zoë" pasted as "Zoe" and a combining
    diaeresis is found by the "Zoë" anyone types."""
    if raw.isascii() and raw.isprintable():  # the common name: one fast check
        return _plain_text(raw)
    value = unicodedata.normalize("NFC", raw)
    _check_visible_line(value, subject="A name")
    return _plain_text(value)


_zip_code_text = _text_rule(20)


def normalize_zip_code(raw: str) -> str:
    if not (raw.isascii() and raw.isprintable()):
        _check_visible_line(raw, subject="A ZIP code")
    return _zip_code_text(raw)


def _choice_rule(
    choices: type[Title] | type[Gender] | type[AddressStatus] | type[IdentifierType],
    extra: dict[str, str],
) -> Callable[[str], str]:
    """A rule for a choice field: the stored code or its label, in any case, with or
    without punctuation ("Mr", "mr.", "MR." are all Mr.)."""
    lookup = {_fold(value): value for value in choices.values}
    lookup.update({_fold(str(label)): value for value, label in choices.choices})
    lookup.update({_fold(key): value for key, value in extra.items()})
    # The spellings of files (the export writes labels) found without folding.
    exact = {value: value for value in choices.values}
    exact.update({str(label): value for value, label in choices.choices})
    exact.update({str(label).lower(): value for value, label in choices.choices})
    allowed = ", ".join(str(label) for label in choices.labels)

    def rule(raw: str) -> str:
        value = exact.get(raw) or lookup.get(_fold(raw))
        if value is None:
            raise ValidationError(f"Enter one of: {allowed}.")
        return value

    return rule


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


normalize_title = _choice_rule(Title, {"mrs": Title.MS, "miss": Title.MS})
normalize_gender = _choice_rule(Gender, {"m": Gender.MALE, "f": Gender.FEMALE})
normalize_address_status = _choice_rule(AddressStatus, {"optedout": AddressStatus.OPTED_OUT})
normalize_identifier_type = _choice_rule(
    IdentifierType, {"mobilenumber": IdentifierType.MOBILE, "alias": IdentifierType.APP_ALIAS}
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date_of_birth(raw: str) -> date:
    value = raw.strip()
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValidationError("Enter the date as YYYY-MM-DD, e.g. 1990-05-17.") from None
    validate_date_of_birth(parsed)
    return parsed


# Every date up to this one is in the past for as long as the process runs: only a later one
# needs the clock (date.today() costs a microsecond, a million times over in an import).
_SURELY_PAST = date.today() - timedelta(days=1)


def validate_date_of_birth(value: date) -> None:
    if value > _SURELY_PAST and value > date.today():
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


# Files in the system's zoneinfo folder that are no time zone of the IANA database:
# "localtime" is this machine's own setting, "Factory" the database's placeholder for a
# zone not yet set, "posixrules" a template of rules.
_NOT_TIME_ZONES = frozenset({"localtime", "Factory", "posixrules"})


# The areas of the IANA zones proper. The other names zoneinfo knows are the database's
# backward-compatibility links (US/Alaska, W-SU, Zulu, Etc/GMT+1, ...): Python has no list
# of them, so a zone is canonical when it is UTC or Area/Location in one of these areas.
_ZONE_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia"}
    | {"Europe", "Indian", "Pacific"}
)


def _canonical_zone(name: str) -> bool:
    area, slash, _ = name.partition("/")
    return name == "UTC" or (bool(slash) and area in _ZONE_AREAS)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = filter(_canonical_zone, zoneinfo.available_timezones() - _NOT_TIME_ZONES)
    return [(name, name.replace("_", " ")) for name in sorted(names)]


@cache
def _old_zone_names() -> frozenset[str]:
    """The links zoneinfo still reads, by their folded name: refused with their own message."""
    names = zoneinfo.available_timezones() - _NOT_TIME_ZONES
    return frozenset(name.casefold() for name in names if not _canonical_zone(name))


@cache
def _codes() -> dict[str, dict[str, str]]:
    return {
        "country": {code.casefold(): code for code, _ in country_choices()},
        "language": {code.casefold(): code for code, _ in language_choices()},
        "time_zone": {name.casefold(): name for name, _ in time_zone_choices()},
    }


def normalize_country(raw: str) -> str:
    code = _codes()["country"].get(raw.strip().casefold())
    if code is None:
        raise ValidationError("Enter a two-letter ISO 3166-1 country code, e.g. DE.")
    return code


def normalize_language(raw: str) -> str:
    code = _codes()["language"].get(raw.strip().casefold())
    if code is None:
        raise ValidationError("Enter a two-letter ISO 639-1 language code, e.g. de.")
    return code


def normalize_time_zone(raw: str) -> str:
    """A canonical IANA zone (time_zone_choices). A value stored before old names were
    refused stays as it is until it is changed (the profile form keeps it)."""
    folded = raw.strip().casefold()
    name = _codes()["time_zone"].get(folded)
    if name is None:
        if folded in _old_zone_names():
            raise ValidationError(
                f"“{raw.strip()}” is an old name of a time zone: enter its IANA name, "
                "Area/Location, e.g. Europe/Berlin or America/New_York."
            )
        raise ValidationError("Enter a time zone by its IANA name, e.g. Europe/Berlin.")
    return name


def parse_source_id(raw: str) -> int:
    value = raw.strip()
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(f"Enter a whole number from 0 to {SOURCE_ID_MAX:,}.")
    if int(value) > SOURCE_ID_MAX:
        raise ValidationError(f"A source ID has at most {len(str(SOURCE_ID_MAX))} digits.")
    return int(value)


CONTACT_ID_MAX = 2**63 - 1  # the largest id the database column holds


def parse_contact_id(raw: str) -> int:
    """A Contact ID typed by a person (the ID filter of All Contacts and the API)."""
    value = raw.strip()
    digits = value.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError("Enter a contact ID as a whole number, e.g. 1042.")
    number = int(value)
    if number < 1:
        raise ValidationError("Enter a contact ID of 1 or more.")
    if number > CONTACT_ID_MAX:
        raise ValidationError("No contact has an ID this large.")
    return number


# The rule of each standard field of a contact, by Contact field name (PROFILE_FIELDS).
FIELD_RULES: dict[str, Callable[[str], object]] = {
    "identifier_type": normalize_identifier_type,
    "email": normalize_email,
    "email_status": normalize_address_status,
    "mobile_number": normalize_mobile,
    "mobile_status": normalize_address_status,
    "app_alias": normalize_alias,
    "app_alias_status": normalize_address_status,
    "external_id": normalize_external_id,
    "first_name": normalize_name,
    "last_name": normalize_name,
    "nickname": normalize_name,
    "title": normalize_title,
    "gender": normalize_gender,
    "date_of_birth": parse_date_of_birth,
    "country": normalize_country,
    "language": normalize_language,
    "zip_code": normalize_zip_code,
    "time_zone": normalize_time_zone,
    "source_id": parse_source_id,
}
