"""JSON changes of a contact through the Contact Profile form: the screen's rules, once."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from contacts.forms import ContactProfileForm
from contacts.models import Contact
from contacts.selectors import CustomAttributeRow


class ProfileChanges:
    """The Contact Profile form bound to the stored values with `changes` on top.

    After is_valid(), `model_changes` and `custom_changes` are what the service applies;
    `errors` are keyed by the API's names ("custom_attributes.Tier" for a custom one).
    """

    def __init__(
        self, *, contact: Contact, rows: list[CustomAttributeRow], changes: Mapping[str, Any]
    ) -> None:
        self.rows = rows
        self.unknown: list[str] = []
        # One form: its data starts as what it shows for the stored contact (filled in
        # after construction, from its own initial values), with the changes on top.
        data: dict[str, str] = {}
        self.form = ContactProfileForm(data, instance=contact, custom_rows=rows)
        for name in self.form.editable_names():
            data[name] = _text(self.form[name].initial)
        data["version"] = str(contact.version)
        by_name = {row.definition.name.lower(): row.definition.pk for row in rows}
        for name, value in dict(changes.get("custom_attributes") or {}).items():
            definition_id = by_name.get(name.lower())
            if definition_id is None:
                self.unknown.append(name)
            else:
                data[ContactProfileForm.custom_field_name(definition_id)] = _text(value)
        for name, value in changes.items():
            if name != "custom_attributes":
                data[name] = _text(value)

    def is_valid(self) -> bool:
        return not self.unknown and self.form.is_valid()

    @property
    def errors(self) -> dict[str, list[str]]:
        names = {
            ContactProfileForm.custom_field_name(row.definition.pk): row.definition.name
            for row in self.rows
        }
        errors: dict[str, list[str]] = {
            f"custom_attributes.{name}": ["There is no custom attribute with this name."]
            for name in self.unknown
        }
        if self.unknown:
            return errors
        for field, messages in self.form.errors.items():
            key = f"custom_attributes.{names[field]}" if field in names else field
            errors[key] = [str(m) for m in messages]
        return errors

    def model_changes(self) -> dict[str, Any]:
        return self.form.model_changes()

    def custom_changes(self) -> dict[int, str | None]:
        return self.form.custom_changes()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
