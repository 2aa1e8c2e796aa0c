"""The admin's forms of custom and member attribute definitions (contacts.definition_rules)."""

from typing import Any

from django import forms

from contacts.definition_rules import definition_checked
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
