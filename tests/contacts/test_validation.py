import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.models import PROFILE_FIELD_NAMES
from contacts.validation import (
    _PLAIN_EMAIL,
    FIELD_RULES,
    normalize_alias,
    normalize_email,
    normalize_mobile,
    time_zone_choices,
    validate_date_of_birth,
)
from tests.factories import ContactFactory


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("anna@example.com", "anna@example.com"),
        ("  Anna@Example.COM ", "Anna@example.com"),
        ("jürgen@Bücher.de", None),  # non-ASCII local part is refused
        ("info@Bücher.de", "info@xn--bcher-kva.de"),
        ("a@xn--bcher-kva.de", "a@xn--bcher-kva.de"),
    ],
)
def test_email_domain_is_stored_in_idna_form(raw, stored):
    if stored is None:
        with pytest.raises(ValidationError):
            normalize_email(raw)
    else:
        assert normalize_email(raw) == stored


@pytest.mark.parametrize(
    "raw", ["", "anna", "anna@", "@example.com", "a b@example.com", "a@-x-.com"]
)
def test_bad_email_is_refused_with_a_message(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_email(raw)
    assert exc.value.messages[0]


def test_overlong_email_is_refused():
    with pytest.raises(ValidationError, match="254"):
        normalize_email("a" * 64 + "@" + ("b" * 60 + ".") * 4 + "com")


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("+49 171 1234567", "+491711234567"),
        ("+49 (0)171 1234567", "+491711234567"),
        ("+4901711234567", "+491711234567"),
        ("+1 202-555-0123", "+12025550123"),
    ],
)
def test_mobile_is_stored_as_e164(raw, stored):
    assert normalize_mobile(raw) == stored


@pytest.mark.parametrize("raw", ["01711234567", "0049 171 1234567", "+", "+49", "+999 123", "abc"])
def test_mobile_without_plus_and_country_code_is_refused(raw):
    with pytest.raises(ValidationError, match=r"\+"):
        normalize_mobile(raw)


def test_alias_rules():
    assert normalize_alias("  abc ") == "abc"
    assert normalize_alias("x" * 2000) == "x" * 2000
    with pytest.raises(ValidationError, match="blank"):
        normalize_alias("   ")
    with pytest.raises(ValidationError, match="2,000"):
        normalize_alias("x" * 2001)


def test_date_of_birth_cannot_be_in_the_future():
    validate_date_of_birth(dt.date(1990, 5, 17))
    with pytest.raises(ValidationError, match="future"):
        validate_date_of_birth(dt.date.today() + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("491711234567", "+491711234567"), ("49 171 1234567", "+491711234567")],
)
def test_mobile_may_lack_the_plus_but_not_the_country_code(raw, stored):
    assert normalize_mobile(raw) == stored


@pytest.mark.parametrize(
    ("rule", "raw", "stored"),
    [
        ("title", "Mr.", "mr"),
        ("title", "MR", "mr"),
        ("title", "ms", "ms"),
        ("gender", "Female", "female"),
        ("gender", "undisclosed", "undisclosed"),
        ("identifier_type", "Mobile Number", "mobile"),
        ("identifier_type", "email", "email"),
        ("email_status", "Opted out", "opted_out"),
        ("mobile_status", "bounced", "bounced"),
        ("date_of_birth", "1990-05-17", dt.date(1990, 5, 17)),
        ("country", "de", "DE"),
        ("language", "DE", "de"),
        ("time_zone", "america/new_york", "America/New_York"),
        ("source_id", "0", 0),
        ("source_id", "99999", 99999),
        ("first_name", " Anna ", " Anna "),
        ("zip_code", "D-10115", "D-10115"),
        ("external_id", " CRM-1 ", "CRM-1"),
        ("app_alias", " abc ", "abc"),
        ("app_alias", "family\u200d\U0001f468", "family\u200d\U0001f468"),  # joiner inside
        ("email", "a.b+c@mail.example.co.uk", "a.b+c@mail.example.co.uk"),
        ("email", "Anna@Example.COM", "Anna@example.com"),
    ],
)
def test_each_field_has_one_rule_that_normalizes(rule, raw, stored):
    assert FIELD_RULES[rule](raw) == stored


