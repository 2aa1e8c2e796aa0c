import pytest
from django.test import Client

from contacts.roles import ADMIN, MARKETER, TESTER
from tests.factories import UserFactory


@pytest.fixture
def marketer(db):
    return UserFactory(username="marketer", role=MARKETER)


@pytest.fixture
def tester(db):
    return UserFactory(username="tester", role=TESTER)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-role", role=ADMIN)


@pytest.fixture
def outsider(db):
    """Logged in, but with no role at all."""
    return UserFactory(username="outsider")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def marketer_client(marketer):
    return _client_for(marketer)


@pytest.fixture
def tester_client(tester):
    return _client_for(tester)


@pytest.fixture
def admin_client_role(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def clients(marketer, tester, admin_user, outsider):
    """Every persona, by role name; None is the anonymous visitor."""
    return {
        "marketer": _client_for(marketer),
        "tester": _client_for(tester),
        "admin": _client_for(admin_user),
        "outsider": _client_for(outsider),
        "anonymous": Client(),
    }
