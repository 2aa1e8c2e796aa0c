"""A refused request logs one warning line, not a traceback; a server error keeps its
traceback (config.logging_filters)."""

import io
import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import path

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@login_not_required
def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]


def _request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


@pytest.fixture
def console():
    """What the console handler of settings.LOGGING writes (pytest's are subclasses)."""
    [handler] = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_a_refused_request_is_one_warning_without_a_traceback(tester_client, caplog, console):
    contact = ContactFactory()
    assert tester_client.get(f"/contacts/{contact.pk}/delete/").status_code == 403
    [record] = _request_records(caplog)
    assert record.levelno == logging.WARNING and record.__dict__["status_code"] == 403
    assert record.exc_info is None and record.exc_text is None
    [line] = console.getvalue().splitlines()
    assert "WARNING django.request: Forbidden (Permission denied)" in line


def test_a_refused_admin_lookup_logs_no_traceback_on_the_console(admin_client_role, console):
    """Django logs it to django.security.DisallowedModelAdminLookup, with the traceback."""
    response = admin_client_role.get("/admin/auth/user/", {"password__startswith": "x"})
    assert response.status_code == 400
    assert console.getvalue() and "Traceback" not in console.getvalue()


@pytest.mark.urls(__name__)
def test_a_server_error_keeps_its_traceback(caplog, console):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    [record] = _request_records(caplog)
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "Traceback" in console.getvalue() and "RuntimeError: a bug" in console.getvalue()
