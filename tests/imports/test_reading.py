import codecs
import csv
import io
import zipfile
from typing import BinaryIO, cast

import pytest

from imports.reading import (
    ENCODINGS,
    MAX_COLUMNS,
    Dialect,
    ImportFileError,
    detect_dialect,
    open_table,
    preview,
)

UTF8 = Dialect("utf-8", ",", '"')
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def read(data: bytes, dialect: Dialect | None = None):
    """Header and rows of a file, as the import reads them, with the detected dialect."""
    dialect = dialect or detect_dialect(data[:65536])
    table = open_table(io.BytesIO(data), dialect)
    return table.header, list(table.rows)


def error_of(data: bytes, dialect: Dialect | None = None) -> ImportFileError:
    with pytest.raises(ImportFileError) as exc:
        read(data, dialect)
    return exc.value


def test_a_plain_utf8_comma_file():
    header, rows = read(b"user.Email,user.FirstName\nanna@example.com,Anna\nbob@example.com,Bob\n")
    assert header == ["user.Email", "user.FirstName"]
    assert rows == [(2, ["anna@example.com", "Anna"]), (3, ["bob@example.com", "Bob"])]


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        ("Email;Nachname\na@example.com;Müller\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Email;Nachname\na@example.com;Müller\n".encode(), "utf-8-sig"),
        ("Email;Nachname\na@example.com;Müller\n".encode("utf-16"), "utf-16"),
        (
            codecs.BOM_UTF16_BE + "Email;Nachname\na@example.com;Müller\n".encode("utf-16-be"),
            "utf-16",
        ),
        ("Email;Nachname\na@example.com;Müller\n".encode("windows-1252"), "windows-1252"),
    ],
)
def test_each_encoding_is_detected_and_read(encoded, encoding):
    dialect = detect_dialect(encoded)
    assert dialect == Dialect(encoding, ";", '"')
    assert read(encoded) == (["Email", "Nachname"], [(2, ["a@example.com", "Müller"])])


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised(encoding):
    data = "Email;Name\na@example.com;Zoë\n".encode(encoding)
    assert detect_dialect(data) == Dialect(encoding, ";", '"')
    assert read(data) == (["Email", "Name"], [(2, ["a@example.com", "Zoë"])])


def test_a_bom_read_as_plain_utf8_is_not_part_of_the_first_name():
    data = codecs.BOM_UTF8 + b"Email,Name\na@example.com,A\n"
    assert read(data, UTF8)[0] == ["Email", "Name"]


@pytest.mark.parametrize(
    ("dialect", "message"),
    [
        (Dialect("ebcdic", ",", '"'), "Choose one of the encodings offered"),
        (Dialect("utf-8", "", '"'), "as the delimiter"),
        (Dialect("utf-8", ",,", '"'), "as the delimiter"),
        (Dialect("utf-8", ",", ""), "quote character"),
    ],
)
def test_a_dialect_that_is_not_offered_is_refused(dialect, message):
    assert message in error_of(b"Email\na@example.com\n", dialect).message


def test_windows_1252_reads_the_euro_sign_and_quotes():
    data = "Email,Note\na@example.com,„5 €“\n".encode("windows-1252")
    assert detect_dialect(data).encoding == "windows-1252"
    assert read(data)[1] == [(2, ["a@example.com", "„5 €“"])]


def test_bytes_that_windows_1252_does_not_define_fall_back_to_latin_1():
    data = b"Email,Note\na@example.com,\x81\xe9\n"
    assert detect_dialect(data).encoding == "iso-8859-1"
    assert read(data)[1] == [(2, ["a@example.com", "\x81é"])]


def test_a_utf8_character_cut_at_the_end_of_the_sample_is_still_utf8():
    data = ("Email,Name\n" + "a@example.com,Jürgen\n" * 5000).encode()
    cut = data[: data.index("ü".encode()) + 1]
    assert detect_dialect(cut).encoding == "utf-8"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(delimiter):
    # Each value holds the other delimiters, quoted where they must be.
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["Email", "First name", "Last name"])
    writer.writerow(["a@example.com", "Anna, Maria", "Müller; Sohn|Tab\there"])
    writer.writerow(["b@example.com", "Bob", "Brown"])
    data = out.getvalue().encode()
    assert detect_dialect(data).delimiter == delimiter
    assert read(data)[1] == [
        (2, ["a@example.com", "Anna, Maria", "Müller; Sohn|Tab\there"]),
        (3, ["b@example.com", "Bob", "Brown"]),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Email;Name, first\na@example.com;Anna, Maria\n",
        "Email;Nachname, Vorname, Titel\na@example.com;Berg, Anna, Dr.\n",
        "Email|Note, short\na@example.com|Hello, world\n",
    ],
)
def test_commas_in_text_do_not_make_a_file_comma_separated(text):
    assert detect_dialect(text.encode()).delimiter == text[5]


