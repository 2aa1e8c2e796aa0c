import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from contacts.validation import (
    normalize_alias,
    normalize_email,
    normalize_mobile,
    validate_date_of_birth,
)


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
