"""The rows of the export files. Events come as CSV from the database in batches
(exports.event_csv): memory stays flat.

Layout (docs/export-format.md): a contact export is a "long" table, one row per fact,
with the columns of CONTACT_HEADER; a list export has one row per contact.
"""

import json
from collections.abc import Callable
from datetime import datetime

from contacts.models import (
    CHANNEL_ADDRESSES,
    IDENTIFIER_ATTRIBUTES,
    PROFILE_ATTRIBUTES,
    PROFILE_LABELS,
    AddressStatus,
    AppData,
    AttributeDefinition,
    AttributeValue,
    Contact,
    Event,
    MemberAttributeValue,
    Membership,
    MembershipStatus,
    RelatedRecord,
    custom_attribute_name,
    member_attribute_name,
)
from contacts.selectors import contacts_in_selection
from exports.csvfile import CsvSink
from exports.event_csv import event_csv

CONTACT_HEADER = [
    *("Section", "Name", "Value", "Status", "Group", "Time", "Channel", "Message", "Address")
]
LIST_BATCH = 2_000

_STATUS_LABELS = dict(AddressStatus.choices)
_MEMBERSHIP_LABELS = dict(MembershipStatus.choices)

Progress = Callable[[int], None]


class ContactMissing(Exception):
    def __init__(self, contact_id: int | None):
        super().__init__(self.message(contact_id))

    @staticmethod
    def message(contact_id: int | None) -> str:
        if contact_id is None:  # a contact export whose row names no contact
            return "This export names no contact: request it again from the contact."
        return (
            f"Contact ID {contact_id} no longer exists: it was deleted or anonymized "
            "after the export was requested."
        )


def contact_event_count(contact_id: int) -> int:
    return Event.objects.filter(contact_id=contact_id).count()


def write_contact(sink: CsvSink, contact: Contact, progress: Progress) -> int:
    """Write every fact of one contact; returns the number of rows."""
    rows = 0

    def fact(
        section: str,
        name: str,
        value: object = "",
        status: str = "",
        group: str = "",
        time: datetime | None = None,
        channel: str = "",
    ) -> None:
        nonlocal rows
        sink.row([section, name, value, status, group, time, channel, "", ""])
        rows += 1

    sink.row(CONTACT_HEADER)
    fact("Contact", "user.UserId", contact.pk)
    fact("Contact", "Identifier type", contact.get_identifier_type_display())
    if contact.external_id:
        fact("Contact", "user.Identifier", contact.external_id)
    fact("Contact", "Created", time=contact.created_at)
    fact("Contact", "Updated", time=contact.updated_at)
    for address in CHANNEL_ADDRESSES:
        value = getattr(contact, address.name)
        if value:
            status = _STATUS_LABELS[getattr(contact, address.status_field)]
            channel = address.channel.label
            fact("Channel address", address.export_name, value, status=status, channel=channel)
    for export_name, field in PROFILE_ATTRIBUTES:
        value = getattr(contact, field)
        if value not in (None, ""):
            display = getattr(contact, f"get_{field}_display", None)
            fact("Attribute", export_name, display() if display else value)
    custom = AttributeValue.objects.filter(contact=contact).values_list("definition__name", "value")
    for name, value in custom.order_by("definition__name"):
        fact("Custom attribute", custom_attribute_name(name), value)
    memberships = Membership.objects.filter(contact=contact).select_related("group")
    for membership in memberships.order_by("group__name"):
        test = "Test recipient" if membership.is_test_recipient else ""
        fact(
            "Membership",
            "Membership",
            test,
            status=membership.get_status_display(),
            group=membership.group.name,
            time=membership.subscribed_at,
        )
    member_values = MemberAttributeValue.objects.filter(membership__contact=contact).values_list(
        "membership__group__name", "definition__name", "value"
    )
    for group, name, value in member_values.order_by("membership__group__name", "definition__name"):
        fact("Member attribute", member_attribute_name(name), value, group=group)
    for table, values in RelatedRecord.objects.filter(contact=contact).values_list(
        "table_name", "values"
    ):
        fact("Related data", table, json.dumps(values, ensure_ascii=False, sort_keys=True))
    app = AppData.objects.filter(contact=contact).first()
    if app is not None:
        fact("Mobile app", "Push opt-in date", time=app.push_opt_in_at)
        fact("Mobile app", "Push opt-out date", time=app.push_opt_out_at)
        fact("Mobile app", "Last app open", time=app.last_app_open_at)
    # Progress counts the events, of which the job knows the total in advance.
    events = 0
    progress(events)
    for data, count in event_csv(contact.pk):
        sink.lines(data)
        events += count
        progress(events)
    sink.flush()
    return rows + events


