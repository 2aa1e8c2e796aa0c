"""Anonymize, export and download, group members and attribute definitions via the API."""

import pytest
from django.core import mail

from anonymization.models import Anonymization
from api.views import groups
from contacts.models import (
    AttributeDefinition,
    Contact,
    MemberAttributeDefinition,
    Membership,
)
from exports.models import ExportJob
from exports.tasks import build_export
from tests.api.conftest import bearer, make_token
from tests.factories import ContactFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymize_uses_the_service_and_mails_the_token_user(
    api, marketer, django_capture_on_commit_callbacks
):
    contact = ContactFactory(email="gone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/contacts/{contact.pk}/anonymize/")
    assert response.status_code == 200
    assert response.json()["anonymized"] is True
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Anonymization.objects.get().requested_by == marketer
    assert api.post(f"/api/v1/contacts/{contact.pk}/anonymize/").status_code == 404


def test_export_is_202_with_the_job_then_downloads(api, marketer):
    contact = ContactFactory(first_name="Exported")
    response = api.post(f"/api/v1/contacts/{contact.pk}/export/")
    assert response.status_code == 202
    job = ExportJob.objects.get()
    assert response["Location"] == f"/api/v1/exports/{job.token}/"
    assert response.json()["status"] == "scheduled"
    assert response.json()["download_url"] is None
    assert api.get(f"/api/v1/exports/{job.token}/download/").status_code == 409
    build_export(job.pk)
    state = api.get(f"/api/v1/exports/{job.token}/").json()
    assert state["status"] == "ready"
    download = api.get(state["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv"
    assert b"Exported" in b"".join(download.streaming_content)
    listed = api.get("/api/v1/exports/").json()["results"]
    assert [j["id"] for j in listed] == [job.token]


def test_a_filtered_selection_is_exported_as_the_list_screen_would(api, marketer):
    group = GroupFactory()
    for name in ("Anna", "Annabel", "Bert"):
        MembershipFactory(group=group, contact=ContactFactory(first_name=name))
    ContactFactory(first_name="Anna")  # not in the group
    response = api.post(
        "/api/v1/exports/", {"filter": f"name=anna&group={group.pk}"}, format="json"
    )
    assert response.status_code == 202, response.content
    job = ExportJob.objects.get()
    assert (job.kind, job.requested_by, job.filter_query) == (
        "contact_list",
        marketer,
        f"name=anna&group={group.pk}",
    )
    assert job.max_contact_id == Contact.objects.latest("pk").pk
    later = ContactFactory(first_name="Anna")  # created after the request: not exported
    MembershipFactory(group=group, contact=later)
    build_export(job.pk)
    text = b"".join(api.get(f"/api/v1/exports/{job.token}/download/").streaming_content)
    assert text.count(b"\n") == 3  # the header, Anna and Annabel of the group
    assert b"Annabel" in text and b"Bert" not in text


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"filter": "group=999999"}, "not a valid filter"),
        ({"filter": "created_from=yesterday"}, "not a valid filter"),
        ({"filter": "q=\x00"}, "Null characters"),
        ({"filter": "x" * 5001}, "5000"),
    ],
)
def test_a_filter_that_cannot_work_is_422_and_nothing_is_queued(api, body, words):
    response = api.post("/api/v1/exports/", body, format="json")
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert words in response.content.decode()
    assert not ExportJob.objects.exists()


def test_exports_are_the_owner_s_or_an_admin_s(marketer, roles):
    other = UserFactory(role="Marketer")
    job_owner = bearer(make_token(marketer))
    contact = ContactFactory()
    token = job_owner.post(f"/api/v1/contacts/{contact.pk}/export/").json()["id"]
    assert bearer(make_token(other)).get(f"/api/v1/exports/{token}/").status_code == 404
    admin = UserFactory(role="Admin")
    assert bearer(make_token(admin)).get(f"/api/v1/exports/{token}/").status_code == 200


