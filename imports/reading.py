"""Reading an uploaded CSV or text file: its dialect, its header and its rows.

Nothing here knows about contacts. Every problem that makes the whole file unreadable is an
ImportFileError whose message the user can act on, with the line where it was found; a row
that is merely wrong (too few cells, a bad value) is left to `imports.rows`.

Line numbers are the rows a spreadsheet shows: the header is line 1, and a quoted value that
spans several physical lines is still one row.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

DELIMITERS = (",", ";", "\t", "|")
QUOTECHARS = ('"', "'")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "windows-1252", "iso-8859-1")
DELIMITER_NAMES = {",": "Comma (,)", ";": "Semicolon (;)", "\t": "Tab", "|": "Vertical bar (|)"}
QUOTECHAR_NAMES = {'"': 'Double quote (")', "'": "Single quote (')"}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16 (with BOM)",
    "utf-16-le": "UTF-16 little-endian, without BOM",
    "utf-16-be": "UTF-16 big-endian, without BOM",
    "windows-1252": "Windows-1252 (Western European)",
    "iso-8859-1": "Latin-1 (ISO 8859-1)",
}

MAX_COLUMNS = 1_000
# csv's own limit for one value (128 KiB); a longer one is nearly always a quote that is
# never closed, which swallows the rest of the file into one value.
MAX_VALUE_CHARS = csv.field_size_limit()
# One physical line; read with this limit so that a huge line is never held whole.
MAX_LINE_CHARS = 1_000_000
SAMPLE_BYTES = 64 * 1024

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive, such as an Excel workbook; save it as CSV first"),
    (b"\xd0\xcf\x11\xe0", "an Excel or Word document; save it as CSV first"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)
# Bytes that never occur in a text file (all control characters but tab, LF, FF, CR, ESC).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
# Decoded with surrogateescape, an invalid byte becomes one of these.
_BAD_CHARS = re.compile("[\\x00\\udc80-\\udcff]")


@dataclass(frozen=True)
class Dialect:
    encoding: str
    delimiter: str
    quotechar: str


class ImportFileError(Exception):
    """The whole file cannot be read; `message` says why (and where) in the user's words."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.message = f"Line {line}: {message}" if line is not None else message
        super().__init__(self.message)


@dataclass
class Table:
    header: list[str]
    # (line number, cells) of each row that has any value; blank rows are skipped.
    rows: Iterator[tuple[int, list[str]]]
    dialect: Dialect


@dataclass
class Preview:
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problem: str | None = None


def detect_dialect(sample: bytes) -> Dialect:
    """The most likely encoding, delimiter and quote character of a file, from its start.

    Never fails: on a file that is not text it guesses, and `open_table` says what is wrong.
    """
    encoding = _detect_encoding(sample)
    text = _decode_sample(sample, encoding)
    lines = text.splitlines()[:50]
    if len(sample) >= SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # probably cut off
    hint = _SEPARATOR_HINT.fullmatch(lines[0].lstrip("\ufeff")) if lines else None
    if hint:
        lines = lines[1:]
    quotechar = _detect_quotechar(lines)
    named = hint[1] if hint else ""
    delimiter = named if named in DELIMITERS else _detect_delimiter(lines, quotechar)
    return Dialect(encoding=encoding, delimiter=delimiter, quotechar=quotechar)


# Excel's first line "sep=;" names the delimiter; Excel does not show it as a row.
_SEPARATOR_HINT = re.compile(r"sep=(.)\r?\n?", re.IGNORECASE)


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Without a BOM, UTF-16 text (mostly Latin letters) has a NUL in every other byte.
    pairs = len(sample) // 2
    if pairs >= 2:
        if sample[1::2].count(0) > pairs * 0.9 and sample[0::2].count(0) < pairs * 0.1:
            return "utf-16-le"
        if sample[0::2].count(0) > pairs * 0.9 and sample[1::2].count(0) < pairs * 0.1:
            return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        sample.decode("windows-1252")
    except UnicodeDecodeError:
        return "iso-8859-1"  # decodes any byte
    return "windows-1252"


