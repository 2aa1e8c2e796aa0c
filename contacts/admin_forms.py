"""The admin's forms of custom and member attribute definitions (contacts.definition_rules)."""

from typing import Any

from django import forms
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.forms.formsets import DELETION_FIELD_NAME

from contacts.definition_rules import definition_checked
from contacts.models import AttributeDefinition, MemberAttributeDefinition
from contacts.models.attributes import AttributeDefinitionBase
from contacts.models.groups import MEMBER_ATTRIBUTE_NAME_TAKEN


class DefinitionRules(forms.ModelForm):  # type: ignore[type-arg]
    instance: AttributeDefinitionBase

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        data_type = cleaned.get("data_type")
        if data_type is None or "allowed_values" not in cleaned:
            return cleaned
        try:
            cleaned["allowed_values"] = definition_checked(
                self.instance, data_type=data_type, allowed_values=cleaned["allowed_values"]
            )
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class AttributeDefinitionForm(DefinitionRules):
    class Meta:
        model = AttributeDefinition
        fields = ["name", "data_type", "allowed_values", "channel", "description"]


class MemberAttributeDefinitionForm(DefinitionRules):
    class Meta:
        model = MemberAttributeDefinition
        fields = ["group", "name", "data_type", "allowed_values", "description"]


class MemberAttributeFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """A group's member attributes on the group's page: a name once in the group, in any
    capitals. Django leaves the group out of each row's checks (it may not exist yet), so
    the unique index refused a clash with a 500; this rule compares the names the rows
    will have, with each other and with the group's other attributes."""

    def clean(self) -> None:
        super().clean()
        rows = self._named_rows()
        holders: dict[str, forms.ModelForm] = {}  # type: ignore[type-arg]
        # Unchanged rows hold their names; of the others, the first to take a name does.
        for form in sorted(rows, key=lambda form: _is_edited(form)):
            holders.setdefault(_key(form), form)
        taken = self._names_of_others()
        for form in rows:
            if holders[_key(form)] is not form or _key(form) in taken:
                form.add_error("name", MEMBER_ATTRIBUTE_NAME_TAKEN)

    def save_existing_objects(self, commit: bool = True) -> list[Any]:
        if commit:
            self._free_taken_names()
        saved: list[Any] = super().save_existing_objects(commit)
        return saved

    def _named_rows(self) -> list[forms.ModelForm]:  # type: ignore[type-arg]
        """The rows kept with a valid name (not an empty one added, not one to delete)."""
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", {}).get("name") and not self._deleted(form)
        ]

    def _deleted(self, form: forms.ModelForm) -> bool:  # type: ignore[type-arg]
        """Whether the row is ticked Delete (BaseFormSet._should_delete_form)."""
        return self.can_delete and bool(form.cleaned_data.get(DELETION_FIELD_NAME))

    def _names_of_others(self) -> set[str]:
        """The names of the group's attributes that no row shows (added since the page
        was opened), in small letters."""
        if self.instance.pk is None:
            return set()
        shown = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        others = MemberAttributeDefinition.objects.filter(group=self.instance)
        names = others.exclude(pk__in=shown).values_list("name", flat=True)
        return {name.lower() for name in names}

    def _free_taken_names(self) -> None:
        """Rows are written one by one, and the unique index checks each statement: a
        row renamed to the name of a row deleted or renamed after it (two names swapped)
        clashed half way. Those rows first get a name no attribute can have ("~" and the
        id: a name starts with a letter)."""
        wanted = {_key(form) for form in self._named_rows() if _is_edited(form)}
        leaving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk
            and str(form.initial.get("name", "")).lower() in wanted
            and (self._deleted(form) or "name" in form.changed_data)
        ]
        if leaving:
            temporary = Concat(Value("~"), Cast("pk", output_field=CharField()))
            MemberAttributeDefinition.objects.filter(pk__in=leaving).update(name=temporary)


def _key(form: forms.ModelForm) -> str:  # type: ignore[type-arg]
    return str(form.cleaned_data["name"]).lower()


def _is_edited(form: forms.ModelForm) -> bool:  # type: ignore[type-arg]
    """A new row, or one renamed."""
    return form.instance.pk is None or "name" in form.changed_data
