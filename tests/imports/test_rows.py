import csv
import datetime as dt
import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from contacts.models import AttributeDefinition, MemberAttributeDefinition
from imports.reading import Dialect, open_table
from imports.rows import CLEAR, CheckedRow, Rejection, check_row, compile_plan
from tests.imports.naughty import NAUGHTY_STRINGS

LOYALTY = AttributeDefinition(name="Loyalty", data_type="number")
CLUB = AttributeDefinition(name="Club", data_type="string", allowed_values="Gold\nSilver")
VIP = AttributeDefinition(name="VIP", data_type="boolean")
NOTE = AttributeDefinition(name="Note", data_type="string")
SEAT = MemberAttributeDefinition(name="Seat", data_type="string")
CUSTOM = {d.name: d for d in (LOYALTY, CLUB, VIP, NOTE)}


def plan(header, mapping=None, *, match_on="email", clear_empty=False, member=None):
    return compile_plan(
        header=list(header),
        mapping=list(mapping if mapping is not None else header),
        custom=CUSTOM,
        member=member,
        match_on=match_on,
        clear_empty=clear_empty,
    )


def checked(result: CheckedRow | Rejection) -> CheckedRow:
    assert isinstance(result, CheckedRow), result
    return result


def rejected(result: CheckedRow | Rejection) -> Rejection:
    assert isinstance(result, Rejection), result
    return result


def mapping_errors(**kwargs):
    with pytest.raises(ValidationError) as exc:
        plan(**kwargs)
    return exc.value.message_dict


# compile_plan: a mapping that cannot work is refused before any row is read


def test_a_mapping_without_an_identifier_column():
    errors = mapping_errors(header=["Vorname"], mapping=["first_name"])
    assert errors["mapping"] == [
        "Map a column to Email, Mobile Number, Mobile App Alias or External Identifier: "
        "contacts are found and created by one of them."
    ]


def test_the_match_column_must_be_mapped():
    errors = mapping_errors(header=["Email"], mapping=["email"], match_on="mobile_number")
    assert errors["match_on"] == [
        "Contacts are matched on Mobile Number, but no column is mapped to it."
    ]
    errors = mapping_errors(header=["Email"], mapping=["email"], match_on="first_name")
    assert "match_on" in errors


def test_the_same_target_twice():
    errors = mapping_errors(header=["Email", "E-Mail"], mapping=["email", "email"])
    assert errors["mapping"] == [
        "The columns “Email” and “E-Mail” are both mapped to Email; ignore one of them."
    ]


def test_member_attributes_need_a_group_and_must_exist():
    errors = mapping_errors(header=["Email", "Seat"], mapping=["email", "member:Seat"])
    assert "choose a group" in errors["mapping"][0]
    errors = mapping_errors(
        header=["Email", "Row"], mapping=["email", "member:Row"], member={"Seat": SEAT}
    )
    assert errors["mapping"] == [
        "The group has no member attribute “Row” (column “Row”); ignore the column."
    ]
    # A group with no member attributes at all is still a group: it was told to choose one.
    errors = mapping_errors(header=["Email", "Row"], mapping=["email", "member:Row"], member={})
    assert errors["mapping"] == [
        "The group has no member attribute “Row” (column “Row”); ignore the column."
    ]


def test_an_unknown_custom_attribute_or_field():
    errors = mapping_errors(header=["Email", "Size", "X"], mapping=["email", "custom:Size", "pk"])
    assert errors["mapping"][0].startswith(
        "The column “Size” is mapped to the custom attribute “Size”, which does not exist."
    )
    assert errors["mapping"][1] == "The column “X” is mapped to an unknown field (pk)."


def test_a_mapping_that_does_not_fit_the_header():
    assert "mapping" in mapping_errors(header=["Email", "Name"], mapping=["email"])


# check_row: one row to values, or a rejection that names the column

