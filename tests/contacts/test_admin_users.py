"""Administration › Users: roles are called roles, and each user's are shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.roles import ADMIN, MARKETER, TESTER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/auth/user/"


def test_the_users_list_filters_and_shows_roles(admin_client_role):
    both = UserFactory(username="mia", role=TESTER)
    both.groups.add(*both.groups.model.objects.filter(name=MARKETER))
    page = admin_client_role.get(URL).content.decode()
    assert "By role" in page and "By groups" not in page
    assert '<th scope="col" class="column-roles">' in page
    assert '<td class="field-roles">Marketer, Tester</td>' in page
    assert f'<td class="field-roles">{ADMIN}</td>' in page  # the admin-role user


def test_the_users_list_reads_the_roles_in_one_query(admin_client_role, django_assert_num_queries):
    UserFactory(role=MARKETER)
    admin_client_role.get(URL)  # the first request reads what the later ones find cached
    with CaptureQueriesContext(connection) as few:
        assert admin_client_role.get(URL).status_code == 200
    for role in (MARKETER, TESTER, ADMIN, TESTER, MARKETER):
        UserFactory(role=role)
    with django_assert_num_queries(len(few)):
        admin_client_role.get(URL)
