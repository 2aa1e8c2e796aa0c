"""The import's rules, end to end through the job: modes, empty cells, groups, rejections."""

import csv
import io

import pytest
from django.conf import settings

from anonymization.services import contact_anonymize
from contacts.models import (
    AttributeValue,
    Contact,
    MemberAttributeValue,
    Membership,
    MembershipStatus,
)
from core.models import Notification
from imports.models import ImportRejection, ImportStatus
from imports.notifications import compose_finished_email
from imports.selectors import import_rejected_rows
from tests.factories import (
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MembershipFactory,
    MobileContactFactory,
)
from tests.imports.engine import import_text, run, start, upload

pytestmark = pytest.mark.django_db

MOBILE_A = "+491711234567"
MOBILE_B = "+491717654321"


def rejections(job) -> dict[int, str]:
    return {
        r.line: f"{r.column}: {r.message}" if r.column else r.message
        for r in ImportRejection.objects.filter(job=job)
    }


def test_only_create_skips_existing_contacts(marketer):
    existing = ContactFactory(email="a@example.com", first_name="Kept")
    job = import_text(
        marketer, "Email,First name\na@example.com,New\nb@example.com,B\n", mode="create_only"
    )
    assert (job.created, job.updated, job.skipped) == (1, 0, 1)
    existing.refresh_from_db()
    assert existing.first_name == "Kept" and existing.version == 1


def test_only_update_rejects_unknown_contacts(marketer):
    existing = ContactFactory(email="a@example.com", first_name="Old")
    job = import_text(
        marketer, "Email,First name\na@example.com,New\nb@example.com,B\n", mode="update_only"
    )
    assert (job.created, job.updated, job.rejected) == (0, 1, 1)
    assert "No contact has this Email" in rejections(job)[3]
    assert not Contact.objects.filter(email="b@example.com").exists()
    existing.refresh_from_db()
    assert existing.first_name == "New"


def test_unchanged_rows_keep_their_version(marketer):
    contact = ContactFactory(email="a@example.com", first_name="Same", last_name="Row")
    before = contact.updated_at
    job = import_text(marketer, "Email,First name,Last name\na@example.com,Same,Row\n")
    assert (job.updated, job.unchanged) == (0, 1)
    contact.refresh_from_db()
    assert contact.version == 1 and contact.updated_at == before


def test_email_matches_ignoring_case(marketer):
    contact = ContactFactory(email="Ann@Example.com", first_name="Old")
    job = import_text(marketer, "Email,First name\nann@example.com,New\n")
    assert (job.created, job.updated) == (0, 1)
    contact.refresh_from_db()
    assert contact.first_name == "New"


def test_empty_cells_keep_or_clear(marketer):
    contact = ContactFactory(email="a@example.com", first_name="Ann", last_name="Lee")
    job = import_text(marketer, "Email,First name,Last name\na@example.com,,Lee\n")
    assert job.unchanged == 1
    contact.refresh_from_db()
    assert contact.first_name == "Ann"

    job = import_text(
        marketer, "Email,First name,Last name\na@example.com,,Lee\n", empty_cells="clear"
    )
    assert job.updated == 1
    contact.refresh_from_db()
    assert contact.first_name == "" and contact.last_name == "Lee" and contact.version == 2


def test_clearing_the_identifier_of_its_type_is_rejected(marketer):
    contact = ContactFactory(email="a@example.com", mobile_number=MOBILE_A)
    job = import_text(
        marketer,
        f"user.MobileNumber,Email,First name\n{MOBILE_A},,Ann\n",
        match_on="mobile_number",
        empty_cells="clear",
    )
    assert job.rejected == 1
    assert "identifier type" in rejections(job)[2]
    contact.refresh_from_db()
    assert contact.email == "a@example.com"


