from datetime import timedelta

from django import forms
from django.utils import timezone

from core.widgets import IsoDateField

ACCESS_CHOICES = [("read_only", "Read-only"), ("read_write", "Read and write")]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “Shop sign-up form”."
    )
    expires_on = IsoDateField(
        label="Last day", help_text="The token works until the end of this day, then expires."
    )
    access = forms.ChoiceField(
        label="Access",
        choices=ACCESS_CHOICES,
        initial="read_only",
        widget=forms.RadioSelect,
        help_text="Either way, the token can never do more than your role allows.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)
