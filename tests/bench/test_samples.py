"""The values the bench searches for (bench.dataset.samples): a search whose ratio compares
the two sizes must look for the same term at both, whichever contact each picks."""

import pytest

from bench.dataset import samples
from tests.bench.datasets import dataset
from tests.factories import ContactFactory, GroupFactory


def contact(last_name: str, number: int):
    return ContactFactory(
        email=f"person{number}@example.com",
        mobile_number=f"+4917100000{number:02d}",
        app_alias=f"alias-{number}",
        last_name=last_name,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("picked", ["Hoffmann", "Zimmermann"])
def test_the_name_part_is_the_middle_of_the_most_common_last_name(picked):
    GroupFactory()
    for number, name in enumerate(["Weber"] * 6 + [picked] * 3 + ["Schneider"] * 4):
        contact(name, number)

    found = samples(dataset())

    assert found.common_last_name == "Schneider"  # Weber is more common, but short
    assert found.name_part == "hnei"
    assert found.last_name == picked  # the contact picked by rank has another name
