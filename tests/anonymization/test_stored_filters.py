"""Stored filters of background jobs: kept only while needed, gone when they name a person."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from anonymization.services import contact_anonymize
from contacts.filters import filter_names, naming_texts
from contacts.models import BulkDeletion
from contacts.services import bulk_deletion_request, contact_delete
from contacts.tasks import _finish as finish_deletion
from contacts.tasks import run_bulk_deletion
from core.jobs import JobStatus
from exports.models import ExportJob, ExportStatus
from exports.services import (
    export_fail_tampered,
    export_list_request,
    exports_expire,
)
from exports.tasks import build_export
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

PERSON = {
    "email": "zz-residue-123@example.org",
    "last_name": "Quuxworth",
    "first_name": "Li",
    "mobile_number": "+491701234577",
}


def _list_export(actor, max_id=10**9, **params) -> ExportJob:
    return export_list_request(actor=actor, filter_query=urlencode(params), max_contact_id=max_id)


def _deletion(actor, max_id=10**9, **params) -> BulkDeletion:
    return bulk_deletion_request(
        actor=actor, filter_query=urlencode(params), max_contact_id=max_id, total=1
    )


@pytest.mark.parametrize(
    ("filter_query", "named"),
    [
        ("q=Quuxworth", True),
        ("q=anna+quuxworth", True),
        ("email=zz-residue-123%40example.org", True),
        ("q=491701234577", True),
        ("mobile=%2B491701234577", True),
        ("unknown=Quuxworth", True),
        ("Quuxworth=1", True),
        ("name=Li", True),
        ("name=Oliver", False),
        ("q=Quuxworthy", False),
        ("email=zz-residue", False),
        ("", False),
    ],
)
def test_a_filter_names_a_person_by_a_whole_value_or_word(filter_query, named):
    contact = ContactFactory.build(**PERSON)
    assert filter_names(filter_query, naming_texts(contact)) is named


def test_the_database_refuses_an_ended_job_that_keeps_its_filter(marketer):
    export = _list_export(marketer, q="Quuxworth")
    for status in (ExportStatus.FAILED, ExportStatus.CANCELLED, ExportStatus.EXPIRED):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExportJob.objects.filter(pk=export.pk).update(status=status)
    ExportJob.objects.filter(pk=export.pk).update(status=ExportStatus.READY)
    deletion = _deletion(marketer, q="Quuxworth")
    for job_status in (JobStatus.DONE, JobStatus.FAILED):
        with pytest.raises(IntegrityError), transaction.atomic():
            BulkDeletion.objects.filter(pk=deletion.pk).update(status=job_status)


def test_every_way_a_list_export_ends_clears_its_filter(
    marketer, django_capture_on_commit_callbacks
):
    contact = ContactFactory(**PERSON)
    expired = _list_export(marketer, q="Quuxworth")
    build_export(expired.pk)
    assert exports_expire(now=timezone.now() + dt.timedelta(days=365)) == 1

    tampered = _list_export(marketer, q="Quuxworth")
    build_export(tampered.pk)
    export_fail_tampered(job_id=tampered.pk)

    broken = _list_export(marketer, group="not-a-group")
    with pytest.raises(ValueError, match="no longer valid"):
        build_export(broken.pk)

    cancelled = _list_export(marketer, q="Quuxworth")
    with django_capture_on_commit_callbacks(execute=True):
        contact_delete(actor=None, contact_id=contact.pk)

    jobs = ExportJob.objects.filter(pk__in=[expired.pk, tampered.pk, broken.pk, cancelled.pk])
    assert sorted(jobs.values_list("status", "filter_query")) == [
        (ExportStatus.CANCELLED, ""),
        (ExportStatus.EXPIRED, ""),
        (ExportStatus.FAILED, ""),
        (ExportStatus.FAILED, ""),
    ]


def test_every_way_a_background_deletion_ends_clears_its_filter(marketer):
    ContactFactory(**PERSON)
    done = _deletion(marketer, q="Quuxworth")
    failed = _deletion(marketer, group="not-a-group")
    assert (run_bulk_deletion(done.pk), run_bulk_deletion(failed.pk)) == ("done", "failed")
    deletions = BulkDeletion.objects.order_by("pk").values_list(
        "status", "progress_done", "filter_query"
    )
    assert list(deletions) == [(JobStatus.DONE, 1, ""), (JobStatus.FAILED, 0, "")]


def test_anonymizing_stops_the_jobs_whose_filter_names_the_person_and_only_those(
    marketer, marketer_client, django_capture_on_commit_callbacks
):
    others = ContactFactory.create_batch(2, last_name="Other")
    contact = ContactFactory(**PERSON)
    named_export = _list_export(marketer, max_id=others[-1].pk, q="Quuxworth")
    other_export = _list_export(marketer, name="Other")
    build_export(other_export.pk)
    other_waiting = _list_export(marketer, name="Oliver")
    named_deletion = _deletion(marketer, max_id=others[-1].pk, email=PERSON["email"])
    BulkDeletion.objects.filter(pk=named_deletion.pk).update(
        status=JobStatus.RUNNING, attempt=1, heartbeat_at=timezone.now()
    )
    other_deletion = _deletion(marketer, name="Other")

    with django_capture_on_commit_callbacks(execute=True):
        contact_anonymize(actor=marketer, contact_id=contact.pk)

    named_export.refresh_from_db()
    assert (named_export.status, named_export.filter_query) == (ExportStatus.CANCELLED, "")
    assert "named in its filter was anonymized" in named_export.error
    for job, status in ((other_export, ExportStatus.READY), (other_waiting, "scheduled")):
        job.refresh_from_db()
        assert (job.status, job.filter_query != "") == (status, True)

    named_deletion.refresh_from_db()
    assert (named_deletion.status, named_deletion.filter_query) == (JobStatus.FAILED, "")
    assert not BulkDeletion.beat(named_deletion.pk, 1), "its worker stops"
    finish_deletion(named_deletion.pk, 1, JobStatus.DONE, "")  # its last batch was done
    named_deletion.refresh_from_db()
    assert named_deletion.status == JobStatus.FAILED, "a stopped deletion stays stopped"
    other_deletion.refresh_from_db()
    assert (other_deletion.status, other_deletion.filter_query) == ("scheduled", "name=Other")

    banner = marketer_client.get("/contacts/deletions/").content.decode()
    assert "a contact named in its filter was anonymized" in banner
    assert "Select the remaining contacts again" in banner
    page = marketer_client.get(f"/exports/{named_export.token}/").content.decode()
    assert "Every contact that matched the All Contacts filter" in page
    assert "Cancelled" in page and "named in its filter was anonymized" in page
