"""The import bench's file updates existing contacts without renaming them: the updates
stay in the dataset, and renamed contacts changed which name the pages search for."""

import csv

import pytest

from bench.import_case import NEW_DOMAIN, write_file
from bench.import_rows import HEADER
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
