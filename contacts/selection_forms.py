"""The selection of a bulk action on All Contacts (delete, export): ticked rows or every
match of the filter, kept by a job as a core.selection.SavedSelection."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from contacts.models import Contact
from contacts.selectors import InvalidSelection, contact_max_id, contacts_in_selection
from core.selection import Selected


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_count: int, **kwargs: Any) -> None:
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        if len(value) > self.max_count:
            raise ValidationError(f"Select at most {self.max_count:,} contacts at a time.")
        try:
            ids = sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise ValidationError("The selection is not valid; reload the page.") from None
        if any(i < 1 or i > 2**63 - 1 for i in ids):
            raise ValidationError("The selection is not valid; reload the page.")
        return ids


# The most ticked rows a bulk action (delete, export) takes.
MAX_SELECTED = 1000


class ContactSelectionForm(forms.Form):
    """Exactly the contacts the user selected: ticked rows, or every row matching the filter."""

    ids = IdListField(max_count=MAX_SELECTED, required=False)
    select_all = forms.BooleanField(required=False)
    filter_query = forms.CharField(required=False, max_length=5000)
    # Contacts created after the page was shown are never part of "select all".
    max_id = forms.IntegerField(required=False, min_value=0, max_value=2**63 - 1)
    confirmed = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("select_all") and not data.get("ids"):
            raise ValidationError("Select at least one contact first.")
        if data.get("select_all"):
            if data.get("max_id") is None:  # no page was shown (a script): the contacts of now
                data["max_id"] = contact_max_id()
            try:
                data["selection"] = contacts_in_selection(
                    filter_query=data.get("filter_query") or "", max_contact_id=data.get("max_id")
                )
            except InvalidSelection:
                raise ValidationError(
                    "The filter of the selection is not valid; reload the page."
                ) from None
        return data

    def selection(self) -> QuerySet[Contact]:
        data = self.cleaned_data
        if data.get("select_all"):
            selection: QuerySet[Contact] = data["selection"]
            return selection
        return contacts_in_selection(filter_query="", max_contact_id=None, contact_ids=data["ids"])

    def saved(self) -> Selected:
        """The selection as a job row keeps it (core.selection): the filter for "all that
        match", else the ticked ids alone (the filter may name people and adds nothing)."""
        data = self.cleaned_data
        if data.get("select_all"):
            return Selected(data.get("filter_query") or "", data["max_id"], None)
        ids: list[int] = data["ids"]
        return Selected("", max(ids), ids)
