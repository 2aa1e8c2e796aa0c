"""A profile save refused because someone else saved first: keep the user's edits.

The profile form carries a signed copy of the values the user opened. Comparing it with
what the user submitted and with what is stored now tells, field by field, who changed
what: the user's edits are put on top of the current version, every other field takes the
stored value, and the fields someone else changed are listed (theirs and, where the user
changed it too, the user's). Saving that form again is checked against the current
version, so a further save in between is caught the same way.
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from django import forms
from django.core import signing
from django.http import QueryDict
from django.utils.text import Truncator

from contacts.attributes import to_canonical
from contacts.models import Contact
from contacts.selectors import CustomAttributeRow

if TYPE_CHECKING:  # the form imports this module
    from contacts.forms import ContactProfileForm

OPENED_SALT = "contacts.profile.opened"
SHOWN_CHARS = 200


def _as_text(value: object) -> str:
    """A profile value as the form shows and submits it ("" when not set)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def stored_texts(form: "ContactProfileForm") -> dict[str, str]:
    """Every editable value of the form's contact as stored, by field name."""
    texts = {name: _as_text(getattr(form.instance, name)) for name in form.Meta.fields}
    for row in form.custom_rows:
        texts[form.custom_field_name(row.definition.pk)] = row.value or ""
    return texts


def submitted_texts(form: "ContactProfileForm") -> dict[str, str]:
    """Every editable value of a valid form, in the shape stored_texts() gives."""
    data = form.cleaned_data
    texts = {name: _as_text(data.get(name)) for name in form.Meta.fields}
    for row in form.custom_rows:
        name = form.custom_field_name(row.definition.pk)
        texts[name] = to_canonical(data.get(name)) or ""
    return texts


def opened_token(form: "ContactProfileForm") -> str:
    """The signed copy of the values the form shows when opened."""
    contact = form.instance
    payload = {"contact": contact.pk, "version": contact.version, "values": stored_texts(form)}
    return signing.dumps(payload, salt=OPENED_SALT, compress=True)


def opened_texts(form: "ContactProfileForm") -> dict[str, str] | None:
    """The values the user opened, or None when they did not come back intact."""
    try:
        opened = signing.loads(form.data.get("opened") or "", salt=OPENED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(opened, dict) or opened.get("contact") != form.instance.pk:
        return None
    if opened.get("version") != form.cleaned_data.get("version"):
        return None
    values = opened.get("values")
    return values if isinstance(values, dict) else None


@dataclass(frozen=True)
class ChangedField:
    """A field someone else changed after the user opened the profile."""

    name: str
    label: str
    theirs: str
    # None when the user left the field as it was.
    yours: str | None


def _shown(field: forms.Field, text: str) -> str:
    if text == "":
        return "(empty)"
    choices = getattr(field, "choices", None)
    label = dict(choices).get(text, text) if choices else text
    return Truncator(str(label)).chars(SHOWN_CHARS)


def rebase_profile_form(
    form: "ContactProfileForm", *, contact: Contact, custom_rows: list[CustomAttributeRow]
) -> tuple["ContactProfileForm", list[ChangedField]]:
    """The user's valid but refused form, rebased on `contact` as stored now.

    Returns the new (bound) form and the fields someone else changed.
    """
    form_class = type(form)
    current = form_class(instance=contact, custom_rows=custom_rows)
    theirs = stored_texts(current)
    yours = submitted_texts(form)
    opened = opened_texts(form)
    data = cast(QueryDict, form.data).copy()  # a bound form's data: the POST QueryDict
    changed = []
    for name, their_text in theirs.items():
        # Without the opened values nobody can tell who changed what: every difference
        # counts as the user's edit, and is listed for the user to check.
        base = opened.get(name) if opened is not None else None
        seen = name in form.data and name in yours
        user_changed = seen and yours[name] != (their_text if base is None else base)
        they_changed = user_changed if base is None else their_text != base
        data[name] = form.data[name] if user_changed else their_text
        if they_changed and not (user_changed and yours[name] == their_text):
            field = current.fields[name]
            changed.append(
                ChangedField(
                    name=name,
                    label=str(field.label),
                    theirs=_shown(field, their_text),
                    yours=_shown(field, yours[name]) if user_changed else None,
                )
            )
    data["version"] = str(contact.version)
    data["opened"] = current.fields["opened"].initial
    return form_class(data, instance=contact, custom_rows=custom_rows), changed
