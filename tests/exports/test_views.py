import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.http import StreamingHttpResponse

from exports.models import ExportJob, ExportStatus
from exports.services import export_request
from exports.storage import export_storage
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_export_contact_from_the_list_menu_schedules_and_says_so(marketer_client):
    contact = ContactFactory()
    listing = marketer_client.get("/contacts/").content.decode()
    assert "Export Contact</button>" in listing
    response = marketer_client.post(f"/exports/contact/{contact.pk}/", {"next": "/contacts/"})
    assert response["Location"] == "/contacts/"
    text = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("has been scheduled" in t and "email" in t for t in text)
    job = ExportJob.objects.get()
    assert (job.contact_id, job.status) == (contact.pk, ExportStatus.SCHEDULED)
    assert len(job.token) >= 43  # 256 random bits, url-safe


def test_profile_header_has_export(marketer_client, tester_client):
    contact = ContactFactory()
    assert "Export</button>" in marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    tester_page = tester_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Export</button>" not in tester_page
    assert "Export Contact" not in tester_client.get("/contacts/").content.decode()


def test_request_is_post_only_and_needs_the_permission(marketer_client, tester_client):
    contact = ContactFactory()
    assert marketer_client.get(f"/exports/contact/{contact.pk}/").status_code == 405
    assert tester_client.post(f"/exports/contact/{contact.pk}/").status_code == 403
    assert tester_client.post("/exports/contacts/", {"filter_query": ""}).status_code == 403
    assert tester_client.get("/exports/").status_code == 403
    assert not ExportJob.objects.exists()


def test_exporting_a_missing_contact_is_explained(marketer_client):
    response = marketer_client.post("/exports/contact/4242/", follow=True)
    assert "Contact ID 4242 no longer exists" in response.content.decode()


def test_only_the_requester_or_an_admin_can_open_and_download(
    marketer, marketer_client, admin_client_role, tester_client, run_job
):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    run_job(job)
    other = UserFactory(role="Marketer")
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    for path in (f"/exports/{job.token}/", f"/exports/{job.token}/download/"):
        assert marketer_client.get(path).status_code == 200
        assert admin_client_role.get(path).status_code == 200
        assert other_client.get(path).status_code == 404
        assert tester_client.get(path).status_code == 403
    assert marketer_client.get("/exports/" + "x" * 43 + "/").status_code == 404


def test_a_requester_who_loses_the_role_loses_the_export(marketer, marketer_client, run_job):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    run_job(job)
    paths = (f"/exports/{job.token}/", f"/exports/{job.token}/download/")
    assert [marketer_client.get(path).status_code for path in paths] == [200, 200]

    marketer.groups.clear()
    responses = [marketer_client.get(path) for path in paths]
    assert [response.status_code for response in responses] == [403, 403]
    assert "You are not allowed" in responses[0].content.decode()
    assert not isinstance(responses[1], StreamingHttpResponse)

    marketer.groups.add(Role.objects.get(name="Tester"))
    assert [marketer_client.get(path).status_code for path in paths] == [403, 403]
    marketer.groups.set([Role.objects.get(name="Marketer")])
    assert [marketer_client.get(path).status_code for path in paths] == [200, 200]


def test_an_export_admin_without_the_export_role_may_still_open_any_export(
    marketer, run_job, client
):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    run_job(job)
    auditor = UserFactory()
    auditor.user_permissions.add(Permission.objects.get(codename="change_exportjob"))
    client.force_login(auditor)
    assert client.get(f"/exports/{job.token}/").status_code == 200
    assert client.get(f"/exports/{job.token}/download/").status_code == 200


def test_logged_out_link_goes_to_login_then_back(client, marketer, run_job):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    run_job(job)
    response = client.get(f"/exports/{job.token}/")
    assert response["Location"] == f"/login/?next=/exports/{job.token}/"
    back = client.post(
        response["Location"],
        {"username": "marketer", "password": "secret-pass-123", "next": f"/exports/{job.token}/"},
    )
    assert back["Location"] == f"/exports/{job.token}/"


def test_export_page_and_download(marketer, marketer_client, run_job):
    contact = ContactFactory()
    job = export_request(actor=marketer, contact_id=contact.pk)
    page = marketer_client.get(f"/exports/{job.token}/").content.decode()
    assert "Scheduled" in page and 'hx-trigger="every 2s"' in page
    run_job(job)
    page = marketer_client.get(f"/exports/{job.token}/").content.decode()
    assert (
        "Ready" in page
        and "Expires" in page
        and ">Export</a>" in page.replace('<i class="bi bi-download" aria-hidden="true"></i> ', "")
    )
    assert "every 2s" not in page
    response = marketer_client.get(f"/exports/{job.token}/download/")
    assert job.finished_at is not None
    day = job.finished_at.date().isoformat()
    assert (
        response["Content-Disposition"] == f'attachment; filename="contact-{contact.pk}-{day}.csv"'
    )
    assert response["Content-Type"] == "text/csv"


