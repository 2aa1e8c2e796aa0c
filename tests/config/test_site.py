import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import formats, timezone

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_our_svg_icon_without_logging_in():
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/img/favicon")
    assert response["Location"].endswith(".svg")
    icon = finders.find("img/favicon.svg")
    assert icon and Path(icon).read_text().startswith("<svg")


def test_every_page_links_the_icon(marketer_client):
    for response in (Client().get("/login/"), marketer_client.get("/contacts/")):
        page = response.content.decode()
        assert '<link rel="icon" href="/static/img/favicon' in page
        assert 'type="image/svg+xml"' in page


def test_dates_are_iso_and_times_name_their_zone(settings):
    at = dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.UTC)
    assert formats.date_format(at.date()) == "2025-03-03"
    assert formats.date_format(timezone.localtime(at), "DATETIME_FORMAT") == "2025-03-03 09:15 UTC"
    settings.TIME_ZONE = "Europe/Berlin"
    berlin = at.astimezone(ZoneInfo("Europe/Berlin"))
    assert formats.date_format(berlin, "DATETIME_FORMAT") == "2025-03-03 10:15 CET"


def test_typed_dates_are_read_as_iso_only():
    field = forms.DateField()
    assert field.clean("2025-03-04") == dt.date(2025, 3, 4)
    with pytest.raises(forms.ValidationError):
        field.clean("03/04/2025")  # March in one country, April in another
