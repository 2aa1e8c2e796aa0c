import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import formats, timezone

pytestmark = pytest.mark.django_db


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