@pytest.mark.parametrize(
    ("rule", "raw", "message"),
    [
        ("title", "Dr.", "Enter one of: Mr., Ms., Unknown."),
        ("gender", "other", "Enter one of: Male, Female, Undisclosed."),
        ("date_of_birth", "1990-5-17", "YYYY-MM-DD"),
        ("date_of_birth", "19900517", "YYYY-MM-DD"),
        ("date_of_birth", "1899-12-31", "after 1900"),
        ("country", "DEU", "ISO 3166-1"),
        ("language", "deu", "ISO 639-1"),
        ("time_zone", "CET+1", "IANA"),
        ("time_zone", "localtime", "IANA"),  # the machine's own setting, a file in zoneinfo
        ("time_zone", "Factory", "IANA"),  # the database's placeholder for "not set"
        ("time_zone", "posixrules", "IANA"),
        ("source_id", "100000", "A source ID has at most 5 digits."),
        ("source_id", "1.5", "whole number"),
        ("first_name", "x" * 256, "at most 255"),
        ("first_name", "a\x00b", "control characters"),
        ("first_name", "new\nline", "A name cannot contain line breaks"),
        ("last_name", "tab\tin", "cannot contain line breaks"),
        ("nickname", "\x01ctrl", "control characters"),
        ("first_name", "\u202eAnna", "text direction controls"),
        ("last_name", "Berg\u2067", "text direction controls"),
        ("first_name", "\u200b", "only invisible characters"),
        ("last_name", "\ufeff\u00a0", "only invisible characters"),
        ("nickname", "\u3164", "only invisible characters"),
        ("first_name", "\u2800\u2800", "only invisible characters"),
        ("first_name", "\u0301", "only invisible characters"),
        ("app_alias", "\u202ealias", "text direction controls"),
        ("zip_code", "1" * 21, "at most 20"),
        ("zip_code", "10\n115", "A ZIP code cannot contain line breaks"),
        ("zip_code", "\x1b[31m", "control characters"),
        ("zip_code", "\u202e10115", "text direction controls"),
        ("zip_code", "\u200b", "only invisible characters"),
        ("external_id", "CRM\t1", "An external identifier cannot contain line breaks"),
        ("external_id", "\x1b[31mCRM", "control characters"),
        ("external_id", "CRM\u202e1", "text direction controls"),
        ("external_id", "\u200b", "only invisible characters"),
        ("external_id", "x" * 2001, "2,000"),
        ("app_alias", "a\x00b", "control characters"),
        ("app_alias", "a\nb", "cannot contain line breaks"),
        ("app_alias", "a\tb", "cannot contain line breaks"),
        ("app_alias", "\u200b", "only invisible characters"),
        ("app_alias", "\u2060\u200b\u3000", "only invisible characters"),
        ("email", "a@localhost", "has no dot"),
        ("email", "a@[127.0.0.1]", "not an IP address"),
        ("email", '"quoted"@example.com', "without quotation marks"),
    ],
)
def test_each_rule_refuses_with_a_clear_message(rule, raw, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        FIELD_RULES[rule](raw)


@pytest.mark.parametrize(
    "name", ["", "Anna", "Émile", "Zoë-Marie", "محمد", "שרה\u200f", "Anna\u00a0Lena", "李"]
)
def test_a_name_in_any_script_is_kept_as_typed(name):
    assert FIELD_RULES["first_name"](name) == name


def test_the_time_zone_choices_are_real_zones():
    names = {name for name, _ in time_zone_choices()}
    assert {"Europe/Berlin", "UTC", "America/New_York"} <= names
    assert not names & {"localtime", "Factory", "posixrules"}


def test_every_standard_field_has_a_rule():
    assert set(FIELD_RULES) == set(PROFILE_FIELD_NAMES)


@pytest.mark.django_db
def test_the_profile_form_uses_the_same_rules(marketer_client):
    contact = ContactFactory(email="anna@example.com")
    data = {
        "version": contact.version,
        "identifier_type": contact.identifier_type,
        "email": contact.email,
        "email_status": contact.email_status,
        "mobile_number": "49 171 1234567",
        "mobile_status": contact.mobile_status,
        "app_alias": "",
        "app_alias_status": contact.app_alias_status,
        "external_id": "",
        "first_name": "Anna",
        "last_name": "",
    }
    response = marketer_client.post(f"/contacts/{contact.pk}/", data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.mobile_number == "+491711234567"


@settings(max_examples=500, deadline=None)
@given(address=st.from_regex(_PLAIN_EMAIL, fullmatch=True).filter(lambda a: len(a) <= 254))
def test_every_address_of_the_fast_path_passes_djangos_validator(address):
    # normalize_email skips the validator for these: it must have accepted them anyway. It
    # refuses longer addresses (over 254 characters) before the fast path.
    EmailValidator()(address)
