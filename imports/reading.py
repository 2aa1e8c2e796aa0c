"""Reading an uploaded file (interim version: wip/import-read owns this module)."""

import codecs
import csv
import io
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_COLUMNS = 1000


@dataclass(frozen=True)
class Dialect:
    encoding: str
    delimiter: str
    quotechar: str


class ImportFileError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


@dataclass
class Preview:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    problem: str | None = None


def detect_dialect(sample: bytes) -> Dialect:
    if sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        try:
            sample.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            encoding = "utf-8" if len(sample) - exc.start < 4 else "cp1252"
    text = sample.decode(encoding, errors="ignore")
    first = text.splitlines()[0] if text else ""
    delimiter = max([",", ";", "\t", "|"], key=first.count)
    return Dialect(encoding, delimiter if first.count(delimiter) else ",", '"')


def open_table(stream: typing.BinaryIO, dialect: Dialect) -> Table:
    text = io.TextIOWrapper(stream, encoding=dialect.encoding, newline="")
    reader = csv.reader(text, delimiter=dialect.delimiter, quotechar=dialect.quotechar)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ImportFileError(f"Line 1: {exc}", 1) from None
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(f"The file has {len(header):,} columns; at most {MAX_COLUMNS:,}.")

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                raise ImportFileError(f"Line {line}: {exc}", line) from None
            if cells:
                yield line, cells

    return Table(header=[h.strip() for h in header], rows=rows())


def preview(stream: typing.BinaryIO, dialect: Dialect, *, rows: int = 10) -> Preview:
    try:
        table = open_table(stream, dialect)
    except ImportFileError as exc:
        return Preview(header=[], problem=exc.message)
    result = Preview(header=table.header)
    try:
        for _line, cells in table.rows:
            result.rows.append(cells)
            if len(result.rows) >= rows:
                break
    except ImportFileError as exc:
        result.problem = exc.message
    return result
