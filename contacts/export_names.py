"""The product's import/export names of the standard attributes (see product notes)."""

IDENTIFIER_ATTRIBUTES: list[tuple[str, str]] = [
    ("user.Email", "email"),
    ("user.MobileNumber", "mobile_number"),
    ("user.FaxNumber", "app_alias"),  # Mobile App Alias: the product's legacy name
    ("user.Identifier", "external_id"),
]
PROFILE_ATTRIBUTES: list[tuple[str, str]] = [
    ("user.FirstName", "first_name"),
    ("user.LastName", "last_name"),
    ("user.Nickname", "nickname"),
    ("user.Title", "title"),
    ("user.Gender", "gender"),
    ("user.DateOfBirth", "date_of_birth"),
    ("user.ISOCountryCode", "country"),
    ("user.ISOLanguageCode", "language"),
    ("user.ZipCode", "zip_code"),
    ("user.TimeZone", "time_zone"),
    ("user.PartnerId", "source_id"),
]
STANDARD_ATTRIBUTES = IDENTIFIER_ATTRIBUTES + PROFILE_ATTRIBUTES


def custom_attribute_name(name: str) -> str:
    return f"user.CustomAttribute.{name}"


def member_attribute_name(name: str) -> str:
    return f"user.MemberAttribute.{name}"
