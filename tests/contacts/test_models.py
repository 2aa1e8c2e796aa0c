import pytest
from django.db import IntegrityError, transaction

from contacts.models import Contact, IdentifierType
from contacts.services import contact_create, contacts_delete
from tests.factories import AliasContactFactory, ContactFactory, MobileContactFactory


def _violates(**fields) -> bool:
    try:
        with transaction.atomic():
            Contact.objects.create(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
def test_contact_id_is_never_reused_even_after_deleting_the_newest():
    first = contact_create(actor=None, identifier_type="email", identifier="a@example.com")
    second = contact_create(actor=None, identifier_type="email", identifier="b@example.com")
    contacts_delete(actor=None, contacts=Contact.objects.filter(pk=second.pk))
    third = contact_create(actor=None, identifier_type="email", identifier="b@example.com")
    assert first.pk < second.pk < third.pk


@pytest.mark.django_db
def test_database_refuses_a_second_email_differing_only_in_case():
    ContactFactory(email="Anna@example.com")
    assert _violates(identifier_type=IdentifierType.EMAIL, email="anna@EXAMPLE.com")


@pytest.mark.django_db
def test_database_refuses_duplicate_mobile_and_alias():
    MobileContactFactory(mobile_number="+491711234567")
    AliasContactFactory(app_alias="x" * 2000)
    assert _violates(identifier_type=IdentifierType.MOBILE, mobile_number="+491711234567")
    assert _violates(identifier_type=IdentifierType.APP_ALIAS, app_alias="x" * 2000)
    assert not _violates(identifier_type=IdentifierType.APP_ALIAS, app_alias="x" * 1999)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"identifier_type": IdentifierType.EMAIL},
        {"identifier_type": IdentifierType.EMAIL, "mobile_number": "+491711234567"},
        {"identifier_type": IdentifierType.MOBILE, "email": "a@example.com"},
        {"identifier_type": IdentifierType.APP_ALIAS, "app_alias": ""},
        {"identifier_type": IdentifierType.APP_ALIAS, "app_alias": "y" * 2001},
        {"identifier_type": IdentifierType.EMAIL, "email": ""},
        {"identifier_type": IdentifierType.MOBILE, "mobile_number": "01711234567"},
        {"identifier_type": IdentifierType.EMAIL, "email": "a@example.com", "source_id": 100000},
    ],
)
def test_database_constraints_enforce_identifier_rules(fields):
    assert _violates(**fields)


@pytest.mark.django_db
def test_many_contacts_may_share_an_external_identifier_and_lack_other_identifiers():
    ContactFactory(external_id="CRM-1")
    ContactFactory(external_id="CRM-1")
    assert Contact.objects.filter(external_id="CRM-1").count() == 2
