"""The one list of a contact's standard fields: the profile form, the export files and the
model agree with it."""

import pytest

from contacts.forms import ContactProfileForm
from contacts.models import PROFILE_FIELD_NAMES, PROFILE_LABELS, Contact
from exports.builders import list_header
from tests.factories import ContactFactory

# Set by the app, never typed: not on the profile.
NOT_ON_THE_PROFILE = {"id", "created_at", "updated_at", "version"}


def test_every_contact_field_a_user_types_is_in_the_list():
    typed = {field.name for field in Contact._meta.concrete_fields} - NOT_ON_THE_PROFILE
    assert set(PROFILE_FIELD_NAMES) == typed


@pytest.mark.django_db
def test_the_profile_form_edits_the_listed_fields_under_their_names_on_screen():
    form = ContactProfileForm(instance=ContactFactory(), custom_rows=[])
    labels = {name: str(form[name].label) for name in form.editable_names()}
    assert labels == PROFILE_LABELS


def test_the_list_export_names_the_standard_attributes_as_the_product_does():
    assert list_header([]) == [
        "user.UserId",
        "Identifier type",
        "user.Email",
        "user.MobileNumber",
        "user.FaxNumber",
        "user.Identifier",
        "Email status",
        "Mobile Number status",
        "Mobile App Alias status",
        "user.FirstName",
        "user.LastName",
        "user.Nickname",
        "user.Title",
        "user.Gender",
        "user.DateOfBirth",
        "user.ISOCountryCode",
        "user.ISOLanguageCode",
        "user.ZipCode",
        "user.TimeZone",
        "user.PartnerId",
        "Group memberships",
        "Created",
    ]