def test_a_comma_file_with_spaces_after_the_commas():
    data = b"Email, First name, Last name\na@example.com, Anna, Berg\n"
    assert detect_dialect(data).delimiter == ","


def test_a_single_column_file_is_comma_separated():
    assert detect_dialect(b"Email\na@example.com\n").delimiter == ","


def test_single_quotes_are_detected_when_no_double_quotes_are_used():
    data = b"Email;Name\na@example.com;'M\xc3\xbcller; Anna'\n"
    assert detect_dialect(data) == Dialect("utf-8", ";", "'")
    assert read(data)[1] == [(2, ["a@example.com", "Müller; Anna"])]


@pytest.mark.parametrize("hint", [b"sep=;\r\n", b"SEP=;\n", codecs.BOM_UTF8 + b"sep=;\n"])
def test_excels_separator_line_names_the_delimiter_and_is_not_a_row(hint):
    data = hint + b"Email;Name, first\na@example.com;Anna, Maria\n"
    assert detect_dialect(data).delimiter == ";"
    assert read(data) == (["Email", "Name, first"], [(2, ["a@example.com", "Anna, Maria"])])


def test_apostrophes_in_names_are_not_quotes():
    data = b"Email;Name\na@example.com;O'Brien\nb@example.com;'t Hooft\n"
    assert detect_dialect(data).quotechar == '"'
    assert read(data)[1][1] == (3, ["b@example.com", "'t Hooft"])


def test_the_user_may_override_the_dialect():
    data = b"Email;Name\na@example.com;Anna\n"
    header, rows = read(data, Dialect("utf-8", ",", '"'))
    assert header == ["Email;Name"]


def test_line_numbers_are_spreadsheet_rows_and_blank_rows_are_skipped():
    data = b'Email,Note\r\na@example.com,"two\r\nlines"\r\n\r\n,\r\nb@example.com,x\r\n'
    header, rows = read(data)
    assert rows == [(2, ["a@example.com", "two\r\nlines"]), (5, ["b@example.com", "x"])]


def test_header_names_are_stripped():
    assert read(b" Email , Name \na@example.com,A\n")[0] == ["Email", "Name"]


def test_rows_with_too_many_or_too_few_cells_are_read_as_they_are():
    # imports.rows rejects them one by one; the file stays readable.
    _, rows = read(b"Email,Name\na@example.com\nb@example.com,B,extra\n")
    assert rows == [(2, ["a@example.com"]), (3, ["b@example.com", "B", "extra"])]


# Section 3 of the issue: bad files get a clear message, with the line where it helps.


@pytest.mark.parametrize("data", [b"", b"\n\n", codecs.BOM_UTF8, b"  \r\n", b",,,\n"])
def test_an_empty_file(data):
    assert error_of(data).message == "The file is empty."


def test_a_header_only():
    assert error_of(b"Email,Name\n").message == "The file has a header but no rows of contacts."
    assert error_of(b"Email,Name\n\n,\n").message.startswith("The file has a header but no")


def test_a_png_image():
    assert error_of(PNG).message == "This is not a text file (it looks like a PNG image)."


def test_a_zip_archive_or_excel_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("contacts.csv", "Email\na@example.com\n")
    message = error_of(buffer.getvalue()).message
    assert message.startswith("This is not a text file (it looks like a ZIP archive")
    assert "save it as CSV" in message


def test_binary_data_without_a_known_signature():
    data = bytes(range(256)) * 64
    assert error_of(data).message.startswith("This is not a text file")


def test_invalid_utf8_under_utf8_names_the_line():
    data = b"Email,Name\na@example.com,Anna\nb@example.com,M\xfcller\n"
    error = error_of(data, UTF8)
    assert error.line == 3
    assert error.message == ("Line 3: the file is not valid UTF-8 here. Choose another encoding.")


def test_invalid_utf8_deep_in_a_big_file_names_its_line():
    data = b"Email,Name\n" + b"a@example.com,Anna\n" * 20_000 + b"b@example.com,\xff\n"
    assert error_of(data, UTF8).line == 20_002


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_read_as_utf8_says_which_encoding_to_choose(encoding):
    data = "Email\na@example.com\n".encode(encoding)
    assert error_of(data, UTF8).message == "This file is UTF-16 text: choose a UTF-16 encoding."


def test_an_odd_byte_count_under_utf16():
    data = "Email\na@example.com\n".encode("utf-16") + b"\x00"
    assert "not valid UTF-16" in error_of(data).message


