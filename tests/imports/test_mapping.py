import pytest

from contacts.models import PROFILE_FIELDS
from imports.mapping import (
    IDENTIFIER_TARGETS,
    suggest_mapping,
    target_choices,
    target_label,
    unrecognised,
)


def suggest(*header, custom=(), member=()):
    return suggest_mapping(list(header), custom_names=custom, member_names=member)


def test_the_products_header_names_map_to_the_standard_fields():
    header = [f.export_name for f in PROFILE_FIELDS if f.export_name]
    assert suggest(*header) == [f.name for f in PROFILE_FIELDS if f.export_name]
    assert suggest("user.FaxNumber", "user.Identifier") == ["app_alias", "external_id"]


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("Email", "email"),
        ("E-Mail", "email"),
        ("email address", "email"),
        ("EMAIL_ADDRESS", "email"),
        ("E-Mail-Adresse", "email"),
        ("First name", "first_name"),
        ("first_name", "first_name"),
        ("FirstName", "first_name"),
        ("Vorname", "first_name"),
        ("Nachname", "last_name"),
        ("Surname", "last_name"),
        ("Mobile", "mobile_number"),
        ("Handy", "mobile_number"),
        ("Mobile Number", "mobile_number"),
        ("Mobile App Alias", "app_alias"),
        ("External Identifier", "external_id"),
        ("Kundennummer", "external_id"),
        ("Date of Birth", "date_of_birth"),
        ("Geburtsdatum", "date_of_birth"),
        ("PLZ", "zip_code"),
        ("Postal code", "zip_code"),
        ("Time Zone", "time_zone"),
        ("Anrede", "title"),
        ("Geschlecht", "gender"),
        ("Source ID", "source_id"),
        ("user.partnerid", "source_id"),
        ("  USER.EMAIL ", "email"),
        ("Identifier type", "identifier_type"),
        ("Email status", "email_status"),
        ("Mobile Number status", "mobile_status"),
        ("Memberships", "memberships"),
        ("Something else", ""),
        ("", ""),
    ],
)
def test_usual_spellings_ignore_case_and_punctuation(name, target):
    assert suggest(name) == [target]


def test_custom_attributes_in_both_product_forms_and_by_their_own_name():
    custom = ["Loyalty", "My Attribute"]
    assert suggest(
        "user.CustomAttribute.loyalty",
        "user.CustomAttribute['My Attribute']",
        custom=custom,
    ) == ["custom:Loyalty", "custom:My Attribute"]
    assert suggest('user.CustomAttribute["My Attribute"]', custom=custom) == ["custom:My Attribute"]
    assert suggest("LOYALTY", custom=custom) == ["custom:Loyalty"]


def test_an_unknown_custom_attribute_keeps_its_name_for_the_page_to_show():
    assert suggest("user.CustomAttribute.Shoe Size", custom=["Loyalty"]) == ["custom:Shoe Size"]


def test_member_attributes():
    assert suggest(
        "user.MemberAttribute.Role", "user.MemberAttribute['Seat No']", member=["role"]
    ) == ["member:role", "member:Seat No"]


def test_the_exports_own_header_reads_back():
    header = [
        "user.UserId",
        "Identifier type",
        "user.Email",
        "user.CustomAttribute.Loyalty",
        "Created",
    ]
    assert suggest(*header, custom=["Loyalty"]) == [
        "",
        "identifier_type",
        "email",
        "custom:Loyalty",
        "",
    ]


def test_the_rejected_rows_file_imports_as_it_is():
    assert suggest("user.Email", "Vorname", "Line", "Error") == ["email", "first_name", "", ""]


def test_a_target_goes_to_its_first_column_only():
    assert suggest("Email", "E-Mail", "Vorname", "First name") == ["email", "", "first_name", ""]


def test_choices_and_labels_use_the_products_words():
    choices = target_choices(custom_names=["Loyalty"], member_names=["Role"])
    assert choices[0] == ("", "Ignore")
    values = [value for value, _ in choices]
    assert set(IDENTIFIER_TARGETS) <= set(values)
    assert ("custom:Loyalty", "Loyalty (custom attribute)") in choices
    assert ("member:Role", "Role (member attribute)") in choices
    assert target_label("mobile_number") == "Mobile Number"
    assert target_label("app_alias") == "Mobile App Alias"
    assert target_label("date_of_birth") == "Date of Birth"
    assert target_label("memberships") == "Group memberships"


def test_unrecognised_names_are_product_like_names_that_are_none():
    header = [
        " user.Bogus ",
        "user.CustomAttribute[broken",
        "user.CustomAttribute['Shoe size']",
        "user.MemberAttribute.Level",
        "USER.EMAIL",
        "user.UserId",
        "Vorname",
        "Whatever",
    ]
    assert unrecognised(header) == ["user.Bogus", "user.CustomAttribute[broken"]
