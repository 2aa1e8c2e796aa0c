"""Typed values of custom and member attributes, stored as canonical text."""

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from contacts.models import AttributeType, AttributeValue, MemberAttributeValue
from contacts.models.attributes import AttributeDefinitionBase
from core.widgets import FixedChoices, IsoDateField, NumberTextInput

STRING_MAX_LENGTH = 2000
NUMBER_MAX_DIGITS = 30
NUMBER_DECIMAL_PLACES = 10
NUMBER_HINT = "Enter a number, e.g. 42 or -12.5, with a point as the decimal separator"
NUMBER_SIZE = (
    f"Enter a number with at most {NUMBER_MAX_DIGITS - NUMBER_DECIMAL_PLACES} digits before "
    f"the decimal point and {NUMBER_DECIMAL_PLACES} after it."
)

_Definition = TypeVar("_Definition", bound=AttributeDefinitionBase)
# A stored value of a custom attribute (of a contact) or a member attribute (of a membership).
AttributeValueRow = AttributeValue | MemberAttributeValue

_BOOLEAN_CHOICES = FixedChoices([("", "Not set"), ("true", "Yes"), ("false", "No")])


class NumberField(forms.DecimalField):
    """A number as the product writes it: Python's Decimal also reads "1_000" (digit
    grouping in source code), which no other system reads as 1000, so it is refused.

    Typed in a text box (NumberTextInput): what the user typed reaches this rule, the one
    of forms, import and API, and its messages say what a number is.
    """

    widget = NumberTextInput
    default_error_messages = {
        "invalid": f"{NUMBER_HINT} and no thousands separators.",
        "max_digits": NUMBER_SIZE,
        "max_decimal_places": NUMBER_SIZE,
        "max_whole_digits": NUMBER_SIZE,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=NUMBER_MAX_DIGITS, decimal_places=NUMBER_DECIMAL_PLACES, **kwargs
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # as DecimalField's
        if isinstance(value, str) and "_" in value:
            raise ValidationError("Enter a number without underscores, e.g. 1000.", code="invalid")
        return super().to_python(value)


def attribute_form_field(
    definition: AttributeDefinitionBase, *, kept: str | None = None, **kwargs: Any
) -> forms.Field:
    """The form field that edits a value of this definition (empty means "not set").

    `kept`: the stored value, offered as it is when it left the allowed values after it was
    stored (the admin refuses that now), so that a save of another field keeps it.
    """
    kwargs.setdefault("required", False)
    kwargs.setdefault("label", definition.name)
    allowed = definition.allowed_value_list
    if allowed and definition.data_type != AttributeType.BOOLEAN:
        stale = [(kept, f"{kept} (no longer allowed)")] if kept and kept not in allowed else []
        choices = FixedChoices([("", "Not set"), *[(v, v) for v in allowed], *stale])
        return forms.ChoiceField(choices=choices, **kwargs)
    if definition.data_type == AttributeType.NUMBER:
        return NumberField(**kwargs)
    if definition.data_type == AttributeType.DATE:
        return IsoDateField(**kwargs)
    if definition.data_type == AttributeType.BOOLEAN:
        return forms.ChoiceField(choices=_BOOLEAN_CHOICES, **kwargs)
    return forms.CharField(max_length=STRING_MAX_LENGTH, **kwargs)


def to_canonical(value: object) -> str | None:
    """Cleaned form value -> stored text; None means remove the value."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if text != "-0" else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_attribute_value(definition: AttributeDefinitionBase, raw: str | None) -> str | None:
    """Validate raw text against the definition's type; return the canonical text."""
    if raw is None:
        return None
    try:
        return attribute_parser(definition)(raw)
    except ValidationError as exc:
        raise ValidationError(f"{definition.name}: {' '.join(exc.messages)}") from None


def attribute_parser(definition: AttributeDefinitionBase) -> Callable[[str], str | None]:
    """The rule of one attribute as a function, built once for many values (an import):
    raw text -> canonical text (None for an empty value), or ValidationError."""
    field = attribute_form_field(definition)
    fast = _fast_path(definition)

    def parse(raw: str) -> str | None:
        if fast is not None:
            value = fast(raw)
            if value is not None:
                return value
        return to_canonical(field.clean(raw))

    return parse


# Values whose form field would accept them as they are, recognised in one step (the form
# field costs several microseconds a value, too much for a million rows). Anything else,
# including every value the field refuses, still goes through the field: the fast path only
# answers where it gives the field's own answer (tests/contacts/test_attributes.py).
_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,10})?")
_PLAIN_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,19})")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _fast_path(definition: AttributeDefinitionBase) -> Callable[[str], str | None] | None:
    allowed = definition.allowed_value_list
    if allowed and definition.data_type != AttributeType.BOOLEAN:
        allowed_set = frozenset(allowed)
        return lambda raw: raw if raw in allowed_set else None
    if definition.data_type == AttributeType.NUMBER:
        return _fast_number
    if definition.data_type == AttributeType.DATE:
        return _fast_date
    if definition.data_type == AttributeType.BOOLEAN:
        return lambda raw: raw if raw in ("true", "false") else None
    return _fast_string


def _fast_number(raw: str) -> str | None:
    if _PLAIN_INTEGER.fullmatch(raw) and raw != "-0":
        return raw  # already canonical
    return to_canonical(Decimal(raw)) if _PLAIN_NUMBER.fullmatch(raw) else None


def _fast_date(raw: str) -> str | None:
    if not _PLAIN_DATE.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        return None


def _fast_string(raw: str) -> str | None:
    value = raw.strip()
    if value and len(value) <= STRING_MAX_LENGTH and "\x00" not in value:
        return value
    return None


def apply_attribute_values(
    *,
    definitions: Mapping[int, _Definition],
    current: Mapping[int, AttributeValueRow],
    values: Mapping[int, str | None],
    create: Callable[[_Definition, str], object],
) -> list[str]:
    """Create, change or remove value rows so they match `values` (definition id -> raw text).

    `current` maps definition id -> existing value row; `create(definition, value)` adds one.
    Returns the names of the attributes that changed.
    """
    changed = []
    for definition_id, raw in values.items():
        definition = definitions.get(definition_id)
        if definition is None:
            continue
        value = parse_attribute_value(definition, raw)
        existing = current.get(definition_id)
        if existing is None:
            if value is None:
                continue
            create(definition, value)
        elif value is None:
            existing.delete()
        elif existing.value != value:
            existing.value = value
            existing.save(update_fields=["value"])
        else:
            continue
        changed.append(definition.name)
    return changed
