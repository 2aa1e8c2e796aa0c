"""A contact with distinctive values in every place personal data can live (shared fixtures)."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from contacts.models import AttributeType, EventChannel, EventType
from exports.models import ExportJob, ExportStatus
from exports.storage import export_storage
from tests.factories import (
    AppDataFactory,
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    EventFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
    RelatedRecordFactory,
)

# Distinctive values: none of them can appear anywhere by chance.
SECRETS = {
    "email": "zq-secret-mail@distinct-domain.example",
    "mobile": "+491701234599",
    "alias": "zq-alias-device-77",
    "external_id": "zq-crm-4711",
    "first_name": "Zqfirstname",
    "last_name": "Zqlastname",
    "nickname": "Zqnickname",
    "zip_code": "ZQ-31337",
    "date_of_birth": "1911-11-11",
    "custom": "zq-custom-value",
    "custom_number": "31337.25",
    "member": "zq-member-value",
    "related": "zq-order-9911",
}


@pytest.fixture
def celery_eager():
    """Run tasks in-process for unit tests; the worker tests use a real worker instead."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def distinctive_contact(db):
    contact = ContactFactory(
        email=SECRETS["email"],
        mobile_number=SECRETS["mobile"],
        app_alias=SECRETS["alias"],
        external_id=SECRETS["external_id"],
        first_name=SECRETS["first_name"],
        last_name=SECRETS["last_name"],
        nickname=SECRETS["nickname"],
        zip_code=SECRETS["zip_code"],
        date_of_birth=dt.date.fromisoformat(SECRETS["date_of_birth"]),
        country="IS",
        time_zone="Atlantic/Reykjavik",
    )
    AttributeValueFactory(contact=contact, value=SECRETS["custom"])
    AttributeValueFactory(
        contact=contact,
        definition=AttributeDefinitionFactory(name="Score", data_type=AttributeType.NUMBER),
        value=SECRETS["custom_number"],
    )
    group = GroupFactory(name="Spring news")
    membership = MembershipFactory(contact=contact, group=group)
    MemberAttributeValueFactory(
        membership=membership,
        definition=MemberAttributeDefinitionFactory(group=group, name="Store"),
        value=SECRETS["member"],
    )
    RelatedRecordFactory(contact=contact, values={"order_id": SECRETS["related"], "total": 9})
    AppDataFactory(contact=contact, last_app_open_at=timezone.now())
    now = timezone.now()
    for day in range(5):
        for kind in (EventType.SENT, EventType.OPENED):
            EventFactory(
                contact=contact,
                event_type=kind,
                message_name=f"Newsletter {day}",
                group=group,
                address=SECRETS["email"],
                occurred_at=now - dt.timedelta(days=day),
            )
    EventFactory(
        contact=contact,
        event_type=EventType.PUSH_SENT,
        channel=EventChannel.PUSH,
        address=SECRETS["alias"],
    )
    EventFactory(
        contact=contact,
        event_type=EventType.SENT,
        channel=EventChannel.SMS,
        address=SECRETS["mobile"],
    )
    return contact


@pytest.fixture
def ready_export_file(distinctive_contact, marketer):
    """A finished export of the contact, its file holding the contact's values."""
    name = f"test/contact-{distinctive_contact.pk}.csv"
    from django.core.files.base import ContentFile

    export_storage.save(name, ContentFile(",".join(SECRETS.values()).encode()))
    return ExportJob.objects.create(
        contact_id=distinctive_contact.pk,
        requested_by=marketer,
        status=ExportStatus.READY,
        file_name=name,
    )


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture
def jobs_naming_the_person(distinctive_contact, marketer):
    """Background jobs whose stored filters name the person, as users leave them.

    A list export that expired, two that include the person (one scheduled, one built),
    one that only names them (it selects contacts older than them), a background deletion
    that finished and one still waiting.
    """
    from urllib.parse import urlencode

    from contacts.models import BulkDeletion
    from contacts.services import bulk_deletion_request
    from contacts.tasks import run_bulk_deletion
    from exports.services import export_list_request, exports_expire
    from exports.tasks import build_export

    pk = distinctive_contact.pk
    before = set(ExportJob.objects.values_list("pk", flat=True))

    def list_export(max_id: int, **params):
        return export_list_request(
            actor=marketer, filter_query=urlencode(params), max_contact_id=max_id
        )

    expired = list_export(pk - 1, mobile=SECRETS["mobile"])
    build_export(expired.pk)
    exports_expire(now=timezone.now() + dt.timedelta(days=365))
    list_export(pk, q=SECRETS["last_name"])
    build_export(list_export(pk, email=SECRETS["email"]).pk)
    list_export(pk - 1, name=SECRETS["first_name"])
    finished = bulk_deletion_request(
        actor=marketer,
        filter_query=urlencode({"q": SECRETS["nickname"]}),
        max_contact_id=pk,
        total=1,
    )
    run_bulk_deletion(finished.pk)
    bulk_deletion_request(
        actor=marketer,
        filter_query=urlencode({"alias": SECRETS["alias"]}),
        max_contact_id=pk - 1,
        total=1,
    )
    return {
        "exports": list(ExportJob.objects.exclude(pk__in=before).order_by("pk")),
        "deletions": list(BulkDeletion.objects.order_by("pk")),
    }