# The statuses of the channel addresses, named as on the profile ("Email status", ...):
# (column, address field, status field).
ADDRESS_STATUSES = [
    (PROFILE_LABELS[a.status_field], a.name, a.status_field) for a in CHANNEL_ADDRESSES
]
MEMBERSHIPS_COLUMN = "Group memberships"


def list_header(definitions: list[AttributeDefinition]) -> list[str]:
    names = ["user.UserId", "Identifier type"] + [name for name, _ in IDENTIFIER_ATTRIBUTES]
    names += [name for name, _, _ in ADDRESS_STATUSES] + [name for name, _ in PROFILE_ATTRIBUTES]
    names += [custom_attribute_name(d.name) for d in definitions]
    return names + [MEMBERSHIPS_COLUMN, "Created"]


def memberships_cell(memberships: list[tuple[str, str]]) -> str:
    """The groups of a contact as the import reads them back: {"Group": "Status", ...}."""
    if not memberships:
        return ""
    return json.dumps(dict(sorted(memberships)), ensure_ascii=False)


def write_contact_list(
    sink: CsvSink,
    filter_query: str,
    max_id: int | None,
    progress: Progress,
    contact_ids: list[int] | None = None,
) -> int:
    """One row per contact of the saved selection (core.selection), in Contact ID order."""
    contacts = contacts_in_selection(
        filter_query=filter_query, max_contact_id=max_id, contact_ids=contact_ids
    )
    definitions = list(AttributeDefinition.objects.order_by("name"))
    sink.row(list_header(definitions))
    rows, last_id = 0, 0
    while True:
        batch = list(contacts.filter(pk__gt=last_id).order_by("pk")[:LIST_BATCH])
        if not batch:
            break
        values: dict[tuple[int, int], str] = {
            (c, d): v
            for c, d, v in AttributeValue.objects.filter(contact__in=batch).values_list(
                "contact_id", "definition_id", "value"
            )
        }
        groups: dict[int, list[tuple[str, str]]] = {}
        for contact_id, group, status in Membership.objects.filter(contact__in=batch).values_list(
            "contact_id", "group__name", "status"
        ):
            groups.setdefault(contact_id, []).append((group, _MEMBERSHIP_LABELS[status]))
        for contact in batch:
            identifiers = [_display(contact, field) for _, field in IDENTIFIER_ATTRIBUTES]
            # A status only for an address the contact has (the field keeps its default).
            statuses = [
                _display(contact, status) if getattr(contact, address) else ""
                for _, address, status in ADDRESS_STATUSES
            ]
            standard = [_display(contact, field) for _, field in PROFILE_ATTRIBUTES]
            custom = [values.get((contact.pk, d.pk), "") for d in definitions]
            sink.row(
                [contact.pk, contact.get_identifier_type_display(), *identifiers, *statuses]
                + [*standard, *custom, memberships_cell(groups.get(contact.pk, []))]
                + [contact.created_at]
            )
        rows += len(batch)
        last_id = batch[-1].pk
        progress(rows)
    sink.flush()
    return rows


def _display(contact: Contact, field: str) -> object:
    value = getattr(contact, field)
    display = getattr(contact, f"get_{field}_display", None)
    return display() if display and value else value
