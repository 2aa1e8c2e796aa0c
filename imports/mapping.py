"""Which contact field each column of a file goes to.

A mapping is a list of targets, one per column: "" (Ignore), a standard field of
`PROFILE_FIELDS` ("email", "first_name", ...), "custom:<Name>", "member:<Name>" or
"memberships". `suggest_mapping` reads the product's header names (`user.Email`, ...), the
headers of our own export, and the names people usually give their columns.
"""

import re
from collections.abc import Collection, Sequence

from contacts.models import PROFILE_FIELDS, PROFILE_LABELS

IDENTIFIER_TARGETS = ("email", "mobile_number", "app_alias", "external_id")
MEMBERSHIPS = "memberships"
CUSTOM_PREFIX = "custom:"
MEMBER_PREFIX = "member:"

# The usual spellings of each standard field, besides its label and its product name.
# Compared folded (lower case, letters and digits only).
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "email": (
        "Email",
        "E-Mail",
        "Email address",
        "E-Mail-Adresse",
        "Mail",
        "Mail address",
        "Courriel",
        "Adresse e-mail",
    ),
    "mobile_number": (
        "Mobile",
        "Mobile phone",
        "Mobile phone number",
        "Cell",
        "Cell phone",
        "Cellphone",
        "Handy",
        "Handynummer",
        "Mobil",
        "Mobilnummer",
        "Mobiltelefon",
        "MSISDN",
    ),
    "app_alias": ("App alias", "Alias", "Device alias", "Push alias"),
    "external_id": (
        "External ID",
        "External identifier",
        "Identifier",
        "Customer ID",
        "Customer number",
        "Kundennummer",
        "CRM ID",
    ),
    "first_name": ("First name", "Firstname", "Given name", "Forename", "Vorname", "Prénom"),
    "last_name": ("Last name", "Lastname", "Surname", "Family name", "Nachname", "Nom"),
    "nickname": ("Nickname", "Nick", "Spitzname"),
    "title": ("Title", "Salutation", "Anrede"),
    "gender": ("Gender", "Sex", "Geschlecht"),
    "date_of_birth": ("Date of birth", "Birthday", "Birth date", "DOB", "Geburtsdatum"),
    "country": ("Country", "Country code", "ISO country code", "Land"),
    "language": ("Language", "Language code", "Sprache"),
    "zip_code": ("ZIP", "ZIP code", "Postal code", "Postcode", "PLZ", "Postleitzahl"),
    "time_zone": ("Time zone", "Timezone", "Zeitzone"),
    "source_id": ("Source ID", "Partner ID"),
    "identifier_type": ("Identifier type",),
    "email_status": ("Email status", "user.Email.Status"),
    "mobile_status": ("Mobile status", "user.MobileNumber.Status"),
    "app_alias_status": ("App alias status", "user.FaxNumber.Status"),
}
# Columns of our own files that are not imported: the Contact ID is the database's; Line
# and Error are what the rejected-rows file adds to the original columns.
_IGNORED = ("user.UserId", "Contact ID", "Created", "Updated", "Line", "Error")
_MEMBERSHIP_SPELLINGS = ("Memberships", "Group memberships", "Groups", "user.Memberships")

# user.CustomAttribute.Name, user.CustomAttribute['Name'] (or "Name"), the same for members.
_PRODUCT_ATTRIBUTE = re.compile(
    r"""user\.(?P<kind>CustomAttribute|MemberAttribute)
        (?:\.(?P<dotted>.+)|\[(?P<q>['"])(?P<bracketed>.+)(?P=q)\])""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


def fold(name: str) -> str:
    """A header name compared loosely: case, spaces and punctuation ignored."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _known_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for profile_field in PROFILE_FIELDS:
        names[fold(profile_field.label)] = profile_field.name
        if profile_field.export_name:
            names[fold(profile_field.export_name)] = profile_field.name
    for target, spellings in _SPELLINGS.items():
        for spelling in spellings:
            names.setdefault(fold(spelling), target)
    names.update({fold(name): MEMBERSHIPS for name in _MEMBERSHIP_SPELLINGS})
    names.update({fold(name): "" for name in _IGNORED})
    return names


KNOWN_NAMES = _known_names()


def suggest_mapping(
    header: Sequence[str], *, custom_names: Collection[str], member_names: Collection[str]
) -> list[str]:
    """A target for each column; a target is given to its first column only."""
    custom = {name.casefold(): name for name in custom_names}
    member = {name.casefold(): name for name in member_names}
    mapping: list[str] = []
    for name in header:
        target = _suggest(name.strip(), custom, member)
        mapping.append(target if target not in mapping else "")
    return mapping


def _suggest(name: str, custom: dict[str, str], member: dict[str, str]) -> str:
    product = _PRODUCT_ATTRIBUTE.fullmatch(name)
    if product:
        attribute = (product["dotted"] or product["bracketed"]).strip()
        if product["kind"].casefold() == "customattribute":
            return CUSTOM_PREFIX + custom.get(attribute.casefold(), attribute)
        return MEMBER_PREFIX + member.get(attribute.casefold(), attribute)
    folded = fold(name)
    if folded in KNOWN_NAMES:
        return KNOWN_NAMES[folded]
    if name.casefold() in custom:
        return CUSTOM_PREFIX + custom[name.casefold()]
    if name.casefold() in member:
        return MEMBER_PREFIX + member[name.casefold()]
    return ""


def unrecognised(header: Sequence[str]) -> list[str]:
    """Names written like the product's (`user.`...) that are none of them: misspelt or
    malformed (`user.CustomAttribute[Name`). Their columns are set to Ignore, which the
    mapping page says, so that no data is dropped unnoticed."""
    return [
        name
        for name in (column.strip() for column in header)
        if name.casefold().startswith("user.")
        and fold(name) not in KNOWN_NAMES
        and not _PRODUCT_ATTRIBUTE.fullmatch(name)
    ]


def target_choices(
    *, custom_names: Collection[str], member_names: Collection[str]
) -> list[tuple[str, str]]:
    """(target, label) of everything a column can be mapped to, Ignore first."""
    choices = [("", target_label(""))]
    choices += [(f.name, target_label(f.name)) for f in PROFILE_FIELDS]
    choices += [(CUSTOM_PREFIX + n, target_label(CUSTOM_PREFIX + n)) for n in sorted(custom_names)]
    choices += [(MEMBER_PREFIX + n, target_label(MEMBER_PREFIX + n)) for n in sorted(member_names)]
    choices.append((MEMBERSHIPS, target_label(MEMBERSHIPS)))
    return choices


def target_label(target: str) -> str:
    """The name of a target on screen and in messages."""
    if target == "":
        return "Ignore"
    if target == MEMBERSHIPS:
        return "Group memberships"
    if target.startswith(CUSTOM_PREFIX):
        return f"{target.removeprefix(CUSTOM_PREFIX)} (custom attribute)"
    if target.startswith(MEMBER_PREFIX):
        return f"{target.removeprefix(MEMBER_PREFIX)} (member attribute)"
    return PROFILE_LABELS.get(target, target)