def test_invalid_values_are_rejected_naming_the_column(marketer):
    job = import_text(
        marketer,
        "Email,Gender,Date of birth\n"
        "not-an-email,male,1990-01-01\n"
        "b@example.com,robot,1990-01-01\n"
        "c@example.com,female,1990-01-01\n",
    )
    assert (job.created, job.rejected) == (1, 2)
    found = rejections(job)
    assert found[2].startswith("Email:")
    assert found[3].startswith("Gender:")
    assert Contact.objects.get().email == "c@example.com"


def test_empty_match_column_is_rejected(marketer):
    job = import_text(marketer, "Email,First name\n,Ann\n")
    assert job.rejected == 1
    assert "contacts are matched on it" in rejections(job)[2]


def test_email_of_one_contact_and_mobile_of_another_is_rejected(marketer):
    first = ContactFactory(email="a@example.com")
    second = MobileContactFactory(mobile_number=MOBILE_B)
    job = import_text(marketer, f"Email,user.MobileNumber\na@example.com,{MOBILE_B}\n")
    assert job.rejected == 1
    message = rejections(job)[2]
    assert str(first.pk) in message and str(second.pk) in message
    first.refresh_from_db()
    assert first.mobile_number is None


def test_a_new_contact_cannot_take_an_identifier_another_holds(marketer):
    holder = MobileContactFactory(mobile_number=MOBILE_B)
    job = import_text(marketer, f"Email,user.MobileNumber\nnew@example.com,{MOBILE_B}\n")
    assert job.rejected == 1
    assert str(holder.pk) in rejections(job)[2]
    assert not Contact.objects.filter(email="new@example.com").exists()


def test_the_same_contact_twice_in_a_file_rejects_the_later_line(marketer, settings):
    settings.IMPORT_CHUNK_ROWS = 2  # the two lines in different chunks too
    job = import_text(
        marketer,
        "Email,First name\na@example.com,First\nb@example.com,B\nA@example.com,Second\n",
    )
    assert (job.created, job.rejected) == (2, 1)
    assert "Same contact as line 2" in rejections(job)[4]
    assert Contact.objects.get(email="a@example.com").first_name == "First"


def test_a_rejected_row_never_blocks_the_others(marketer):
    job = import_text(marketer, "Email\na@example.com\nbroken\nb@example.com\n")
    assert (job.created, job.rejected, job.status) == (2, 1, ImportStatus.DONE)


def test_validate_writes_nothing_but_counts_the_same(marketer):
    ContactFactory(email="a@example.com", first_name="Old")
    text = "Email,First name\na@example.com,New\nb@example.com,B\nbroken,C\n"
    job = import_text(marketer, text, dry_run=True)
    assert (job.created, job.updated, job.rejected) == (1, 1, 1)
    assert Contact.objects.count() == 1
    assert Contact.objects.get().first_name == "Old"


def test_custom_attributes_are_typed_set_and_cleared(marketer):
    definition = AttributeDefinitionFactory(name="Points", data_type="number")
    contact = ContactFactory(email="a@example.com")
    AttributeValueFactory(contact=contact, definition=definition, value="1")
    text = (
        "user.Email,user.CustomAttribute.Points\n"
        "a@example.com,2.50\nb@example.com,\nc@example.com,lots\n"
    )
    job = import_text(marketer, text)
    assert (job.created, job.updated, job.rejected) == (1, 1, 1)
    assert AttributeValue.objects.get(contact=contact).value == "2.5"
    contact.refresh_from_db()
    assert contact.version == 2

    job = import_text(
        marketer, "user.Email,user.CustomAttribute.Points\na@example.com,\n", empty_cells="clear"
    )
    assert job.updated == 1
    assert not AttributeValue.objects.filter(contact=contact).exists()


def test_a_group_makes_every_imported_contact_an_active_member(marketer):
    group = GroupFactory()
    deactivated = ContactFactory(email="a@example.com")
    MembershipFactory(contact=deactivated, group=group, status=MembershipStatus.DEACTIVATED)
    job = import_text(marketer, "Email\na@example.com\nb@example.com\n", group=group)
    assert (job.created, job.updated) == (1, 1)
    statuses = set(Membership.objects.filter(group=group).values_list("status", flat=True))
    assert statuses == {MembershipStatus.ACTIVE}
    assert Membership.objects.filter(group=group).count() == 2


