"""The admin's forms of custom and member attribute definitions (contacts.definition_rules)."""

from typing import Any

from django import forms

from contacts.definition_rules import allowed_values_of_type, stored_values_refused
from contacts.models import AttributeDefinition, MemberAttributeDefinition
from contacts.models.attributes import AttributeDefinitionBase


class DefinitionRules(forms.ModelForm):  # type: ignore[type-arg]
    instance: AttributeDefinitionBase

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        data_type = cleaned.get("data_type")
        if data_type is None or "allowed_values" not in cleaned:
            return cleaned
        lines = [line.strip() for line in cleaned["allowed_values"].splitlines() if line.strip()]
        try:
            allowed = allowed_values_of_type(data_type, lines)
        except forms.ValidationError as exc:
            self.add_error("allowed_values", exc)
            return cleaned
        cleaned["allowed_values"] = "\n".join(allowed)
        old = self.instance
        if old.pk is None or (data_type, allowed) == (old.data_type, old.allowed_value_list):
            return cleaned
        problem = stored_values_refused(old, data_type=data_type, allowed=allowed)
        if problem:
            self.add_error("allowed_values" if allowed else "data_type", problem)
        return cleaned


class AttributeDefinitionForm(DefinitionRules):
    class Meta:
        model = AttributeDefinition
        fields = ["name", "data_type", "allowed_values", "channel", "description"]


class MemberAttributeDefinitionForm(DefinitionRules):
    class Meta:
        model = MemberAttributeDefinition
        fields = ["group", "name", "data_type", "allowed_values", "description"]
