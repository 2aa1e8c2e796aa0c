"""What a custom or member attribute's definition may become.

Its allowed values are values of its type (a Number attribute cannot offer "abc"), and a
change of its type or its list may not leave a stored value that the new definition
refuses: a profile holding it could no longer be saved (a number in a date field), or its
select would show "Not set" and the next save, of any other field, would remove it.
"""

from django.core.exceptions import ValidationError

from contacts.attributes import attribute_parser
from contacts.models import AttributeDefinition, AttributeType, MemberAttributeDefinition
from contacts.models.attributes import AttributeDefinitionBase

# The refused values a message names, and how many distinct values it counts at most.
_SHOWN = 5
_COUNTED = 1000


def definition_checked(
    definition: AttributeDefinitionBase, *, data_type: str, allowed_values: str
) -> str:
    """The allowed values of `definition` (stored, or new and unsaved) with this type, as
    they are stored; else a ValidationError on "allowed_values" or "data_type". The one rule
    of the admin's forms and the API's writes."""
    lines = [line.strip() for line in allowed_values.splitlines() if line.strip()]
    try:
        allowed = allowed_values_of_type(data_type, lines)
    except ValidationError as exc:
        raise ValidationError({"allowed_values": exc.messages}) from None
    changed = (data_type, allowed) != (definition.data_type, definition.allowed_value_list)
    if definition.pk is not None and changed:
        problem = stored_values_refused(definition, data_type=data_type, allowed=allowed)
        if problem:
            raise ValidationError({"allowed_values" if allowed else "data_type": problem})
    return "\n".join(allowed)


def allowed_values_of_type(data_type: str, lines: list[str]) -> list[str]:
    """The allowed values as stored (numbers and dates in canonical form, repeats left
    out), or a ValidationError naming those that are not of the type."""
    if not lines:
        return []
    if data_type == AttributeType.BOOLEAN:
        raise ValidationError("A Boolean attribute is Yes or No: leave Allowed values empty.")
    parse = attribute_parser(AttributeDefinition(data_type=data_type))
    canonical, refused = [], []
    for line in lines:
        try:
            value = parse(line)
        except ValidationError:
            refused.append(line)
            continue
        if value is not None and value not in canonical:
            canonical.append(value)
    if refused:
        label = AttributeType(data_type).label.lower()
        raise ValidationError(f"Not a {label}: {_quoted(refused)}.")
    return canonical


def stored_values_refused(
    definition: AttributeDefinitionBase, *, data_type: str, allowed: list[str]
) -> str | None:
    """Why the stored values of `definition` forbid this type and list, or None."""
    values = definition.values  # type: ignore[attr-defined]  # both concrete models have it
    if allowed:
        candidates = values.exclude(value__in=allowed)
    elif data_type in (AttributeType.STRING, definition.data_type):
        return None  # any stored text is a string; the type stays and the list goes
    else:
        candidates = values.all()
    # With a list, every candidate is refused (not in it, whatever its type); without one,
    # those the type refuses.
    parse = None if allowed else attribute_parser(AttributeDefinition(data_type=data_type))
    refused: list[str] = []
    distinct = candidates.order_by("value").values_list("value", flat=True).distinct()
    for value in distinct.iterator():
        if parse is not None:
            try:
                parse(value)
                continue
            except ValidationError:
                pass
        refused.append(value)
        if len(refused) == _COUNTED:
            break
    if not refused:
        return None
    holders = values.filter(value__in=refused).count()
    more = "at least " if len(refused) == _COUNTED else ""
    noun = "membership" if isinstance(definition, MemberAttributeDefinition) else "contact"
    what = "this list" if allowed else f"the type {AttributeType(data_type).label}"
    message = (
        f"{more}{holders:,} {noun}{'' if holders == 1 else 's'} "
        f"{'holds' if holders == 1 else 'hold'} a value that {what} refuses: "
        f"{_quoted(refused)}. Change or remove those values first (an import can), "
        "or keep them allowed."
    )
    return message[0].upper() + message[1:]


def _quoted(values: list[str]) -> str:
    shown = ", ".join(f"“{value[:40]}”" for value in values[:_SHOWN])
    return shown + (f" and {len(values) - _SHOWN:,} more" if len(values) > _SHOWN else "")
