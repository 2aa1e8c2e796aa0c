"""The two reads of every All Contacts request that are written out in SQL (contacts.
selectors): they give what the ORM querysets they replaced give."""

import datetime as dt
import itertools

import pytest
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone

from contacts import selectors
from contacts.models import BulkDeletion
from contacts.roles import MARKETER
from core.jobs import OPEN_STATUSES, JobStatus
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def _orm_recent(user) -> list[BulkDeletion]:
    """The queryset bulk_deletions_recent was (its permission check aside)."""
    since = timezone.now() - dt.timedelta(minutes=10)
    return list(
        BulkDeletion.objects.filter(requested_by=user)
        .filter(Q(status__in=OPEN_STATUSES) | Q(finished_at__gte=since, dismissed_at__isnull=True))
        .order_by("-requested_at")[:5]
    )


# Each its own selection: one user's open deletions of one selection are one (a constraint).
_max_ids = itertools.count(99)


def _deletion(
    user,
    status: str,
    *,
    requested_ago: int,
    finished_ago: int | None = None,
    dismissed: bool = False,
):
    now = timezone.now()
    deletion = BulkDeletion.objects.create(
        requested_by=user,
        filter_query="name=Bye'<script>" if status in OPEN_STATUSES else "",
        max_contact_id=next(_max_ids),
        progress_total=3,
    )
    BulkDeletion.objects.filter(pk=deletion.pk).update(
        status=status,
        requested_at=now - dt.timedelta(minutes=requested_ago),
        finished_at=None if finished_ago is None else now - dt.timedelta(minutes=finished_ago),
        dismissed_at=now if dismissed else None,
    )
    return deletion


def test_recent_deletions_are_those_of_the_orm_query(marketer):
    other = UserFactory(username="other", role=MARKETER)
    _deletion(marketer, JobStatus.SCHEDULED, requested_ago=1)
    _deletion(marketer, JobStatus.RUNNING, requested_ago=30)
    _deletion(marketer, JobStatus.DONE, requested_ago=40, finished_ago=5)
    _deletion(marketer, JobStatus.DONE, requested_ago=50, finished_ago=11)  # too long ago
    _deletion(marketer, JobStatus.FAILED, requested_ago=3, finished_ago=2)
    _deletion(marketer, JobStatus.CANCELLED, requested_ago=4, finished_ago=9)
    _deletion(marketer, JobStatus.DONE, requested_ago=6, finished_ago=1, dismissed=True)
    _deletion(other, JobStatus.RUNNING, requested_ago=2)  # someone else's

    recent = selectors.bulk_deletions_recent(user=marketer)

    expected = _orm_recent(marketer)
    assert [d.pk for d in recent] == [d.pk for d in expected]
    assert [model_to_dict(d) for d in recent] == [model_to_dict(d) for d in expected]
    assert [d.requested_at for d in recent] == [d.requested_at for d in expected]
    # The done one of 11 minutes ago, the closed one and the other user's left out.
    assert len(recent) == 5


def test_recent_deletions_are_at_most_five_newest_first(marketer):
    for minutes in range(7):
        _deletion(marketer, JobStatus.RUNNING, requested_ago=minutes)
    recent = selectors.bulk_deletions_recent(user=marketer)
    assert [d.pk for d in recent] == [d.pk for d in _orm_recent(marketer)]
    assert len(recent) == 5


def test_recent_deletions_need_the_delete_permission(tester):
    _deletion(tester, JobStatus.RUNNING, requested_ago=1)
    assert selectors.bulk_deletions_recent(user=tester) == []


def test_max_id_is_the_highest_contact_id():
    assert selectors.contact_max_id() == 0
    contacts = [ContactFactory() for _ in range(3)]
    assert selectors.contact_max_id() == max(c.pk for c in contacts)
    contacts[-1].delete()
    assert selectors.contact_max_id() == max(c.pk for c in contacts[:-1])
