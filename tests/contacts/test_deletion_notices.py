"""The notices of background deletions above All Contacts: a running one shows its progress
until it ends; an ended one stays until its requester closes it (or ten minutes pass)."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts.models import BulkDeletion
from core.jobs import JobStatus

pytestmark = pytest.mark.django_db


def _deletion(user, status, *, done=0, total=12_000, max_id=99):
    deletion = BulkDeletion.objects.create(
        requested_by=user,
        filter_query="name=Bye" if status in (JobStatus.SCHEDULED, JobStatus.RUNNING) else "",
        max_contact_id=max_id,
        progress_total=total,
    )
    ended = status not in (JobStatus.SCHEDULED, JobStatus.RUNNING)
    BulkDeletion.objects.filter(pk=deletion.pk).update(
        status=status,
        progress_done=done,
        finished_at=timezone.now() - dt.timedelta(minutes=1) if ended else None,
    )
    return deletion


def _dismiss(client, deletion, **headers):
    return client.post(f"/contacts/deletions/{deletion.pk}/dismiss/", **headers)


def test_a_closed_notice_does_not_come_back(marketer_client, marketer):
    done = _deletion(marketer, JobStatus.DONE, done=11_111, max_id=1)
    running = _deletion(marketer, JobStatus.RUNNING, done=500, max_id=2)
    page = marketer_client.get("/contacts/").content.decode()
    assert "Deleted 11,111 contacts in the background." in page
    assert f'id="dismiss-deletion-{done.pk}"' in page
    assert f'id="dismiss-deletion-{running.pk}"' not in page  # its progress stays in view

    banner = _dismiss(marketer_client, done, HTTP_HX_REQUEST="true").content.decode()
    assert "Deleted 11,111 contacts" not in banner
    assert "Deleting 12,000 contacts in the background: 500 done." in banner
    assert banner.count('hx-trigger="every 2s"') == 1  # still polls for the running one

    page = marketer_client.get("/contacts/").content.decode()
    assert "Deleted 11,111 contacts" not in page
    assert "Deleting 12,000 contacts in the background" in page
    done.refresh_from_db()
    assert done.dismissed_at is not None


def test_without_javascript_closing_goes_back_to_all_contacts(marketer_client, marketer):
    failed = _deletion(marketer, JobStatus.FAILED, done=3)
    response = _dismiss(marketer_client, failed)
    assert (response.status_code, response["Location"]) == (302, "/contacts/")
    assert "A background deletion stopped" not in marketer_client.get("/contacts/").content.decode()


def test_a_running_deletion_or_another_users_notice_cannot_be_closed(
    marketer_client, marketer, admin_user
):
    running = _deletion(marketer, JobStatus.RUNNING, done=5)
    others = _deletion(admin_user, JobStatus.DONE, done=7)
    _dismiss(marketer_client, running)
    _dismiss(marketer_client, others)
    assert BulkDeletion.objects.filter(dismissed_at__isnull=False).count() == 0
    assert marketer_client.get(f"/contacts/deletions/{others.pk}/dismiss/").status_code == 405


def test_closing_needs_the_delete_permission(tester_client, tester):
    done = _deletion(tester, JobStatus.DONE, done=1)
    assert _dismiss(tester_client, done).status_code == 403
