"""Time zones are offered and accepted by their canonical IANA names only (no US/Alaska,
UCT, W-SU, Zulu beside America/Anchorage, UTC, Europe/Moscow); a zone stored under an old
name is shown and kept until someone chooses another."""

import pytest
from django.core.exceptions import ValidationError

from contacts.models import Contact
from contacts.validation import normalize_time_zone, time_zone_choices
from core import widgets
from tests.contacts.test_profile_views import _profile_data
from tests.factories import ContactFactory

OLD_NAMES = ["UCT", "US/Alaska", "W-SU", "Zulu", "Etc/GMT+1", "GB", "Universal"]


def test_only_canonical_zones_are_offered():
    names = {name for name, _ in time_zone_choices()}
    assert {"UTC", "Europe/Berlin", "America/Anchorage", "America/Argentina/Buenos_Aires"} <= names
    assert not names & set(OLD_NAMES)
    assert all(name == "UTC" or "/" in name for name in names)


@pytest.mark.parametrize("name", OLD_NAMES)
def test_an_old_name_is_refused_with_what_to_enter(name):
    with pytest.raises(ValidationError, match="is an old name of a time zone: enter its IANA"):
        normalize_time_zone(name)


@pytest.mark.django_db
def test_a_stored_old_zone_is_shown_and_kept_by_a_save_of_another_field(
    marketer_client, monkeypatch
):
    monkeypatch.delitem(widgets._OPTIONS_HTML, "time_zone", raising=False)
    contact = ContactFactory(first_name="Anna", time_zone="US/Alaska")
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert (
        '<option value="US/Alaska" selected>US/Alaska (old name, no longer offered)</option>'
        in page
    )
    response = marketer_client.post(
        f"/contacts/{contact.pk}/",
        _profile_data(contact, first_name="Annika", time_zone="US/Alaska"),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.time_zone) == ("Annika", "US/Alaska")
    # The kept option is this contact's only: the list of the next profile has none.
    other = ContactFactory()
    assert "US/Alaska" not in marketer_client.get(f"/contacts/{other.pk}/").content.decode()


@pytest.mark.django_db
def test_an_old_zone_cannot_be_chosen_anew(marketer_client):
    contact = ContactFactory(time_zone="US/Alaska")
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, time_zone="W-SU")
    )
    assert response.status_code == 200
    assert Contact.objects.get(pk=contact.pk).time_zone == "US/Alaska"