def _decode_sample(sample: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return str(decoder.decode(sample, final=False))


def _detect_quotechar(lines: list[str]) -> str:
    """Single quotes only when whole values are quoted with them and never with double
    quotes (an apostrophe in O'Brien is not a quote)."""

    def quoted_values(quote: str) -> int:
        pattern = re.compile(f"(?:^|[,;\\t|]){quote}[^{quote}]*{quote}(?=[,;\\t|]|$)")
        return sum(len(pattern.findall(line)) for line in lines)

    return "'" if quoted_values("'") > 0 and quoted_values('"') == 0 else '"'


def _detect_delimiter(lines: list[str], quotechar: str) -> str:
    """The delimiter that splits every sample row into as many columns as the header, the
    most cleanly (a value rarely starts or ends with a space, text after a comma nearly
    always does), into the most columns; ties go to the earlier one of DELIMITERS."""
    best, best_score = ",", (False, 0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(lines, delimiter=delimiter, quotechar=quotechar) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        untidy = sum(1 for row in rows for cell in row if cell != cell.strip(" "))
        score = (all(len(row) == width for row in rows), -untidy, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def open_table(stream: BinaryIO, dialect: Dialect) -> Table:
    """The header (read now, checked) and an iterator over the rows (checked as they come).

    Raises ImportFileError for a file that cannot be imported at all.
    """
    _check_dialect(dialect)
    start = stream.read(SAMPLE_BYTES)
    _check_is_text(start, dialect.encoding)
    raw = io.BufferedReader(_Prefixed(start, stream))
    text = io.TextIOWrapper(raw, encoding=dialect.encoding, errors="surrogateescape", newline="")
    reader = csv.reader(
        _checked_lines(text),
        delimiter=dialect.delimiter,
        quotechar=dialect.quotechar,
        doublequote=True,
        strict=True,
    )
    records = _records(reader)
    _, header = next(records, (1, []))
    # A BOM read under plain UTF-8 stays in the first name; it is never part of one.
    header = [name.strip().lstrip("\ufeff").strip() for name in header]
    if not any(header):
        raise ImportFileError("The file is empty.")
    _check_header(header)
    first = next(records, None)
    if first is None:
        raise ImportFileError("The file has a header but no rows of contacts.")

    def rows() -> Iterator[tuple[int, list[str]]]:
        yield first
        yield from records

    return Table(header=header, rows=rows(), dialect=dialect)


def preview(stream: BinaryIO, dialect: Dialect, *, rows: int = 10) -> Preview:
    """The header and the first rows, or what is wrong with the file."""
    try:
        table = open_table(stream, dialect)
    except ImportFileError as exc:
        return Preview(header=[], problem=exc.message)
    result = Preview(header=table.header)
    try:
        for row in table.rows:
            result.rows.append(row)
            if len(result.rows) >= rows:
                break
    except ImportFileError as exc:
        result.problem = exc.message
    return result


def _check_dialect(dialect: Dialect) -> None:
    if dialect.encoding not in ENCODINGS:
        raise ImportFileError(f"Choose one of the encodings offered, not “{dialect.encoding}”.")
    if dialect.delimiter not in DELIMITERS:
        raise ImportFileError("Choose a comma, semicolon, tab or vertical bar as the delimiter.")
    if dialect.quotechar not in QUOTECHARS:
        raise ImportFileError("Choose a double or a single quote as the quote character.")


def _check_is_text(start: bytes, encoding: str) -> None:
    if not start.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError("The file is empty.")
    for magic, kind in _MAGIC:
        if start.startswith(magic):
            raise ImportFileError(f"This is not a text file (it looks like {kind}).")
    if not encoding.startswith("utf-16"):
        if _detect_encoding(start).startswith("utf-16"):
            raise ImportFileError("This file is UTF-16 text: choose a UTF-16 encoding.")
        control = len(start) - len(start.translate(None, _CONTROL_BYTES))
        if control > max(8, len(start) // 100):
            raise ImportFileError(
                "This is not a text file: it contains many bytes that are not text. "
                "Choose a CSV or text file."
            )


class _LineError(Exception):
    pass


def _checked_lines(text: io.TextIOWrapper) -> Iterator[str]:
    """The physical lines of the file, refusing what csv would take silently."""
    readline = text.readline
    try:
        line = readline(MAX_LINE_CHARS)
        if _SEPARATOR_HINT.fullmatch(line.lstrip("\ufeff")):
            line = readline(MAX_LINE_CHARS)
        while line:
            if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
                raise _LineError(
                    f"a line is longer than {MAX_LINE_CHARS:,} characters. "
                    "Is this really a CSV file?"
                )
            if not line.isascii() or "\x00" in line:
                bad = _BAD_CHARS.search(line)
                if bad and bad.group() == "\x00":
                    raise _LineError(
                        "the file contains a NUL byte, which a text file never has. Save the "
                        "file again as CSV, or choose its encoding (UTF-16?)."
                    )
                if bad:
                    raise _LineError(_not_valid(text.encoding))
            yield line
            line = readline(MAX_LINE_CHARS)
    except UnicodeError:
        # Only a codec that cannot escape a byte gets here: UTF-16, on an odd byte count
        # (UnicodeDecodeError) or, under "UTF-16 (with BOM)", a file without a BOM (a bare
        # UnicodeError, which is not a UnicodeDecodeError).
        raise _LineError(_not_valid(text.encoding)) from None


def _not_valid(encoding: str) -> str:
    name = ENCODING_NAMES.get(encoding, encoding)
    return f"the file is not valid {name} here. Choose another encoding."


def _records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each record that has a value; the header first."""
    line = 0
    try:
        for cells in reader:
            line += 1
            if any(cells):
                yield line, cells
    except _LineError as exc:
        raise ImportFileError(str(exc), line=line + 1) from None
    except csv.Error as exc:
        raise ImportFileError(_csv_message(str(exc)), line=line + 1) from None


def _csv_message(error: str) -> str:
    if "field larger than field limit" in error:
        return (
            f"a value is longer than {MAX_VALUE_CHARS:,} characters: probably a quote that "
            "is never closed."
        )
    if "unexpected end of data" in error:
        return "a quoted value is never closed."
    if "expected after" in error:
        return "a quoted value is followed by more characters before the next delimiter."
    return f"this line cannot be read as CSV ({error})."


def _check_header(header: list[str]) -> None:
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(
            f"the header has {len(header):,} columns; an import can have at most "
            f"{MAX_COLUMNS:,}. Is the delimiter right?",
            line=1,
        )
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if not name:
            continue
        if name in seen:
            raise ImportFileError(
                f"the header names the column “{name}” twice (columns {seen[name]} and "
                f"{number}). Rename or remove one of them.",
                line=1,
            )
        seen[name] = number


class _Prefixed(io.RawIOBase):
    """The bytes already read for checking, then the rest of the stream."""

    def __init__(self, start: bytes, rest: BinaryIO) -> None:
        self._start = memoryview(start)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]  # any writable buffer
        if self._start:
            size = min(len(buffer), len(self._start))
            buffer[:size] = self._start[:size]
            self._start = self._start[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