def test_group_options_skip_members(marketer):
    group = GroupFactory()
    member = ContactFactory(email="member@example.com", first_name="Old")
    MembershipFactory(contact=member, group=group)
    inactive = ContactFactory(email="inactive@example.com", first_name="Old")
    MembershipFactory(contact=inactive, group=group, status=MembershipStatus.DEACTIVATED)
    text = "Email,First name\nmember@example.com,New\ninactive@example.com,New\nn@example.com,N\n"
    job = import_text(marketer, text, group=group, skip_existing_members=True)
    assert (job.created, job.skipped) == (1, 2)
    member.refresh_from_db()
    assert member.first_name == "Old"

    job = import_text(marketer, text, group=group, skip_inactive_members=True)
    assert (job.updated, job.unchanged, job.skipped) == (1, 1, 1)
    inactive.refresh_from_db()
    assert inactive.first_name == "Old"
    assert Membership.objects.get(contact=inactive).status == MembershipStatus.DEACTIVATED


def test_member_attributes_go_to_the_chosen_group(marketer):
    group = GroupFactory()
    MemberAttributeDefinitionFactory(group=group, name="Tier")
    job = import_text(
        marketer, "user.Email,user.MemberAttribute.Tier\na@example.com,Gold\n", group=group
    )
    assert job.created == 1, job.error
    value = MemberAttributeValue.objects.get()
    assert value.value == "Gold" and value.membership.group == group


def test_anonymized_contacts_are_never_revived(marketer):
    contact = ContactFactory(email="gone@example.com")
    contact_anonymize(actor=marketer, contact_id=contact.pk)
    job = import_text(marketer, "Email\ngone@example.com\n")
    assert job.created == 1
    assert Contact.objects.get(email="gone@example.com").pk != contact.pk