STANDARD = {
    "user.Email": "email",
    "user.MobileNumber": "mobile_number",
    "user.FaxNumber": "app_alias",
    "user.Identifier": "external_id",
    "user.FirstName": "first_name",
    "user.Title": "title",
    "user.Gender": "gender",
    "user.DateOfBirth": "date_of_birth",
    "user.ISOCountryCode": "country",
    "user.ISOLanguageCode": "language",
    "user.ZipCode": "zip_code",
    "user.TimeZone": "time_zone",
    "user.PartnerId": "source_id",
    "Email status": "email_status",
    "Loyalty": "custom:Loyalty",
    "Club": "custom:Club",
    "VIP": "custom:VIP",
}


def test_a_row_is_normalized_by_the_rules_of_the_forms():
    row_plan = plan(list(STANDARD), list(STANDARD.values()))
    cells = [
        " Anna@Bücher.DE ",
        "49 171 1234567",
        "alias-1",
        "CRM-7",
        "Anna",
        "Ms.",
        "female",
        "1990-05-17",
        "de",
        "DE",
        "10115",
        "europe/berlin",
        "00042",
        "Opted out",
        "1.50",
        "Gold",
        "true",
    ]
    result = check_row(row_plan, 2, cells)
    assert result == CheckedRow(
        2,
        "anna@xn--bcher-kva.de",
        {
            "email": "Anna@xn--bcher-kva.de",
            "mobile_number": "+491711234567",
            "app_alias": "alias-1",
            "external_id": "CRM-7",
            "first_name": "Anna",
            "title": "ms",
            "gender": "female",
            "date_of_birth": dt.date(1990, 5, 17),
            "country": "DE",
            "language": "de",
            "zip_code": "10115",
            "time_zone": "Europe/Berlin",
            "source_id": 42,
            "email_status": "opted_out",
            "custom:Loyalty": "1.5",
            "custom:Club": "Gold",
            "custom:VIP": "true",
        },
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("user.Email", "anna@", "user.Email: Enter a valid email address, like name@example.com."),
        ("user.MobileNumber", "0171 1234567", "user.MobileNumber: Enter the mobile number with +"),
        ("user.MobileNumber", "+49 123", "user.MobileNumber: This is not a valid mobile number."),
        ("user.FaxNumber", "x" * 2001, "user.FaxNumber: A mobile app alias can have at most 2,000"),
        ("user.Identifier", "x" * 2001, "user.Identifier: An external identifier can have at most"),
        ("user.FirstName", "x" * 256, "user.FirstName: Enter at most 255 characters"),
        ("user.Title", "Dr.", "user.Title: Enter one of: Mr., Ms., Unknown."),
        ("user.Gender", "x", "user.Gender: Enter one of: Male, Female, Undisclosed."),
        ("user.DateOfBirth", "17.05.1990", "user.DateOfBirth: Enter the date as YYYY-MM-DD"),
        ("user.DateOfBirth", "2990-05-17", "user.DateOfBirth: The date of birth cannot be in"),
        ("user.DateOfBirth", "1990-02-30", "user.DateOfBirth: Enter the date as YYYY-MM-DD"),
        ("user.ISOCountryCode", "Germany", "user.ISOCountryCode: Enter a two-letter ISO 3166-1"),
        ("user.ISOLanguageCode", "deu", "user.ISOLanguageCode: Enter a two-letter ISO 639-1"),
        ("user.ZipCode", "1" * 21, "user.ZipCode: Enter at most 20 characters"),
        ("user.TimeZone", "CEST", "user.TimeZone: Enter a time zone by its IANA name"),
        ("user.TimeZone", "localtime", "user.TimeZone: Enter a time zone by its IANA name"),
        ("user.TimeZone", "US/Alaska", "user.TimeZone: “US/Alaska” is an old name of a time"),
        ("user.PartnerId", "100000", "user.PartnerId: A source ID has at most 5 digits."),
        ("user.PartnerId", "-1", "user.PartnerId: Enter a whole number"),
        ("user.PartnerId", "٣", "user.PartnerId: Enter a whole number"),
        ("Email status", "gone", "Email status: Enter one of: Active, Bounced, Opted out."),
        ("Loyalty", "many", "Loyalty: Enter a number, e.g. 42 or -12.5, with a point as"),
        ("Loyalty", "1_000", "Loyalty: Enter a number without underscores, e.g. 1000."),
        ("Club", "Bronze", "Club: Select a valid choice."),
        ("VIP", "maybe", "VIP: Select a valid choice."),
    ],
)
def test_an_invalid_value_rejects_the_row_naming_the_column(column, value, message):
    row_plan = plan(list(STANDARD), list(STANDARD.values()))
    cells = [""] * len(STANDARD)
    cells[0] = "anna@example.com"
    cells[list(STANDARD).index(column)] = value
    result = check_row(row_plan, 7, cells)
    assert isinstance(result, Rejection)
    assert (result.line, result.column) == (7, column)
    assert result.message.startswith(message)


