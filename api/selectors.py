"""Reads of the API: the All Contacts filter with exact look-ups, tokens, definitions."""

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from api.models import ApiToken
from contacts import selectors
from contacts.filters import ContactFilter
from contacts.models import AttributeDefinition, Contact, MemberAttributeDefinition
from contacts.selectors import CustomAttributeRow
from contacts.services import normalize_identifier
from core.collation import in_reading_order

# Exact look-ups by identifier (the API's `email` is exact; the screen's begins-with
# search of an address stays reachable through `q`).
LOOKUPS = ("email", "mobile_number", "app_alias", "external_id")
# Paging and sorting parameters: not filters.
NOT_FILTERS = ("sort", "page_size", "after", "before", "format")


def contacts_matching(params: QueryDict) -> QuerySet[Contact]:
    """The contacts matching the All Contacts filter and the exact look-ups in `params`.

    Raises ValidationError (per parameter) for a value that cannot be a filter.
    """
    data = params.copy()
    lookups = {name: data.pop(name)[-1] for name in LOOKUPS if name in data}
    for name in NOT_FILTERS:
        data.pop(name, None)
    filterset = ContactFilter(data, queryset=Contact.objects.all())
    if not filterset.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        )
    contacts = filterset.qs
    for name, raw in lookups.items():
        contacts = _exact(contacts, name, raw)
    return contacts


def _exact(contacts: QuerySet[Contact], name: str, raw: str) -> QuerySet[Contact]:
    if "\x00" in raw:  # PostgreSQL text never holds one; said as the forms say it
        raise ValidationError({name: ["Null characters are not allowed."]})
    if name == "external_id":
        return contacts.filter(external_id=raw)
    try:
        value = normalize_identifier(field=name, value=raw)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None
    if value is None:
        return contacts.none()
    found = selectors.contact_find_by_identifier(field=name, value=value)
    return contacts.filter(pk=found.pk) if found is not None else contacts.none()


def custom_attribute_rows(contact: Contact | None) -> list[CustomAttributeRow]:
    """The custom attributes with the contact's values (None: a contact not yet created)."""
    if contact is None:
        return [CustomAttributeRow(definition=d, value=None) for d in attribute_definitions()]
    return selectors.contact_custom_attributes(contact=contact)


def attribute_definitions() -> QuerySet[AttributeDefinition]:
    return AttributeDefinition.objects.order_by(in_reading_order("name"))


def member_attribute_definitions(group_id: int) -> QuerySet[MemberAttributeDefinition]:
    return MemberAttributeDefinition.objects.filter(group_id=group_id).order_by(
        in_reading_order("name")
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def active_token_count(user: User) -> int:
    """Tokens that still work: a password change does not end them (they are credentials
    of their own, for scripts), so the password page says how many there are."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()


def by_name_ci(names: Mapping[str, object], known: list[str]) -> dict[str, str | None]:
    """Map each given name to the known name it means (any case); None for an unknown one."""
    lower = {name.lower(): name for name in known}
    return {name: lower.get(name.lower()) for name in names}
