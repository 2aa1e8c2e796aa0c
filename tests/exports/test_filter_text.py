"""A list export says which filter it ran on: on the Exports page, its own page, the
message and the mail; the user tells two list exports apart."""

import pytest

from contacts.filter_text import EVERY_CONTACT, filter_text, filter_texts
from core.models import Notification
from exports.models import ExportJob, ExportStatus
from exports.notifications import compose_ready_email
from tests.factories import ContactFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_a_filter_in_words():
    group = GroupFactory(name="Newsletter")
    texts = filter_texts(
        [f"q=anna&group={group.pk}&identifier_type=mobile", "", "group=999999&sort=-id"]
    )
    assert texts[f"q=anna&group={group.pk}&identifier_type=mobile"] == (
        "Search: anna · Identifier type: Mobile Number · Group: Newsletter"
    )
    assert texts[""] == EVERY_CONTACT
    assert texts["group=999999&sort=-id"] == "Group: a deleted group"
    assert filter_text("name=%20Anna%20%20Schmidt%20", group_names={}) == "Name: Anna Schmidt"


def test_every_place_of_a_list_export_names_its_filter(marketer_client, marketer):
    kept = ContactFactory(last_name="Keep")
    response = marketer_client.post(
        "/exports/contacts/", {"filter_query": "name=Keep", "max_id": str(kept.pk)}, follow=True
    )
    assert (
        "The export of All Contacts (Name: Keep) has been scheduled: every contact that "
        "matches, on all pages." in response.content.decode()
    )
    job = ExportJob.objects.get()
    assert "Name: Keep" in marketer_client.get("/exports/").content.decode()
    assert "filter: Name: Keep" in marketer_client.get(f"/exports/{job.token}/").content.decode()

    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.READY)

    notification = Notification.objects.create(
        kind="exports.ready", object_id=job.pk, recipient=marketer
    )
    mail = compose_ready_email(notification)
    assert not isinstance(mail, str)
    assert "Your export of All Contacts (Name: Keep) is ready." in mail.body