def test_a_row_is_rejected_with_everything_wrong_with_it():
    row_plan = plan(list(STANDARD), list(STANDARD.values()))
    cells = [""] * len(STANDARD)
    cells[0] = "multi.err@import.example"
    for column, value in (
        ("user.MobileNumber", "0171 555"),
        ("user.Gender", "Alien"),
        ("user.DateOfBirth", "2099-01-01"),
    ):
        cells[list(STANDARD).index(column)] = value
    result = check_row(row_plan, 2, cells)
    assert isinstance(result, Rejection)
    assert result.column == "user.MobileNumber"  # the first of them
    assert result.message.startswith("user.MobileNumber: Enter the mobile number with +")
    gender = result.message.index(" user.Gender: Enter one of: Male, Female, Undisclosed.")
    born = result.message.index(" user.DateOfBirth: The date of birth cannot be in")
    assert 0 < gender < born


def test_an_empty_identifier_is_named_with_the_other_problems():
    row_plan = plan(["Email", "Gender"], ["email", "gender"])
    result = check_row(row_plan, 4, ["", "Alien"])
    assert isinstance(result, Rejection)
    assert result.message == (
        "Email is empty, but contacts are matched on it (Email). "
        "Gender: Enter one of: Male, Female, Undisclosed."
    )


def test_too_many_or_too_few_cells():
    row_plan = plan(["Email", "Vorname"], ["email", "first_name"])
    assert check_row(row_plan, 3, ["a@example.com"]) == Rejection(
        3, None, "This row has 1 value but the header has 2 columns."
    )
    assert rejected(check_row(row_plan, 4, ["a@example.com", "A", "B"])).message == (
        "This row has 3 values but the header has 2 columns."
    )


@pytest.mark.parametrize("empty", ["", "   ", "\u00a0"])
def test_an_empty_match_column(empty):
    row_plan = plan(["Email", "Handy"], ["email", "mobile_number"], match_on="mobile_number")
    assert check_row(row_plan, 5, ["a@example.com", empty]) == Rejection(
        5, "Handy", "Handy is empty, but contacts are matched on it (Mobile Number)."
    )


def test_empty_cells_keep_or_clear_the_stored_value():
    header, mapping = (
        ["Email", "Vorname", "Loyalty", "Ignored"],
        ["email", "first_name", "custom:Loyalty", ""],
    )
    keep = check_row(plan(header, mapping), 2, ["a@example.com", "", " ", ""])
    assert keep == CheckedRow(2, "a@example.com", {"email": "a@example.com"})
    clear = check_row(plan(header, mapping, clear_empty=True), 2, ["a@example.com", "", " ", ""])
    assert clear == CheckedRow(
        2,
        "a@example.com",
        {"email": "a@example.com", "first_name": CLEAR, "custom:Loyalty": CLEAR},
    )


