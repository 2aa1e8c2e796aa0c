"""The import job (core.jobs): read the stored file, check each row, apply it in chunks.

Each chunk is one transaction that also moves the job's progress and counts on, so a
worker killed half-way leaves exactly the committed chunks; the next worker skips the rows
they hold. The job row is locked at the start of a chunk: a cancel waits for the chunk in
progress to commit, and the next chunk sees it. Tasks import the services inside the
function (services import this module).
"""

import gc
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

from celery import Task, shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from contacts.models import AttributeDefinition, MemberAttributeDefinition
from core.jobs import JobStatus, run_claimed
from exports.crypto import TamperedFile
from imports.ahead import read_ahead
from imports.apply import ChunkResult, Options, apply_chunk
from imports.identifiers import claim_identifiers
from imports.models import EmptyCells, ImportJob, ImportRejection
from imports.reading import Dialect, ImportFileError, open_table
from imports.rows import CheckedRow, Rejection, RowPlan, check_row, compile_plan
from imports.storage import open_stored

logger = logging.getLogger(__name__)

# Container objects allocated between two collections of the youngest generation while an
# import runs (CPython's default: 700). See rarer_collections.
IMPORT_GC_THRESHOLD = 50_000

# A chunk that lost a race on a unique identifier (another import created the same
# contact meanwhile) is decided again against what is now committed.
CHUNK_TRIES = 3


class JobLost(Exception):
    """Cancelled, or taken over by another worker: stop without writing."""


@shared_task(bind=True, acks_late=True, max_retries=5)
def run_import(self: Task[..., str], job_id: int) -> str:
    def work(attempt: int) -> str:
        return _run(job_id, attempt)

    return run_claimed(
        self, ImportJob, job_id, work, started_at=Coalesce(F("started_at"), Now()), error=""
    )


def job_options(job: ImportJob) -> tuple[RowPlan, Options]:
    """The row plan and the apply options a job's settings describe."""
    custom = {d.name: d for d in AttributeDefinition.objects.all()}
    member = (
        {d.name: d for d in MemberAttributeDefinition.objects.filter(group=job.group)}
        if job.group
        else None
    )
    mapped = set(job.mapping)
    plan = compile_plan(
        header=list(job.header),
        mapping=list(job.mapping),
        custom={n: d for n, d in custom.items() if f"custom:{n}" in mapped},
        member=None
        if member is None
        else {n: d for n, d in member.items() if f"member:{n}" in mapped},
        match_on=job.match_on,
        clear_empty=job.empty_cells == EmptyCells.CLEAR,
    )
    options = Options(
        match_on=job.match_on,
        mode=job.mode,
        group=job.group,
        skip_existing_members=job.skip_existing_members,
        skip_inactive_members=job.skip_inactive_members,
        dry_run=job.dry_run,
        custom={n: d for n, d in custom.items() if f"custom:{n}" in mapped},
        member={n: d for n, d in (member or {}).items() if f"member:{n}" in mapped},
    )
    return plan, options


@dataclass
class Chunk:
    rows: list[CheckedRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.rows) + len(self.rejections)


def checked_chunks(
    rows: Iterator[tuple[int, list[str]]], plan: RowPlan, *, skip: int, size: int
) -> Iterator[Chunk]:
    """The file's rows, checked, in chunks of `size`, after the first `skip` rows.

    The skipped rows still go through the file-only rules, so that a later line is still
    rejected as the same contact as a line applied before a worker died.
    """
    seen: dict[int, int] = {}
    chunk, filled = Chunk(), 0
    for index, (line, cells) in enumerate(rows):
        checked = check_row(plan, line, cells)
        if isinstance(checked, CheckedRow):
            duplicate = claim_identifiers(checked, plan.match_on, seen)
            if duplicate is not None:
                checked = duplicate
        if index < skip:
            continue
        if isinstance(checked, Rejection):
            chunk.rejections.append(checked)
        else:
            chunk.rows.append(checked)
        filled += 1
        if filled >= size:
            yield chunk
            chunk, filled = Chunk(), 0
    if filled:
        yield chunk


def _run(job_id: int, attempt: int) -> str:
    from imports.services import import_finish

    job = ImportJob.objects.select_related("group").get(pk=job_id)
    try:
        plan, options = job_options(job)
        with open_stored(job.stored_file) as stream:
            table = open_table(stream, Dialect(job.encoding, job.delimiter, job.quotechar))
            chunks = checked_chunks(
                table.rows, plan, skip=job.progress_done, size=settings.IMPORT_CHUNK_ROWS
            )
            with rarer_collections(), closing(read_ahead(chunks)) as ahead:
                for chunk in ahead:
                    commit_chunk(job_id, attempt, chunk, options)
    except JobLost:
        return "lost"
    except ImportFileError as exc:
        import_finish(job_id=job_id, attempt=attempt, error=exc.message)
        return "failed"
    except TamperedFile:
        import_finish(job_id=job_id, attempt=attempt, error="The stored file is damaged.")
        return "failed"
    except Exception:
        logger.exception("Import %s failed", job_id)
        import_finish(
            job_id=job_id, attempt=attempt, error="The import stopped because of an error."
        )
        raise
    import_finish(job_id=job_id, attempt=attempt)
    return "done"


@contextmanager
def rarer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while the block runs.

    An import keeps chunks of thousands of rows (dicts, lists, strings) alive for a while,
    so each collection of the young generations walks them again, and promotes them into
    the old generation, whose full collections walk every object of the process. That was
    about a sixth of Validate's time. An import makes almost no reference cycles (its
    objects are freed by reference counting as each chunk is done), so collecting rarely
    costs no memory.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(IMPORT_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def commit_chunk(job_id: int, attempt: int, chunk: Chunk, options: Options) -> ChunkResult:
    """Apply one chunk and count it, in one transaction; JobLost if no longer ours."""
    for tries in range(1, CHUNK_TRIES + 1):
        try:
            with transaction.atomic():
                return _commit(job_id, attempt, chunk, options)
        except IntegrityError:
            if tries == CHUNK_TRIES:
                raise
    raise AssertionError("unreachable")


def _commit(job_id: int, attempt: int, chunk: Chunk, options: Options) -> ChunkResult:
    held = (
        ImportJob.objects.select_for_update()
        .filter(pk=job_id, attempt=attempt, status=JobStatus.RUNNING)
        .exists()
    )
    if not held:
        raise JobLost
    result = apply_chunk(chunk.rows, options) if chunk.rows else ChunkResult()
    rejections = chunk.rejections + result.rejections
    ImportRejection.objects.bulk_create(
        [
            ImportRejection(job_id=job_id, line=r.line, column=r.column or "", message=r.message)
            for r in rejections
        ],
        batch_size=1000,
    )
    counts = Counter(o.outcome for o in result.outcomes)
    ImportJob.objects.filter(pk=job_id).update(
        progress_done=F("progress_done") + chunk.size,
        created=F("created") + counts["created"],
        updated=F("updated") + counts["updated"],
        unchanged=F("unchanged") + counts["unchanged"],
        skipped=F("skipped") + counts["skipped"],
        rejected=F("rejected") + len(rejections),
        heartbeat_at=timezone.now(),
    )
    return result


@shared_task(acks_late=True)
def requeue_stalled_imports() -> int:
    """Queue the imports that are due: lost by the broker, or whose worker died."""
    return ImportJob.requeue_due(run_import)


@shared_task(acks_late=True)
def expire_imports() -> int:
    from imports.services import imports_expire

    return imports_expire()
