"""The list export writes a channel address's status only for an address the contact has:
"Mobile Number status=Active" beside no mobile number read as a working number."""

import pytest

from exports.models import ExportJob
from tests.exports.conftest import download_rows
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_an_address_the_contact_lacks_has_no_status(marketer_client, run_job):
    contact = ContactFactory(email="anna@example.com", email_status="bounced")
    marketer_client.post(
        "/exports/contacts/",
        {"ids": [str(contact.pk)], "filter_query": "", "max_id": str(contact.pk)},
    )
    job = ExportJob.objects.get()
    assert run_job(job) == "ready"
    header, row = download_rows(marketer_client, job)
    cells = dict(zip(header, row, strict=True))
    assert cells["Email status"] == "Bounced"
    assert cells["user.MobileNumber"] == "" and cells["Mobile Number status"] == ""
    assert cells["user.FaxNumber"] == "" and cells["Mobile App Alias status"] == ""