TEXT = "Email,First name\nr1@example.com,Jörg\nr2@example.com,Zoë €\n"
FILES = {
    "UTF-8": TEXT.encode("utf-8"),
    "UTF-8 with BOM": TEXT.encode("utf-8-sig"),
    "UTF-16 LE with BOM": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    "UTF-16 BE with BOM": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "UTF-16 LE": TEXT.encode("utf-16-le"),
    "UTF-16 BE": TEXT.encode("utf-16-be"),
    "UTF-16 odd byte count": TEXT.encode("utf-16") + b"a",
    "Windows-1252": TEXT.encode("windows-1252"),
    "Latin-1 with bytes Windows-1252 leaves undefined": b"Email\n\x81\x8d@example.com\n",
    "ASCII": b"Email\na@example.com\n",
    "invalid UTF-8": b"Email\n\xff\xfea@example.com\n",
    "a BOM only": codecs.BOM_UTF16_LE,
    "one byte": b"E",
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("kind", FILES)
def test_every_encoding_on_every_kind_of_file_reads_or_says_why(encoding, kind):
    """Never a codec's own error: a UTF-16 decoder raises a bare UnicodeError (not a
    UnicodeDecodeError) for a file without a BOM."""
    dialect = Dialect(encoding, ",", '"')
    shown = preview(io.BytesIO(FILES[kind]), dialect)
    assert shown.problem or shown.header
    try:
        read(FILES[kind], dialect)
    except ImportFileError as exc:
        assert exc.message


@pytest.mark.parametrize("kind", ["UTF-8", "Windows-1252", "UTF-16 LE", "UTF-16 BE"])
def test_utf16_with_bom_chosen_for_a_file_without_one(kind):
    error = error_of(FILES[kind], Dialect("utf-16", ",", '"'))
    assert error.message == (
        "Line 1: the file is not valid UTF-16 (with BOM) here. Choose another encoding."
    )


def test_a_nul_byte_names_the_line():
    data = b"Email,Name\na@example.com,Anna\nb@example.com,B\x00b\n"
    error = error_of(data)
    assert error.line == 3
    assert "NUL byte" in error.message


def test_an_unterminated_quote_at_the_end():
    error = error_of(b'Email,Name\na@example.com,Anna\nb@example.com,"Bob\nc@example.com,C\n')
    assert error.message == "Line 3: a quoted value is never closed."


def test_an_unterminated_quote_in_a_big_file_stops_at_the_value_limit():
    rows = b"a@example.com,Anna\n" * 50_000
    error = error_of(b'Email,Name\nb@example.com,"Bob\n' + rows)
    assert error.line == 2
    assert "probably a quote that is never closed" in error.message


def test_characters_after_a_closing_quote():
    error = error_of(b'Email,Name\na@example.com,"Anna" Maria\n')
    assert error.line == 2
    assert "quoted value is followed by more characters" in error.message


def test_a_10000_column_header():
    header = ",".join(f"col{i}" for i in range(10_000)).encode()
    error = error_of(header + b"\n" + b"," * 9_999 + b"x\n")
    assert error.line == 1
    assert f"at most {MAX_COLUMNS:,}" in error.message
    assert "10,000 columns" in error.message


def test_a_single_50_mb_line():
    data = b"Email,Name\na@example.com," + b"x" * (50 * 1024 * 1024) + b"\n"
    error = error_of(data, UTF8)
    assert error.line == 2
    assert "longer than" in error.message


def test_a_50_mb_header_line():
    error = error_of(b"Email," + b"x," * (25 * 1024 * 1024), UTF8)
    assert error.line == 1


def test_duplicate_header_names():
    error = error_of(b"Email,Name,Email\na@example.com,A,b@example.com\n")
    assert error.message == (
        "Line 1: the header names the column “Email” twice (columns 1 and 3). "
        "Rename or remove one of them."
    )


def test_nameless_columns_are_not_duplicates():
    assert read(b"Email,,\na@example.com,x,y\n")[0] == ["Email", "", ""]


def test_preview_shows_the_first_rows():
    data = b"Email\n" + b"".join(b"p%d@example.com\n" % i for i in range(30))
    result = preview(io.BytesIO(data), UTF8)
    assert result.header == ["Email"]
    assert [line for line, _ in result.rows] == list(range(2, 12))
    assert result.problem is None


def test_preview_shows_a_problem_after_the_rows_it_could_read():
    data = b'Email,Name\na@example.com,Anna\nb@example.com,"Bob\n'
    result = preview(io.BytesIO(data), UTF8, rows=10)
    assert result.rows == [(2, ["a@example.com", "Anna"])]
    assert result.problem == "Line 3: a quoted value is never closed."


def test_preview_of_a_file_that_is_not_text():
    result = preview(io.BytesIO(PNG), UTF8)
    assert (result.header, result.rows) == ([], [])
    assert result.problem == "This is not a text file (it looks like a PNG image)."


def test_a_stream_read_in_small_pieces_gives_the_same_rows():
    class Trickle(io.RawIOBase):
        def __init__(self, data):
            self.data = data

        def readable(self):
            return True

        def read(self, size=-1):
            piece, self.data = self.data[:7], self.data[7:]
            return piece

    data = b"Email;Name\n" + "a@example.com;Jürgen\n".encode() * 1000
    table = open_table(cast(BinaryIO, Trickle(data)), Dialect("utf-8", ";", '"'))
    assert sum(1 for _ in table.rows) == 1000
