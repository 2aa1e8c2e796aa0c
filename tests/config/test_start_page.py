"""Where a user lands after logging in, with a role and without one."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_marketer_lands_on_all_contacts(client, marketer):
    client.force_login(marketer)
    assert client.get("/").url == "/contacts/"


def test_logging_in_leads_to_the_start_page(client, outsider):
    outsider.set_password("a long enough password")
    outsider.save()
    response = client.post(
        "/login/", {"username": "outsider", "password": "a long enough password"}
    )
    assert response.url == "/"


def test_a_user_without_a_role_is_told_so_and_not_sent_in_a_circle(outsider_client):
    response = outsider_client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your account has no role yet" in page
    assert "Ask an admin to give you one" in page
    assert "Audience" not in page  # no menu with nothing in it

    refused = outsider_client.get("/contacts/").content.decode()
    assert "You are not allowed to do this" in refused
    assert "Go to All Contacts" not in refused
    assert '<a href="/" class="btn btn-primary">Go to the start page</a>' in refused
    # Its roles taken away while logged in: the same words as after a fresh login.
    assert "Your account has no role yet. Ask an admin to give you one." in refused
    assert "Your role does not include this action" not in refused


def test_a_role_without_all_contacts_is_told_what_it_has(client, roles):
    role = AuthGroup.objects.create(name="Exports only")
    role.permissions.add(Permission.objects.get(codename="view_exportjob"))
    user = UserFactory(username="exporter")
    user.groups.add(role)
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Your role does not include All Contacts" in page
    assert ">Exports</a>" in page


def test_a_refused_marketer_is_offered_all_contacts(marketer_client):
    page = marketer_client.get("/admin/").content.decode()
    assert "Go to All Contacts" in page
    assert "Your role does not include this action" in page
