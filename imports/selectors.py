"""Reads of imports: the user's jobs, a preview of a draft's file, the rejected rows."""

import csv
import io
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404

from contacts.models import AttributeDefinition, Group, MemberAttributeDefinition
from exports.csvfile import cell
from imports.models import ImportJob, ImportRejection
from imports.reading import Dialect, ImportFileError, Preview, open_table, preview
from imports.storage import open_stored

BOM = "\ufeff"
REJECTION_BATCH = 2000


def attribute_names(*, group: Group | None) -> tuple[list[str], list[str]]:
    """The custom attribute names, and the member attribute names of the group (if any):
    what a column may be mapped to besides the standard fields."""
    custom = list(AttributeDefinition.objects.values_list("name", flat=True))
    member = (
        list(MemberAttributeDefinition.objects.filter(group=group).values_list("name", flat=True))
        if group
        else []
    )
    return custom, member


def is_import_admin(user: User) -> bool:
    """An Admin sees and manages every user's imports."""
    return user.has_perm("imports.change_importjob")


def imports_for_user(user: User) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("requested_by", "group")
    if not is_import_admin(user):
        jobs = jobs.filter(requested_by=user)
    return jobs.order_by("-requested_at", "-id")


def import_for_user(user: User, pk: int) -> ImportJob:
    job = imports_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such import.")
    return job


def import_preview(
    job: ImportJob,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    quotechar: str | None = None,
) -> Preview:
    """The first rows of the file as read with the job's dialect, or the one given."""
    dialect = Dialect(
        encoding or job.encoding, delimiter or job.delimiter, quotechar or job.quotechar
    )
    if not job.stored_file:
        return Preview(header=[], rows=[], problem="The file of this import was deleted.")
    try:
        with open_stored(job.stored_file) as stream:
            return preview(stream, dialect)
    except LookupError:
        return Preview(header=[], rows=[], problem=f"Unknown encoding “{dialect.encoding}”.")


def _rejections(job: ImportJob) -> Iterator[ImportRejection]:
    last = -1
    while True:
        batch = list(
            ImportRejection.objects.filter(job=job, line__gt=last).order_by("line")[
                :REJECTION_BATCH
            ]
        )
        yield from batch
        if len(batch) < REJECTION_BATCH:
            return
        last = batch[-1].line


def import_rejected_rows(job: ImportJob) -> Iterator[bytes]:
    """The rejected lines of the file as CSV: its header plus Line and Error, so that the
    user can fix them and import the file as it is. Formula-like cells are neutralised as
    in an export (a leading '), which the import takes off again: the values import back
    unchanged, and a spreadsheet opening the file runs nothing."""
    if not job.stored_file:
        return  # deleted after its retention: nothing to offer
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    dialect = Dialect(job.encoding, job.delimiter, job.quotechar)
    rejections = _rejections(job)
    pending = next(rejections, None)
    with open_stored(job.stored_file) as stream:
        table = open_table(stream, dialect)
        buffer.write(BOM)
        writer.writerow([*table.header, "Line", "Error"])
        width = len(table.header)
        try:
            for line, cells in table.rows:
                while pending is not None and pending.line < line:
                    pending = next(rejections, None)
                if pending is None:
                    break
                if pending.line == line:
                    writer.writerow(_rejected_row(cells, width, line, pending.message, dialect))
                    if buffer.tell() > 64 * 1024:
                        yield buffer.getvalue().encode("utf-8")
                        buffer.seek(0)
                        buffer.truncate()
        except ImportFileError:
            pass  # the job failed on this line and says so; the rows before it are out
    yield buffer.getvalue().encode("utf-8")


def _rejected_row(
    cells: list[str], width: int, line: int, message: str, dialect: Dialect
) -> list[object]:
    """A rejected row under the header's columns, then its Line and Error: a short row is
    padded with empty cells, and the cells of a long row beyond the header's columns are
    written at the end of its Error as the file had them ("Extra cells: B,C"), so that
    Line and Error stay in their columns and the file imports again as it is."""
    extra = cells[width:]
    if extra:
        text = io.StringIO()
        csv.writer(
            text, delimiter=dialect.delimiter, quotechar=dialect.quotechar, lineterminator=""
        ).writerow(extra)
        message = f"{message} Extra cells: {text.getvalue()}"
    padded = cells[:width] + [""] * (width - len(cells))
    return [*map(cell, padded), line, cell(message)]
