"""The two forms of an import: the upload (step 1) and the mapping of a draft (step 2)."""

from collections.abc import Collection, Sequence
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.template.defaultfilters import filesizeformat

from contacts.models import Group
from imports.mapping import CUSTOM_PREFIX, IDENTIFIER_TARGETS, target_choices, target_label
from imports.models import EmptyCells, ImportMode, MatchOn
from imports.reading import DELIMITER_NAMES, ENCODING_NAMES, QUOTECHAR_NAMES

# The choices of the mapping page, in the words a spreadsheet uses for them.
ENCODINGS = list(ENCODING_NAMES.items())
DELIMITERS = list(DELIMITER_NAMES.items())
QUOTECHARS = list(QUOTECHAR_NAMES.items())
ACCEPTED_FILES = ".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values"
COLUMN_PREFIX = "column_"
CREATE_PREFIX = "create_"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,  # the service explains an empty file in the product's words
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, max_bytes: int, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = whole_size(max_bytes)
        help_text = f"A CSV or text file whose first row names the columns, up to {limit}."
        self.fields["file"].help_text = help_text
        cast("forms.ModelChoiceField[Group]", self.fields["group"]).queryset = groups


def whole_size(size: int) -> str:
    """A size as filesizeformat says it, without a ".0": "200 MB", not "200.0 MB"."""
    return filesizeformat(size).replace(".0\xa0", "\xa0")


def _with(choices: list[tuple[str, str]], value: str, label: str) -> list[tuple[str, str]]:
    """The choices, plus `value` if the file detection found one the list lacks."""
    if value and value not in {v for v, _ in choices}:
        return [*choices, (value, label)]
    return choices


class ImportMappingForm(forms.Form):
    """The mapping page: how to read the file, what each column is, and how to import it.

    One select per column of the file (`column_<n>`); an unknown custom attribute that a
    column names gets a `create_<n>` checkbox for a user who may create attributes.
    """

    encoding = forms.ChoiceField(label="Encoding", choices=ENCODINGS)
    delimiter = forms.ChoiceField(label="Delimiter", choices=DELIMITERS)
    quotechar = forms.ChoiceField(label="Quote character", choices=QUOTECHARS)
    match_on = forms.ChoiceField(
        label="Match on",
        choices=MatchOn.choices,
        help_text="A row whose value here a contact already has updates that contact.",
    )
    mode = forms.ChoiceField(
        label="Mode",
        choices=ImportMode.choices,
        initial=ImportMode.CREATE_UPDATE,
        widget=forms.RadioSelect,
    )
    empty_cells = forms.ChoiceField(
        label="Empty cells",
        choices=EmptyCells.choices,
        initial=EmptyCells.KEEP,
        widget=forms.RadioSelect,
    )
    group = forms.ModelChoiceField(
        label="Group",
        queryset=Group.objects.none(),
        required=False,
        empty_label="No group",
        help_text="Every imported contact becomes an Active member of this group.",
    )
    skip_existing_members = forms.BooleanField(
        label="Skip contacts that are already members", required=False
    )
    skip_inactive_members = forms.BooleanField(
        label="Skip contacts whose membership is Deactivated or unsubscribed", required=False
    )

    def __init__(
        self,
        *args: Any,
        header: Sequence[str],
        suggested: Sequence[str],
        custom_names: Collection[str],
        member_names: Collection[str],
        groups: QuerySet[Group],
        can_create_attributes: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.header = list(header)
        cast("forms.ModelChoiceField[Group]", self.fields["group"]).queryset = groups
        for name, choices in (
            ("encoding", ENCODINGS),
            ("delimiter", DELIMITERS),
            ("quotechar", QUOTECHARS),
        ):
            value = str(self.initial.get(name) or "")
            field = cast("forms.ChoiceField", self.fields[name])
            field.choices = _with(choices, value, value)
        known = target_choices(custom_names=custom_names, member_names=member_names)
        self.unknown: dict[int, str] = {}
        for number, title in enumerate(self.header):
            target = suggested[number] if number < len(suggested) else ""
            choices = [("", "Ignore"), *[c for c in known if c[0] != ""]]
            if target and target not in {value for value, _ in choices}:
                # Named in the file, unknown here: shown as such, never silently dropped.
                if target.startswith(CUSTOM_PREFIX):
                    self.unknown[number] = target.removeprefix(CUSTOM_PREFIX)
                choices.append((target, f"{target_label(target)}, unknown"))
            self.fields[f"{COLUMN_PREFIX}{number}"] = forms.ChoiceField(
                label=title or f"Column {number + 1}",
                choices=choices,
                initial=target,
                required=False,
            )
        if can_create_attributes:
            for number, name in self.unknown.items():
                self.fields[f"{CREATE_PREFIX}{number}"] = forms.BooleanField(
                    label=f"Create the custom attribute “{name}” (text)", required=False
                )
        if "match_on" not in self.initial:
            mapped = [t for t in suggested if t in IDENTIFIER_TARGETS]
            self.initial["match_on"] = mapped[0] if mapped else MatchOn.EMAIL

    # -- for the template ---------------------------------------------------------------------

    def column_fields(self) -> list[BoundField]:
        return [self[f"{COLUMN_PREFIX}{n}"] for n in range(len(self.header))]

    def create_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if name.startswith(CREATE_PREFIX)]

    def unknown_names(self) -> list[str]:
        return list(self.unknown.values())

    def dialect_fields(self) -> list[BoundField]:
        return [self["encoding"], self["delimiter"], self["quotechar"]]

    # -- for the view -------------------------------------------------------------------------

    def mapping(self) -> list[str]:
        return [self.cleaned_data[f"{COLUMN_PREFIX}{n}"] for n in range(len(self.header))]

    def create_attributes(self) -> list[str]:
        return [
            name
            for number, name in self.unknown.items()
            if self.cleaned_data.get(f"{CREATE_PREFIX}{number}")
            and self.cleaned_data.get(f"{COLUMN_PREFIX}{number}") == CUSTOM_PREFIX + name
        ]

    def start_arguments(self) -> dict[str, Any]:
        """The keyword arguments of imports.services.import_start that this form decides."""
        data = self.cleaned_data
        return {
            "encoding": data["encoding"],
            "delimiter": data["delimiter"],
            "quotechar": data["quotechar"],
            "mapping": self.mapping(),
            "match_on": data["match_on"],
            "mode": data["mode"],
            "empty_cells": data["empty_cells"],
            "group": data["group"],
            "skip_existing_members": data["skip_existing_members"],
            "skip_inactive_members": data["skip_inactive_members"],
            "create_attributes": self.create_attributes(),
        }
