"""An export cancelled because its contact went says what happened (deleted or anonymized,
and whether a ready file was deleted), and offers no new export of a contact that is gone."""

import pytest

from anonymization.services import contact_anonymize
from contacts.models import Contact
from contacts.services import contact_delete
from exports.models import ExportJob, ExportStatus
from exports.services import export_list_request, export_request
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
REMOVALS = [(contact_delete, "deleted"), (contact_anonymize, "anonymized")]


@pytest.mark.parametrize(("remove", "what"), REMOVALS, ids=["delete", "anonymize"])
@pytest.mark.parametrize("ready", [True, False], ids=["ready", "pending"])
def test_a_contact_export_says_why_it_was_cancelled(
    marketer, marketer_client, run_job, django_capture_on_commit_callbacks, remove, what, ready
):
    """It said "The contact was deleted after the export was requested" also for an
    anonymization, and offered a new export that could only fail."""
    contact = ContactFactory()
    job = export_request(actor=marketer, contact_id=contact.pk)
    if ready:
        assert run_job(job) == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        remove(actor=None, contact_id=contact.pk)
    job.refresh_from_db()
    if ready:
        expected = f"Contact ID {contact.pk} was {what} after the export was ready."
        expected += " Its file was deleted."
    else:
        expected = f"Contact ID {contact.pk} was {what} before the export was ready."
    assert (job.status, job.error) == (ExportStatus.CANCELLED, expected)
    page = marketer_client.get(f"/exports/{job.token}/").content.decode()
    assert expected in page
    assert "Request a new export" not in page


@pytest.mark.parametrize(("remove", "what"), REMOVALS, ids=["delete", "anonymize"])
def test_a_list_export_says_a_contact_in_it_went(
    marketer, run_job, django_capture_on_commit_callbacks, remove, what
):
    contact = ContactFactory()
    job = export_list_request(actor=marketer, filter_query="", max_contact_id=contact.pk)
    assert run_job(job) == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        remove(actor=None, contact_id=contact.pk)
    job.refresh_from_db()
    assert job.error == (
        f"A contact in this export was {what} after the export was ready. Its file was deleted."
    )


def test_a_new_export_is_offered_only_while_the_contact_exists(marketer, marketer_client):
    contact = ContactFactory()
    job = export_request(actor=marketer, contact_id=contact.pk)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED)
    url = f"/exports/{job.token}/"
    assert "Request a new export" in marketer_client.get(url).content.decode()
    Contact.objects.filter(pk=contact.pk).delete()  # the job is no longer open: left as it is
    assert "Request a new export" not in marketer_client.get(url).content.decode()
