import factory.random
import pytest
from django.test import Client

from contacts.roles import ADMIN, MARKETER, TESTER, sync_roles
from tests.factories import UserFactory

pytest_plugins = ["tests.personal_data", "tests.worker"]


@pytest.fixture(autouse=True)
def _same_fake_data():
    """The factories draw the same names in every run and in any order of the tests: a
    test passes or fails for good (a random last name once held the letters a search
    test looked for)."""
    factory.random.reseed_random("contactbook-tests")


@pytest.fixture
def roles(db):
    """The roles that `migrate` creates (a test that flushes the tables may remove them)."""
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name=ADMIN).exists():
        sync_roles()


@pytest.fixture
def marketer(roles):
    return UserFactory(username="marketer", role=MARKETER)


@pytest.fixture
def tester(roles):
    return UserFactory(username="tester", role=TESTER)


@pytest.fixture
def admin_user(roles):
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


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.fail("This test needs PostgreSQL: run it with DATABASE_URL set (make test).")


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    """Each test gets its own, empty export storage."""
    from django.utils.functional import empty

    from exports.storage import export_storage

    settings.EXPORTS_ROOT = tmp_path / "exports"
    # A LazyObject sets itself up again once emptied: with this test's EXPORTS_ROOT.
    export_storage._wrapped = empty  # type: ignore[attr-defined]  # (a Storage to the stubs)
    yield settings.EXPORTS_ROOT
    export_storage._wrapped = empty  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def import_root(settings, tmp_path):
    """Each test gets its own, empty import storage."""
    settings.IMPORTS_ROOT = tmp_path / "imports"
    return settings.IMPORTS_ROOT
