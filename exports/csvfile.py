"""CSV that spreadsheets open right and cannot be tricked into running a formula."""

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Protocol

BOM = "\ufeff"
# Spreadsheet programs read a cell as a formula when it starts with one of FORMULA_CHARS,
# also after leading spaces, and may drop a leading tab, CR or LF before reading it.
# exports.event_csv applies the same rule in SQL.
FORMULA_CHARS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")


class BinaryWriter(Protocol):
    """Where a CsvSink writes: a file, the encrypting writer, a response."""

    def write(self, data: bytes, /) -> object: ...


def needs_neutralising(text: str) -> bool:
    return text.startswith(CONTROL_STARTS) or text.lstrip(" ").startswith(FORMULA_CHARS)


def cell(value: object) -> str:
    """The text of one CSV cell: ISO 8601 times in UTC, neutralised formulas."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return iso_time(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A leading apostrophe makes spreadsheets show the text as is; the value stays readable.
    return "'" + text if needs_neutralising(text) else text


def iso_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def format_rows(rows: Iterable[Iterable[str]]) -> str:
    """Rows of already safe cells as RFC 4180 text (CRLF, minimal quoting)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


class CsvSink:
    """RFC 4180 rows (CRLF, minimal quoting) as UTF-8 with a BOM, written in slices."""

    FLUSH_AT = 64 * 1024

    def __init__(self, out: BinaryWriter):
        self._out = out
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")
        self._buffer.write(BOM)

    def row(self, values: Iterable[object]) -> None:
        self._writer.writerow([cell(v) for v in values])
        self._maybe_flush()

    def lines(self, data: bytes) -> None:
        """Finished UTF-8 CSV lines (see exports.event_csv), after what is buffered."""
        self.flush()
        self._out.write(data)

    def _maybe_flush(self) -> None:
        if self._buffer.tell() >= self.FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        self._out.write(self._buffer.getvalue().encode("utf-8"))
        self._buffer.seek(0)
        self._buffer.truncate()