def test_tampered_file_is_refused_and_removed(
    marketer, marketer_client, run_job, django_capture_on_commit_callbacks
):
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    run_job(job)
    path = Path(export_storage.path(job.file_name))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.get(f"/exports/{job.token}/download/", follow=True)
    assert "failed its integrity check" in response.content.decode()
    assert response.get("Content-Disposition") is None
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert not path.exists()


def test_exports_page_lists_own_exports_newest_first_and_refreshes_while_running(
    marketer, marketer_client, admin_user
):
    first = export_request(actor=marketer, contact_id=ContactFactory().pk)
    second = export_request(actor=marketer, contact_id=ContactFactory().pk)
    export_request(actor=admin_user, contact_id=ContactFactory().pk)
    page = marketer_client.get("/exports/").content.decode()
    assert page.index(f"Contact ID {second.contact_id}") < page.index(
        f"Contact ID {first.contact_id}"
    )
    assert page.count("Open<span") == 2
    assert 'hx-trigger="every 3s"' in page
    ExportJob.objects.update(status=ExportStatus.FAILED, error="Boom reason")
    page = marketer_client.get("/exports/").content.decode()
    assert "every 3s" not in page and "Boom reason" in page


def test_each_open_link_names_the_export_it_opens(marketer, marketer_client):
    """Its hidden text was the row's position ("Open export 1"), which every new export
    changes."""
    contact = ContactFactory(last_name="Keep")
    export_request(actor=marketer, contact_id=contact.pk)
    marketer_client.post(
        "/exports/contacts/", {"filter_query": "name=Keep", "max_id": str(contact.pk)}
    )
    page = marketer_client.get("/exports/").content.decode()
    hidden = re.findall(r'>Open<span class="visually-hidden">([^<]*)</span>', page)
    names = [unescape(name) for name in hidden]
    assert [re.sub(r", requested .*", "", name) for name in names] == [
        " export of All Contacts (Name: Keep)",
        f" export of Contact ID {contact.pk}",
    ]
    assert all(", requested " in name for name in names)


def test_exports_page_empty_state(marketer_client):
    assert "No exports yet" in marketer_client.get("/exports/").content.decode()


def test_list_export_from_all_contacts(marketer_client):
    kept = ContactFactory(last_name="Keep")
    response = marketer_client.post(
        "/exports/contacts/", {"filter_query": "name=Keep", "max_id": str(kept.pk)}, follow=True
    )
    assert "The export of All Contacts (Name: Keep) has been scheduled" in response.content.decode()
    job = ExportJob.objects.get()
    assert (job.kind, job.filter_query, job.max_contact_id) == (
        "contact_list",
        "name=Keep",
        kept.pk,
    )


def test_a_list_export_sent_without_the_page_s_newest_id_takes_the_contacts_of_now(
    marketer_client,
):
    """A script that leaves out max_id gets every match so far, not an empty file (it was
    "up to Contact ID 0"); a contact created later is still left out."""
    kept = ContactFactory(last_name="Keep")
    marketer_client.post("/exports/contacts/", {"filter_query": "name=Keep"})
    ContactFactory(last_name="Keep")
    job = ExportJob.objects.get()
    assert job.max_contact_id == kept.pk


def test_export_times_carry_their_time_zone(marketer_client, marketer):
    at = dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.UTC)
    job = ExportJob.objects.create(
        contact_id=1,
        requested_by=marketer,
        status=ExportStatus.READY,
        finished_at=at,
        expires_at=at + dt.timedelta(days=7),
    )
    ExportJob.objects.filter(pk=job.pk).update(requested_at=at)
    listing = marketer_client.get("/exports/").content.decode()
    assert '<th scope="col">Requested (UTC)</th>' in listing
    assert '<th scope="col">Expires (UTC)</th>' in listing
    assert ">2025-03-03 09:15</td>" in listing
    detail = marketer_client.get(f"/exports/{job.token}/").content.decode()
    assert "2025-03-03 09:15 UTC by marketer" in detail
    assert "2025-03-10 09:15 UTC (" in detail


@pytest.mark.parametrize(("days", "words"), [(30, "kept for 30 days"), (1, "kept for 1 day ")])
def test_exports_page_states_the_configured_retention(marketer_client, settings, days, words):
    settings.EXPORT_RETENTION = dt.timedelta(days=days)
    page = marketer_client.get("/exports/").content.decode()
    assert f"Files are {words}" in page


def test_exports_pages_keep_the_chosen_page_size(marketer_client, marketer):
    ExportJob.objects.bulk_create(
        ExportJob(contact_id=n, requested_by=marketer, status=ExportStatus.FAILED)
        for n in range(1, 61)
    )
    first = marketer_client.get("/exports/", {"per_page": "50"}).content.decode()
    assert first.count("Open<span") == 50
    next_link = re.search(r'<a class="page-link" href="([^"]+)" rel="next">', first)
    assert next_link, "no Next link"
    second = marketer_client.get("/exports/" + unescape(next_link.group(1))).content.decode()
    assert second.count("Open<span") == 10
    assert "51–60 of 60" in second