def test_members_add_change_remove(api):
    group = GroupFactory()
    MemberAttributeDefinition.objects.create(group=group, name="Seat", data_type="number")
    contact = ContactFactory()
    url = f"/api/v1/groups/{group.pk}/members/"
    added = api.post(url, {"contact_id": contact.pk, "is_test_recipient": True}, format="json")
    assert added.status_code == 201
    assert added["Location"] == f"{url}{contact.pk}/"
    assert api.post(url, {"contact_id": contact.pk}, format="json").status_code == 409
    changed = api.patch(
        f"{url}{contact.pk}/",
        {"status": "pending", "member_attributes": {"seat": "12"}},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["member_attributes"] == {"Seat": "12"}
    assert changed.json()["status"] == "pending"
    assert changed.json()["is_test_recipient"] is True  # not sent: kept
    bad = api.patch(f"{url}{contact.pk}/", {"member_attributes": {"Seat": "many"}}, format="json")
    assert bad.status_code == 422
    assert "member_attributes.Seat" in bad.json()["errors"]
    assert [m["contact_id"] for m in api.get(url).json()["results"]] == [contact.pk]
    assert api.delete(f"{url}{contact.pk}/").status_code == 204
    assert not Membership.objects.exists()
    assert api.delete(f"{url}{contact.pk}/").status_code == 404


def test_members_page_by_contact_id(api):
    group = GroupFactory()
    for contact in ContactFactory.create_batch(3):
        MembershipFactory(contact=contact, group=group)
    groups.MEMBER_PAGE, saved = 2, groups.MEMBER_PAGE
    try:
        first = api.get(f"/api/v1/groups/{group.pk}/members/").json()
        second = api.get(first["next"]).json()
    finally:
        groups.MEMBER_PAGE = saved
    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert second["next"] is None


def test_adding_a_missing_contact_is_422(api):
    group = GroupFactory()
    response = api.post(f"/api/v1/groups/{group.pk}/members/", {"contact_id": 99999}, format="json")
    assert response.status_code == 422


def test_attributes_read_and_admin_defines(api, admin_user):
    AttributeDefinition.objects.create(name="Tier")
    assert [a["name"] for a in api.get("/api/v1/attributes/").json()["results"]] == ["Tier"]
    admin = bearer(make_token(admin_user))
    created = admin.post(
        "/api/v1/attributes/", {"name": "Score", "data_type": "number"}, format="json"
    )
    assert created.status_code == 201
    again = admin.post("/api/v1/attributes/", {"name": "score"}, format="json")
    assert again.status_code == 422
    bad = admin.post("/api/v1/attributes/", {"name": "9 lives"}, format="json")
    assert bad.status_code == 422 and "name" in bad.json()["errors"]


@pytest.mark.parametrize(
    ("data_type", "allowed", "message"),
    [
        ("number", "1\nabc", "Not a number: “abc”."),
        ("date", "2020-02-30", "Not a date: “2020-02-30”."),
        ("boolean", "yes", "A Boolean attribute is Yes or No: leave Allowed values empty."),
    ],
)
def test_allowed_values_follow_the_admin_s_rule(admin_user, data_type, allowed, message):
    """The rule of the admin's form (contacts.definition_rules): the API defined a Number
    attribute offering "abc", which contacts could then hold."""
    admin = bearer(make_token(admin_user))
    body = {"name": "N1", "data_type": data_type, "allowed_values": allowed}
    response = admin.post("/api/v1/attributes/", body, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"allowed_values": [message]}
    assert not AttributeDefinition.objects.exists()


def test_allowed_values_are_stored_as_the_admin_stores_them(admin_user):
    admin = bearer(make_token(admin_user))
    body = {"name": "Size", "data_type": "number", "allowed_values": "1.50\n2\n1.5\n2"}
    response = admin.post("/api/v1/attributes/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["allowed_values"] == "1.5\n2"
    letters = {"name": "Letter", "allowed_values": "a\na\nb"}
    assert admin.post("/api/v1/attributes/", letters, format="json").json()["allowed_values"] == (
        "a\nb"
    )


def test_no_mail_is_sent_by_a_failed_anonymize(api):
    assert api.post("/api/v1/contacts/123456/anonymize/").status_code == 404
    assert not mail.outbox


def test_a_malformed_export_id_is_404(api):
    for bad in ("%00", "x", "a" * 100, "%00" * 25):
        assert api.get(f"/api/v1/exports/{bad}/").status_code == 404
        assert api.get(f"/api/v1/exports/{bad}/download/").status_code == 404
