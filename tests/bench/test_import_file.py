"""The import bench's file updates existing contacts without renaming them: the updates
stay in the dataset, and renamed contacts changed which name the pages search for."""

import csv

import pytest

from bench.import_case import NEW_DOMAIN, floor_seconds, write_file
from bench.import_rows import HEADER
from contacts.models import Contact
from tests.factories import ContactFactory


@pytest.mark.django_db
def test_updates_keep_the_contacts_names_and_new_rows_are_new(tmp_path):
    first = ContactFactory(email="ada@example.com", first_name="Ada", last_name="Lovelace")
    second = ContactFactory(email="alan@example.com", first_name="", last_name="Turing")
    path = tmp_path / "import.csv"

    write_file(path, rows=4)

    with path.open(encoding="utf-8", newline="") as handle:
        rows = [dict(zip(HEADER, row, strict=True)) for row in list(csv.reader(handle))[1:]]
    names = [(r["user.Email"], r["user.FirstName"], r["user.LastName"]) for r in rows[:2]]
    assert names == [
        (first.email, "Ada", "Lovelace"),
        (second.email, "", "Turing"),
    ]
    assert all(r["user.Email"].endswith(f"@{NEW_DOMAIN}") for r in rows[2:])
    assert len(rows) == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_floor_writes_a_file_of_contacts_with_empty_names(tmp_path):
    """An empty cell is NULL in a COPY of CSV; the floor writes it as the import does ("")."""
    ContactFactory(email="nameless@example.com", first_name="", last_name="")
    ContactFactory(email="named@example.com", first_name="Ada", last_name="Lovelace")
    path = tmp_path / "import.csv"
    write_file(path, rows=4)

    assert floor_seconds(path) > 0
    # Rolled back: nothing of the floor's writes is left.
    assert Contact.objects.count() == 2
    assert Contact.objects.get(email="nameless@example.com").first_name == ""