def test_the_key_is_the_normalized_match_value():
    row_plan = plan(
        ["Email", "Handy", "Alias", "Ext"], ["email", "mobile_number", "app_alias", "external_id"]
    )
    cells = ["Anna@Example.COM", "+49 (0)171 1234567", " Alias ", " CRM-1 "]
    assert checked(check_row(row_plan, 2, cells)).key == "anna@example.com"
    for match_on, key in (
        ("mobile_number", "+491711234567"),
        ("app_alias", "Alias"),
        ("external_id", "CRM-1"),
    ):
        row_plan = plan(
            ["Email", "Handy", "Alias", "Ext"],
            ["email", "mobile_number", "app_alias", "external_id"],
            match_on=match_on,
        )
        assert checked(check_row(row_plan, 2, cells)).key == key


def test_excel_formula_values_are_stored_as_given_or_rejected_by_their_rule():
    row_plan = plan(["Email", "Vorname", "Handy"], ["email", "first_name", "mobile_number"])
    result = checked(
        check_row(row_plan, 2, ["a@example.com", '=HYPERLINK("http://x","y")', "+49 171 1234567"])
    )
    assert result.values["first_name"] == '=HYPERLINK("http://x","y")'
    assert result.values["mobile_number"] == "+491711234567"
    assert rejected(check_row(row_plan, 3, ["=1+1", "A", ""])).column == "Email"


# The Big List of Naughty Strings, written to a file, read back and checked: each string is
# either kept exactly, or the row is rejected with a message naming the column.


def _written(strings, header):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for number, value in enumerate(strings):
        writer.writerow([f"n{number}@example.com", value, value, value])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_naughty_strings_are_kept_exactly_or_rejected_with_a_message(encoding):
    header = ["Email", "Vorname", "user.CustomAttribute.Note", "user.Identifier"]
    data = _written(NAUGHTY_STRINGS, header).decode("utf-8").encode(encoding)
    table = open_table(io.BytesIO(data), Dialect(encoding, ",", '"'))
    row_plan = plan(header, ["email", "first_name", "custom:Note", "external_id"])
    outcomes = {"kept": 0, "rejected": 0, "empty": 0}
    for (line, cells), value in zip(table.rows, NAUGHTY_STRINGS, strict=True):
        assert cells[1] == value  # the file gives back every string exactly
        result = check_row(row_plan, line, cells)
        if isinstance(result, Rejection):
            assert result.column in header[1:]
            assert result.message.startswith(result.column + ": ")
            outcomes["rejected"] += 1
        elif value.isspace():
            assert "first_name" not in result.values
            outcomes["empty"] += 1
        else:
            assert result.values["first_name"] == value
            # A string attribute and the external identifier are trimmed, as in the forms.
            assert result.values["custom:Note"] == value.strip()
            assert result.values["external_id"] == value.strip()
            outcomes["kept"] += 1
    # The 256-character one, and the names that are not one line that shows.
    not_a_name = [value for value in NAUGHTY_STRINGS if _not_one_visible_line(value)]
    assert len(not_a_name) > 5
    assert outcomes["rejected"] == 1 + len(not_a_name)
    assert outcomes["empty"] == sum(1 for value in NAUGHTY_STRINGS if value.isspace())
    assert outcomes["kept"] == len(NAUGHTY_STRINGS) - outcomes["rejected"] - outcomes["empty"]


