import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import token_create


def make_token(user, *, read_only=False, days=30):
    _, text = token_create(
        user=user,
        name="test",
        expires_on=timezone.localdate() + dt.timedelta(days=days),
        read_only=read_only,
    )
    return text


def bearer(text) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


@pytest.fixture(autouse=True)
def fresh_throttle():
    caches["api"].clear()
    yield
    caches["api"].clear()


@pytest.fixture
def api(marketer):
    """A read-write token of a Marketer."""
    return bearer(make_token(marketer))


@pytest.fixture
def api_clients(marketer, tester, admin_user, outsider):
    """Every persona with a read-write token; "anonymous" sends none."""
    return {
        "marketer": bearer(make_token(marketer)),
        "tester": bearer(make_token(tester)),
        "admin": bearer(make_token(admin_user)),
        "outsider": bearer(make_token(outsider)),
        "anonymous": APIClient(),
        "read_only": bearer(make_token(admin_user, read_only=True)),
    }
