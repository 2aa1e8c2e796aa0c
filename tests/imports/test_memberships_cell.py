"""The Group memberships cell of an import: a JSON object, group name -> status."""

import pytest

from imports.joins import parse_memberships

ASKED = 'Write the group memberships as {"Group name": "Active", ...}.'


@pytest.mark.parametrize(
    "cell",
    [
        "not json",
        '["Newsletter"]',
        '{"Newsletter": 1}',
        # deeper than the JSON decoder recurses: it raised RecursionError, failing the job
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' * 100_000 + "1" + "}" * 100_000,
    ],
)
def test_a_cell_that_is_no_mapping_of_names_to_statuses_gets_the_row_s_reason(cell):
    assert parse_memberships(cell) == ASKED


def test_a_mapping_and_an_empty_cell():
    assert parse_memberships('{"Newsletter": "Active"}') == {"Newsletter": "Active"}
    assert parse_memberships("  ") is None
    assert parse_memberships(None) is None
