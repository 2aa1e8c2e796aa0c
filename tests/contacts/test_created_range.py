"""The created range of All Contacts: exactly the contacts created on its days (of the
site's time zone), whatever their ids, alone or with a group, on every page. On
PostgreSQL its id range comes from the UTC days it touches (contacts.created_range)."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts import group_filter
from contacts.models import Contact
from tests.contacts.listing import every_page, listed_ids
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

# Far from UTC on either side: a day there begins on the UTC day before (UTC+14) or
# ends on the UTC day after (UTC-11).
ZONES = ["Pacific/Kiritimati", "Pacific/Pago_Pago"]


def _local(day: str, time: dt.time = dt.time.min) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(timezone.get_current_timezone_name())
    return dt.datetime.combine(dt.date.fromisoformat(day), time, tzinfo=zone)


# Creation times in the order of the contacts' ids, around 2025-05-10..2025-05-12:
LAYOUTS = {
    # the lowest id created at its first moment, the highest at its last
    "edges": [
        ("2025-05-10", dt.time.min),
        ("2025-05-09", dt.time.max),
        ("2025-05-11", dt.time(12)),
        ("2025-05-13", dt.time.min),
        ("2020-01-01", dt.time.min),
        ("2025-05-12", dt.time.max),
    ],
    # not in the order of the ids: the lowest and the highest id are created inside it,
    # its first and last moments in between, next to contacts from long before and after
    "scrambled": [
        ("2025-05-11", dt.time(12)),
        ("2025-05-09", dt.time.max),
        ("2025-05-10", dt.time.min),
        ("2030-01-01", dt.time.min),
        ("2025-05-12", dt.time.max),
        ("2025-05-13", dt.time.min),
        ("2020-01-01", dt.time.min),
        ("2025-05-10", dt.time(5)),
    ],
}


@pytest.fixture(params=[(zone, layout) for zone in ZONES for layout in LAYOUTS])
def created(request, settings):
    """Contacts created around the range, in the site's zone."""
    zone, layout = request.param
    settings.TIME_ZONE = zone
    times = [_local(day, time) for day, time in LAYOUTS[layout]]
    people = ContactFactory.create_batch(len(times))
    for person, at in zip(people, times, strict=True):
        Contact.objects.filter(pk=person.pk).update(created_at=at)
    return {person.pk: at for person, at in zip(people, times, strict=True)}


def _expected(created: dict[int, dt.datetime], start: str, end: str) -> set[int]:
    low = _local(start) if start else None
    high = _local(end) + dt.timedelta(days=1) if end else None
    return {
        pk
        for pk, at in created.items()
        if (low is None or at >= low) and (high is None or at < high)
    }


RANGES = [
    ("2025-05-10", "2025-05-12"),
    ("2025-05-10", "2025-05-10"),
    ("2025-05-12", ""),
    ("", "2025-05-10"),
    ("2025-05-14", "2029-12-31"),  # nobody
]


@pytest.mark.parametrize(("start", "end"), RANGES)
@pytest.mark.parametrize("sort", ["-id", "id", "created"])
def test_a_created_range_lists_exactly_the_contacts_created_on_its_days(
    marketer_client, created, start, end, sort
):
    params = {"created_from": start, "created_to": end, "sort": sort, "per_page": 25}
    listed = every_page(marketer_client, params)
    expected = _expected(created, start, end)
    assert sorted(listed) == sorted(expected)
    if sort == "-id":
        assert listed == sorted(expected, reverse=True)


@pytest.mark.parametrize("members", [10_000, 0])  # read member first, or walked
def test_a_group_in_a_created_range_lists_its_members_created_then(
    marketer_client, created, members, monkeypatch
):
    monkeypatch.setattr(group_filter, "SMALL_GROUP_MEMBERS", members)
    group = GroupFactory()
    in_group = [min(created), *sorted(created)[2::2], max(created)]
    for pk in in_group:
        MembershipFactory(contact_id=pk, group=group)
    params = {"group": group.pk, "created_from": "2025-05-10", "created_to": "2025-05-12"}
    listed = every_page(marketer_client, params)
    expected = _expected(created, "2025-05-10", "2025-05-12") & set(in_group)
    assert listed == sorted(expected, reverse=True)
    assert len(expected) >= 2


@pytest.fixture
def range_group(created):
    """A group with every other contact of `created`, and a member of another group."""
    group = GroupFactory()
    members = sorted(created)[::2]
    for pk in members:
        MembershipFactory(contact_id=pk, group=group)
    MembershipFactory(contact_id=sorted(created)[1])
    in_range = _expected(created, "2025-05-10", "2025-05-12") & set(members)
    assert len(in_range) >= 2
    return group, in_range


@pytest.mark.parametrize("sort", ["-id", "id", "email"])
def test_a_group_in_a_created_range_says_how_many_of_its_members_were_created_then(
    marketer_client, range_group, sort, monkeypatch
):
    from contacts.views import listing

    group, in_range = range_group
    params = {"group": group.pk, "created_from": "2025-05-10", "created_to": "2025-05-12"}
    page = marketer_client.get("/contacts/", {**params, "sort": sort}).content.decode()
    assert re.search(rf"1–{len(in_range)}\s+of {len(in_range)}<", page)
    assert sorted(listed_ids(marketer_client.get("/contacts/", params))) == sorted(in_range)
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", len(in_range) - 1)
    page = marketer_client.get("/contacts/", {**params, "sort": sort}).content.decode()
    assert f"of more than {len(in_range) - 1}" in page


@pytest.mark.postgres
def test_a_group_in_a_created_range_is_counted_member_first_on_postgresql(
    marketer_client, range_group
):
    """The count reads the members in the range in index order, probing each contact, and
    stops at the cap: it does not build the array of them all first (7,110 of a large
    group in a month at 1,000,000 contacts)."""
    group, in_range = range_group
    params = {"group": group.pk, "created_from": "2025-05-10", "created_to": "2025-05-12"}
    with CaptureQueriesContext(connection) as queries:
        response = marketer_client.get("/contacts/", params)
    assert sorted(listed_ids(response)) == sorted(in_range)
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
    count = next(sql for sql in counts if "OFFSET 0" in sql)
    assert 'FROM "contacts_membership"' in count.split("EXISTS")[0]
    assert "ARRAY(" not in count


def test_a_created_range_of_an_empty_list_lists_nobody(marketer_client):
    params = {"created_from": "2025-05-10", "created_to": "2025-05-12"}
    response = marketer_client.get("/contacts/", params)
    assert response.status_code == 200
    assert listed_ids(response) == []
