"""The rule of a custom or member attribute value: its form field decides; the import's fast
path (contacts.attributes.attribute_parser) must always give the field's own answer."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.attributes import attribute_form_field, attribute_parser, to_canonical
from contacts.models import AttributeDefinition, AttributeType
from contacts.models.attributes import attribute_name_validator

DEFINITIONS = [
    AttributeDefinition(name="Number", data_type=AttributeType.NUMBER),
    AttributeDefinition(name="Date", data_type=AttributeType.DATE),
    AttributeDefinition(name="Boolean", data_type=AttributeType.BOOLEAN),
    AttributeDefinition(name="String", data_type=AttributeType.STRING),
    AttributeDefinition(name="Choice", data_type=AttributeType.STRING, allowed_values="A\nb c\n"),
    AttributeDefinition(name="NumberChoice", data_type=AttributeType.NUMBER, allowed_values="1\n2"),
]

SAMPLES = [
    "0",
    "-0",
    "00",
    "007",
    "-7",
    "1.50",
    "1.",
    ".5",
    "-0.0",
    "1e3",
    "1E-2",
    "NaN",
    "inf",
    "12345678901234567890",
    "123456789012345678901",
    "1.1234567890",
    "1.12345678901",
    " 42 ",
    "4 2",
    "1,5",
    "٣",
    "+1",
    "--1",
    "1_000",
    "1_0.5",
    "2024-02-29",
    "2023-02-29",
    "2024-13-01",
    "2024-1-1",
    "20240101",
    " 2024-01-01",
    "true",
    "false",
    "True",
    "1",
    "yes",
    "",
    "A",
    "a",
    "b c",
    " A",
    "x" * 2000,
    "x" * 2001,
    " x ",
    "a\x00b",
    "\t",
    "Ünïcödé",
]


def field_answer(definition, raw):
    try:
        return ("ok", to_canonical(attribute_form_field(definition).clean(raw)))
    except ValidationError as exc:
        return ("error", exc.messages)


def parser_answer(definition, raw):
    try:
        return ("ok", attribute_parser(definition)(raw))
    except ValidationError as exc:
        return ("error", exc.messages)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.name)
@pytest.mark.parametrize("raw", SAMPLES)
def test_the_parser_gives_the_form_fields_answer(definition, raw):
    assert parser_answer(definition, raw) == field_answer(definition, raw)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.name)
@settings(max_examples=300, deadline=None)
@given(raw=st.text(alphabet="0123456789-.eE+ Aabctrufls\x00", max_size=25))
def test_the_parser_gives_the_form_fields_answer_for_any_text(definition, raw):
    assert parser_answer(definition, raw) == field_answer(definition, raw)


@pytest.mark.parametrize(
    "name", ["Points", "Favourite Colour", "Größe", "Lieblings-Farbe", "x_1", "a" * 100]
)
def test_an_attribute_name_may_hold_spaces_as_the_product_s_names_do(name):
    attribute_name_validator(name)  # "user.CustomAttribute.My Attribute" in the product


@pytest.mark.parametrize(
    "name", ["", " x", "x ", "a  b", "1abc", "_a", "a'b", "a[b", "a.b", "a\n", "a" * 101]
)
def test_an_attribute_name_that_a_header_could_not_carry_is_refused(name):
    with pytest.raises(ValidationError, match="single spaces"):
        attribute_name_validator(name)


@pytest.mark.parametrize("raw", ["1_000", "1_0.5", "-1_0"])
def test_a_number_with_underscores_is_refused(raw):
    """Python's Decimal reads "1_000" as 1000; no other system does."""
    with pytest.raises(ValidationError, match="without underscores"):
        attribute_parser(DEFINITIONS[0])(raw)