def _not_one_visible_line(value: str) -> bool:
    """A control character (a line break, a tab), a text direction control, or nothing
    but invisible characters; white space alone is an empty cell."""
    if value.isspace():
        return False
    categories = {unicodedata.category(char) for char in value}
    direction = any("\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069" for char in value)
    return bool(categories & {"Cc", "Zl", "Zp"}) or direction or categories <= {"Cf", "Zs"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a\x00b", "control characters"),
        ("\ud800", "cannot be stored"),
        ("x\udfffy", "cannot be stored"),
    ],
)
def test_characters_a_database_cannot_hold_are_rejected(value, message):
    # A file never gives these (reading stops at a NUL byte); the API could.
    row_plan = plan(["Email", "Vorname", "Ext"], ["email", "first_name", "external_id"])
    result = check_row(row_plan, 2, ["a@example.com", value, ""])
    assert isinstance(result, Rejection)
    assert result.column == "Vorname"
    assert message in result.message
    assert rejected(check_row(row_plan, 2, ["a@example.com", "", value])).column == "Ext"


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("'+491711234567", "+491711234567"),
        ("'=1+1", "=1+1"),
        ("' -1", " -1"),
        ("'@home", "@home"),
        ("'-x", "-x"),
        ("'Brien", "'Brien"),
        ("'", "'"),
        ("''=1", "''=1"),
    ],
)
def test_the_exports_formula_prefix_is_removed(cell, stored):
    # The export writes '=1+1 for a stored =1+1, so that a spreadsheet never runs it.
    row_plan = plan(["Email", "Vorname", "Handy"], ["email", "first_name", "mobile_number"])
    values = checked(check_row(row_plan, 2, ["a@example.com", cell, "'+491711234567"])).values
    assert values["first_name"] == stored
    assert values["mobile_number"] == "+491711234567"


@pytest.mark.parametrize("clear_empty", [False, True])
def test_a_cell_that_is_only_the_prefix_and_a_tab_is_empty(clear_empty):
    # Without the prefix the cell holds only white space: an empty cell, as the job has
    # always read it.
    row_plan = plan(["Email", "Vorname"], ["email", "first_name"], clear_empty=clear_empty)
    values = checked(check_row(row_plan, 2, ["a@example.com", "'\t"])).values
    assert values.get("first_name") == (CLEAR if clear_empty else None)


# Cells whose values each column type must give the same way when met again (the values a
# column's cells gave are remembered): formula prefixes, white space, case, tricky text.
_MET_AGAIN = [
    *NAUGHTY_STRINGS,
    "'=1+1",
    "'\t",
    " Anna ",
    "ANNA@EXAMPLE.COM",
    "anna@example.com",
    "mr",
    "MR.",
    "de",
    " DE ",
    "europe/berlin",
    "1990-02-30",
    "1990-01-01",
    "007",
    "-0",
    "1.50",
]
_EVERY_KIND = (
    ["Vorname", "Anrede", "Land", "Zeitzone", "Geburtstag", "Loyalty", "Club", "VIP", "Ext"],
    [
        "first_name",
        "title",
        "country",
        "time_zone",
        "date_of_birth",
        "custom:Loyalty",
        "custom:Club",
        "custom:VIP",
        "external_id",
    ],
)


@pytest.mark.parametrize("column", range(len(_EVERY_KIND[0])))
def test_a_cell_met_again_gives_what_it_gave_the_first_time(column):
    header, mapping = ["Email", *_EVERY_KIND[0]], ["email", *_EVERY_KIND[1]]
    seen, fresh = plan(header, mapping), None

    def row(value: str) -> list[str]:
        cells = ["a@example.com"] + [""] * len(_EVERY_KIND[0])
        cells[column + 1] = value
        return cells

    for value in _MET_AGAIN + _MET_AGAIN:
        fresh = plan(header, mapping)  # has met nothing
        assert check_row(seen, 2, row(value)) == check_row(fresh, 2, row(value)), value


def test_a_column_remembers_a_bounded_number_of_values():
    from imports.rows import REMEMBERED_VALUES

    row_plan = plan(["Email", "Ext"], ["email", "external_id"])
    for number in range(REMEMBERED_VALUES + 10):
        checked(check_row(row_plan, 2, [f"a{number}@example.com", f"ext{number}"]))
    assert [len(answers) for answers in row_plan.answers] == [REMEMBERED_VALUES] * 2
