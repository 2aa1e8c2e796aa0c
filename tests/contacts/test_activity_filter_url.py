"""A change of the Activity tab's filter is said by the live region (data-announce) and
kept in the page's URL: a reload shows the Activity tab with the same filter."""

import html
from urllib.parse import quote

import pytest

from contacts.models import EventType
from tests.factories import ContactFactory, EventFactory

pytestmark = pytest.mark.django_db

BACK = "/contacts/?q=Hofmann"


@pytest.fixture
def contact():
    contact = ContactFactory()
    EventFactory(contact=contact, event_type=EventType.OPENED, message_name="An open")
    EventFactory(contact=contact, event_type=EventType.CLICKED, message_name="A click")
    return contact


def _filter(client, contact, current: str, **params):
    return client.get(
        f"/contacts/{contact.pk}/history/",
        params,
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{current}"},
    )


def test_a_filter_on_the_profile_is_kept_in_its_url(marketer_client, contact):
    profile = f"/contacts/{contact.pk}/?next={quote(BACK, safe='')}"
    response = _filter(marketer_client, contact, profile, days="7", type="clicked")
    url = response["HX-Replace-Url"]
    assert url == (
        f"/contacts/{contact.pk}/?next={quote(BACK, safe='')}&tab=activity&days=7&type=clicked"
    )
    reloaded = marketer_client.get(url).content.decode()
    assert 'class="nav-link active" id="tab-activity-button"' in reloaded
    assert '<option value="7" selected>Last 7 days</option>' in reloaded
    assert '<option value="clicked" selected>Clicked</option>' in reloaded
    assert "A click" in reloaded and "An open" not in reloaded
    assert f'href="{html.escape(BACK)}" data-discard-changes>Close' in reloaded

    # Back to every type: the type leaves the URL.
    again = _filter(marketer_client, contact, url, days="7", type="")
    assert again["HX-Replace-Url"] == (
        f"/contacts/{contact.pk}/?next={quote(BACK, safe='')}&tab=activity&days=7"
    )


def test_a_filter_on_message_history_is_kept_in_its_url(marketer_client, contact):
    response = _filter(marketer_client, contact, f"/contacts/{contact.pk}/history/", type="opened")
    assert response["HX-Replace-Url"] == f"/contacts/{contact.pk}/history/?days=all&type=opened"


@pytest.mark.parametrize("current", ["/contacts/", "/contacts/999/", ""])
def test_another_page_s_url_is_left_alone(marketer_client, contact, current):
    assert "HX-Replace-Url" not in _filter(marketer_client, contact, current, type="opened")


def test_the_live_region_is_told_what_the_filter_shows(marketer_client, contact):
    shown = _filter(marketer_client, contact, "", days="7", type="clicked").content.decode()
    assert 'data-announce="Activity, Last 7 days, Clicked: 1 event shown"' in shown
    none = _filter(marketer_client, contact, "", days="1", type="bounced").content.decode()
    assert (
        'data-announce="Activity, Last 24 hours, Bounced: no activity in this time frame"' in none
    )
