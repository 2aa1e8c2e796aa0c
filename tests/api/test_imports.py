"""imports/ and contacts/bulk/ through a token: the import's rules, as a job or at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Contact, Membership
from imports.models import ImportJob
from imports.tasks import run_import
from tests.api.conftest import bearer, make_token
from tests.factories import ContactFactory, GroupFactory, UserFactory
from tests.imports.test_pages import multipart_with_a_long_file_name

pytestmark = pytest.mark.django_db
CSV = "Email;First name\nanna@example.com;Anna\nbroken;Bo\nben@example.com;Ben\n"


def _file(text=CSV, name="contacts.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_an_import_runs_as_a_job_with_state_counts_and_rejected_rows(api, import_root):
    response = api.post("/api/v1/imports/", {"file": _file()}, format="multipart")
    assert response.status_code == 202, response.json()
    job = ImportJob.objects.get()
    assert response["Location"] == f"/api/v1/imports/{job.pk}/"
    assert response.json()["status"] == "scheduled"
    run_import.apply(args=(job.pk,))
    state = api.get(f"/api/v1/imports/{job.pk}/").json()
    assert (state["status"], state["created"], state["rejected"]) == ("done", 2, 1)
    rejected = api.get(state["rejected_url"])
    assert rejected.status_code == 200 and rejected["Content-Type"] == "text/csv"
    text = b"".join(rejected.streaming_content).decode("utf-8-sig")
    assert "broken" in text and "anna@example.com" not in text
    assert list(Contact.objects.order_by("email").values_list("email", flat=True)) == [
        "anna@example.com",
        "ben@example.com",
    ]
    assert [j["id"] for j in api.get("/api/v1/imports/").json()["results"]] == [job.pk]


def test_mapping_options_are_used(api, import_root):
    group = GroupFactory()
    response = api.post(
        "/api/v1/imports/",
        {
            "file": _file("Mail,Vorname\nx@example.com,Xaver\n"),
            "mapping": ["email", "first_name"],
            "match_on": "email",
            "group": group.pk,
            "dry_run": "false",
        },
        format="multipart",
    )
    assert response.status_code == 202, response.json()
    run_import.apply(args=(ImportJob.objects.get().pk,))
    contact = Contact.objects.get()
    assert (contact.email, contact.first_name) == ("x@example.com", "Xaver")
    assert Membership.objects.filter(contact=contact, group=group).exists()


def test_a_bad_file_or_mapping_is_422_and_nothing_runs(api, import_root):
    empty = api.post("/api/v1/imports/", {"file": _file("")}, format="multipart")
    assert empty.status_code == 422 and "file" in empty.json()["errors"]
    bad = api.post(
        "/api/v1/imports/", {"file": _file(), "mapping": ["first_name", ""]}, format="multipart"
    )
    assert bad.status_code == 422
    assert not ImportJob.objects.exclude(status="cancelled").exists()
    missing = api.post("/api/v1/imports/", {}, format="multipart")
    assert missing.status_code == 422 and "file" in missing.json()["errors"]


def test_a_file_over_the_limit_is_413(api, settings, import_root):
    settings.IMPORT_MAX_BYTES = 10
    response = api.post("/api/v1/imports/", {"file": _file()}, format="multipart")
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


def test_a_file_name_too_long_for_the_multipart_parser_is_a_clear_400(api, import_root):
    body, content_type = multipart_with_a_long_file_name(CSV.encode())
    response = api.generic("POST", "/api/v1/imports/", body, content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "The file name is too long to upload. Rename the file to a shorter name and upload it "
        "again."
    )
    assert not ImportJob.objects.exists()


def test_a_malformed_json_body_is_still_said_to_be_json(api):
    response = api.post("/api/v1/contacts/bulk/", data="{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body is not valid JSON:")


def test_imports_are_the_owner_s(api, admin_user, tester, roles, import_root):
    api.post("/api/v1/imports/", {"file": _file()}, format="multipart")
    job = ImportJob.objects.get()
    other = bearer(make_token(UserFactory(role="Marketer")))
    assert other.get(f"/api/v1/imports/{job.pk}/").status_code == 404
    assert bearer(make_token(admin_user)).get(f"/api/v1/imports/{job.pk}/").status_code == 200
    assert bearer(make_token(tester)).get("/api/v1/imports/").status_code == 403


def test_bulk_creates_and_updates_with_one_result_per_item(api):
    existing = ContactFactory(email="old@example.com", first_name="Old")
    response = api.post(
        "/api/v1/contacts/bulk/",
        {
            "match_on": "email",
            "rows": [
                {"Email": "old@example.com", "First name": "New"},
                {"Email": "new@example.com"},
                {"Email": "nope"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["updated", "created", "rejected"]
    assert results[0]["contact_id"] == existing.pk
    assert results[2]["errors"] and results[2]["contact_id"] is None
    existing.refresh_from_db()
    assert existing.first_name == "New"


def test_bulk_limits_and_errors(api):
    too_many = [{"Email": f"p{i}@example.com"} for i in range(1001)]
    response = api.post(
        "/api/v1/contacts/bulk/", {"match_on": "email", "rows": too_many}, format="json"
    )
    assert response.status_code == 422
    unknown = api.post(
        "/api/v1/contacts/bulk/",
        {"match_on": "email", "rows": [{"Email": "a@b.de", "Shoe size": "42"}]},
        format="json",
    )
    assert unknown.status_code == 422
    assert not Contact.objects.exists()


def test_bulk_and_imports_need_the_import_permission(api_clients):
    body = {"match_on": "email", "rows": [{"Email": "a@b.de"}]}
    for role, status in [("tester", 403), ("outsider", 403), ("anonymous", 401), ("admin", 200)]:
        response = api_clients[role].post("/api/v1/contacts/bulk/", body, format="json")
        assert response.status_code == status, role
    read_only = api_clients["read_only"].post("/api/v1/contacts/bulk/", body, format="json")
    assert read_only.status_code == 403


@pytest.mark.parametrize(
    "row",
    [{"Email": "a\x00@b.de"}, {"Em\x00ail": "a@b.de"}, {"Email": "a@b.de", "First name": "\x00"}],
)
def test_bulk_with_a_nul_never_fails(api, row):
    response = api.post(
        "/api/v1/contacts/bulk/", {"match_on": "email", "rows": [row]}, format="json"
    )
    assert response.status_code in (200, 422), response.content