def test_the_rejected_rows_file_imports_back_as_is(marketer):
    job = import_text(marketer, "Email;First name\nbroken;Ann\nok@example.com;Bo\n;Cy\n")
    assert job.rejected == 2
    data = b"".join(import_rejected_rows(job)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == ["Email", "First name", "Line", "Error"]
    assert [r[:3] for r in rows[1:]] == [["broken", "Ann", "2"], ["", "Cy", "4"]]
    assert rows[1][3].startswith("Email:")

    fixed = data.replace("broken", "ann@example.com").replace("\r\n,Cy", "\r\ncy@example.com,Cy")
    again = import_text(marketer, fixed)
    assert (again.created, again.rejected) == (2, 0), rejections(again)


def test_rejected_rows_of_the_wrong_width_keep_line_and_error_in_their_columns(marketer):
    job = import_text(marketer, 'Email,First name\nr1@example.com\nr2@example.com,A,B,"C,D",=1\n')
    assert job.rejected == 2
    data = b"".join(import_rejected_rows(job)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == ["Email", "First name", "Line", "Error"]
    assert rows[1] == [
        "r1@example.com",
        "",
        "2",
        "This row has 1 value but the header has 2 columns.",
    ]
    # The cells beyond the header, as the file had them, at the end of the Error.
    assert rows[2] == [
        "r2@example.com",
        "A",
        "3",
        'This row has 5 values but the header has 2 columns. Extra cells: B,"C,D",=1',
    ]

    fixed = data.replace("r2@example.com,A", "r2@example.com,Anna")
    again = import_text(marketer, fixed)
    assert (again.created, again.rejected) == (2, 0), rejections(again)
    assert Contact.objects.get(email="r2@example.com").first_name == "Anna"


def test_the_rejected_rows_file_runs_no_formula_and_still_imports_back(marketer):
    job = import_text(marketer, "Email,First name,Last name\nbroken,=1+1, @SUM(A1)\n")
    data = b"".join(import_rejected_rows(job)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[1][:3] == ["broken", "'=1+1", "' @SUM(A1)"]
    again = import_text(marketer, data.replace("broken", "ann@example.com"))
    assert (again.created, again.rejected) == (1, 0), rejections(again)
    contact = Contact.objects.get(email="ann@example.com")
    assert (contact.first_name, contact.last_name) == ("=1+1", " @SUM(A1)")


def test_the_finished_mail_has_the_counts(marketer):
    job = import_text(marketer, "Email\na@example.com\nbroken\n")
    notification = Notification.objects.get(kind="imports.finished", object_id=job.pk)
    mail = compose_finished_email(notification)
    assert not isinstance(mail, str)
    assert mail.to == [marketer.email]
    assert "Created: 1" in mail.body and "Rejected: 1" in mail.body
    assert "a@example.com" not in mail.body
    # The link opens this import's page, with its summary and rejected rows.
    assert f"{settings.SITE_URL}/imports/{job.pk}/\n" in mail.body


def test_a_validations_mail_says_what_the_import_would_do(marketer):
    job = import_text(marketer, "Email\na@example.com\nbroken\n", dry_run=True)
    notification = Notification.objects.get(kind="imports.finished", object_id=job.pk)
    mail = compose_finished_email(notification)
    assert not isinstance(mail, str)
    assert "Would be created: 1\n" in mail.body and "Rejected: 1\n" in mail.body
    assert "\nCreated:" not in mail.body
    assert not Contact.objects.exists()


def test_the_finished_mail_names_the_file_as_uploaded(marketer):
    """Plain text: a file name with &, < or ' is written as it is, not as HTML entities."""
    name = "Q&A O'Brien <list>.csv"
    job = run(start(upload(marketer, "Email\na@example.com\n", name=name), marketer))
    notification = Notification.objects.get(kind="imports.finished", object_id=job.pk)
    mail = compose_finished_email(notification)
    assert not isinstance(mail, str)
    assert f"The import of {name} has ended" in mail.body
    assert "&amp;" not in mail.body and "&#x27;" not in mail.body


def test_a_new_contact_needs_the_identifier_of_its_type(marketer):
    job = import_text(
        marketer, "Email,Identifier type,First name\na@example.com,Mobile Number,Ann\n"
    )
    assert job.rejected == 1
    assert "identifier type" in rejections(job)[2]
    assert not Contact.objects.exists()


def test_an_empty_identifier_type_cell_is_never_cleared(marketer):
    contact = ContactFactory(email="a@example.com", first_name="Ann")
    job = import_text(
        marketer, "Email,Identifier type,First name\na@example.com,,Bo\n", empty_cells="clear"
    )
    assert (job.updated, job.rejected, job.status) == (1, 0, ImportStatus.DONE)
    contact.refresh_from_db()
    assert (contact.identifier_type, contact.first_name) == ("email", "Bo")


def test_equal_member_values_leave_the_contact_unchanged(marketer):
    group = GroupFactory()
    MemberAttributeDefinitionFactory(group=group, name="Tier")
    text = "user.Email,user.MemberAttribute.Tier\na@example.com,Gold\n"
    assert import_text(marketer, text, group=group).created == 1
    again = import_text(marketer, text, group=group)
    assert (again.updated, again.unchanged) == (0, 1)
    changed = import_text(marketer, text.replace("Gold", "Silver"), group=group)
    assert changed.updated == 1
    assert MemberAttributeValue.objects.get().value == "Silver"
    cleared = import_text(
        marketer,
        "user.Email,user.MemberAttribute.Tier\na@example.com,\n",
        group=group,
        empty_cells="clear",
    )
    assert cleared.updated == 1
    assert not MemberAttributeValue.objects.exists()
    assert Membership.objects.get().status == MembershipStatus.ACTIVE
