"""Export on All Contacts takes the selection Delete takes: the ticked rows, every match
after "Select all ... that match", and with nothing ticked every match (all pages)."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages

from anonymization.services import contact_anonymize
from contacts.services import contact_delete
from exports.models import ExportJob, ExportStatus
from tests.exports.conftest import download_rows
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    group = GroupFactory(name="Loyalty Club")
    members = [ContactFactory() for _ in range(5)]
    for contact in members:
        MembershipFactory(group=group, contact=contact)
    return group, members


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_ticked_rows_export_exactly_those_rows(marketer_client, club, run_job):
    group, members = club
    ticked = [members[1].pk, members[3].pk]
    back = f"/contacts/?group={group.pk}&sort=-id"
    response = marketer_client.post(
        "/exports/contacts/",
        {
            "ids": [str(i) for i in ticked],
            "filter_query": f"group={group.pk}&sort=-id",
            "max_id": str(members[-1].pk),
            "next": back,
        },
    )
    assert response["Location"] == back
    assert any(
        m.startswith("The export of 2 selected contacts has been scheduled.")
        for m in _messages(response)
    )
    job = ExportJob.objects.get()
    # The job row holds the selection; the filter (it may name people) is not kept.
    assert (job.contact_ids, job.filter_query) == (sorted(ticked), "")
    assert run_job(job) == "ready"
    rows = download_rows(marketer_client, job)
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(ticked)


def test_select_all_that_match_exports_every_match(marketer_client, club, run_job):
    group, members = club
    ContactFactory()  # not in the group
    response = marketer_client.post(
        "/exports/contacts/",
        {
            "ids": [str(members[0].pk)],
            "select_all": "1",
            "filter_query": f"group={group.pk}",
            "max_id": str(max(c.pk for c in members) + 1),
        },
    )
    text = _messages(response)
    assert any(
        "The export of All Contacts (Group: Loyalty Club) has been scheduled: "
        "every contact that matches" in m
        for m in text
    ), text
    job = ExportJob.objects.get()
    assert (job.contact_ids, job.filter_query) == (None, f"group={group.pk}")
    run_job(job)
    rows = download_rows(marketer_client, job)
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(c.pk for c in members)


def test_the_exports_list_names_an_export_of_ticked_rows(marketer_client, club):
    _, members = club
    marketer_client.post("/exports/contacts/", {"ids": [str(members[0].pk), str(members[2].pk)]})
    marketer_client.post("/exports/contacts/", {"ids": [str(members[4].pk)]})
    page = unescape(marketer_client.get("/exports/").content.decode())
    assert "2 selected contacts" in page
    assert "1 selected contact" in page
    assert "All Contacts selection" not in page
    job = ExportJob.objects.filter(contact_ids__isnull=False).order_by("pk")[0]
    detail = marketer_client.get(f"/exports/{job.token}/").content.decode()
    assert "Export of 2 selected contacts" in detail


@pytest.mark.parametrize("url", ["/exports/contacts/", "/contacts/delete/"])
def test_too_many_ticked_ids_are_refused_with_a_message(marketer_client, url):
    ids = [str(i) for i in range(1, 1002)]
    response = marketer_client.post(url, {"ids": ids}, follow=True)
    assert response.status_code == 200
    assert "Select at most 1,000 contacts at a time." in response.content.decode()
    # More than Django reads at all: its 400 page says what to do (it was a bare refusal).
    response = marketer_client.post(url, {"ids": ids * 2})
    assert response.status_code == 400
    assert "Select at most 1,000 contacts at a time" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("remove", [contact_delete, contact_anonymize], ids=["delete", "anonymize"])
def test_removing_a_ticked_contact_cancels_the_export_and_another_does_not(
    marketer_client, club, run_job, django_capture_on_commit_callbacks, remove
):
    _, members = club
    marketer_client.post("/exports/contacts/", {"ids": [str(members[0].pk)]})
    job = ExportJob.objects.get()
    run_job(job)
    with django_capture_on_commit_callbacks(execute=True):
        remove(actor=None, contact_id=members[1].pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.READY
    with django_capture_on_commit_callbacks(execute=True):
        remove(actor=None, contact_id=members[0].pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.CANCELLED
    assert "A contact in this export was" in job.error


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("marketer", True),
        ("admin", True),
        ("tester", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_only_a_role_that_may_export_exports_ticked_rows(clients, role, allowed):
    contact = ContactFactory()
    response = clients[role].post("/exports/contacts/", {"ids": [str(contact.pk)]})
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    else:
        assert response.status_code == (302 if allowed else 403)
    assert ExportJob.objects.exists() is allowed


def test_the_list_s_export_button_sends_the_rows_form(marketer_client):
    """Export submits the form of the ticked rows (not a form of the filter alone)."""
    ContactFactory()
    page = marketer_client.get("/contacts/?sort=-id").content.decode()
    match = re.search(r"<button[^>]*data-export-trigger[^>]*>", page, re.S)
    assert match is not None
    button = match.group(0)
    assert 'form="bulk-form"' in button and 'formaction="/exports/contacts/"' in button
    assert "every contact that matches the filter" in button  # nothing ticked: all matches


def test_an_empty_result_is_not_exported(
    marketer_client, mailoutbox, django_capture_on_commit_callbacks
):
    """Export on a search that lists nothing scheduled a job (and a mail followed)."""
    ContactFactory(first_name="Anna")
    back = "/contacts/?q=zzzzqqq"
    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(
            "/exports/contacts/", {"filter_query": "q=zzzzqqq", "next": back}
        )
    assert response["Location"] == back
    assert _messages(response) == [
        "No contacts match this filter, so there is nothing to export. No export was scheduled."
    ]
    assert not ExportJob.objects.exists()
    assert mailoutbox == []


def test_ticked_rows_that_are_gone_are_not_exported(marketer_client):
    contact = ContactFactory()
    ticked = contact.pk
    contact_delete(actor=None, contact_id=ticked)
    response = marketer_client.post("/exports/contacts/", {"ids": [str(ticked)]})
    assert any("no longer exist, so there is nothing to export" in m for m in _messages(response))
    assert not ExportJob.objects.exists()


def _export_button(page: str) -> str:
    match = re.search(r"<button[^>]*data-export-trigger[^>]*>", page, re.S)
    assert match is not None
    return match.group(0)


def test_the_export_button_is_disabled_with_its_reason_when_nothing_is_listed(marketer_client):
    ContactFactory(first_name="Anna")
    page = marketer_client.get("/contacts/?q=zzzzqqq").content.decode()
    button = _export_button(page)
    assert " disabled" in button and 'aria-describedby="export-reason"' in button
    assert (
        '<span id="export-reason" hidden>Nothing to export: no contacts are listed.</span>' in page
    )
    listed = marketer_client.get("/contacts/").content.decode()
    button = _export_button(listed)
    assert " disabled" not in button and "aria-describedby" not in button
