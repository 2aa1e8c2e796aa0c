"""Writes of imports: upload, start, cancel, finish, expire; and the API's synchronous rows.

Views and the API call only these; tasks.py runs the jobs.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.models import AttributeDefinition, AttributeType, Group, MemberAttributeDefinition
from contacts.models.attributes import attribute_name_validator
from core.audit import audit_record
from core.notifications import notification_queue
from core.queue import enqueue
from imports.apply import ChunkResult, Options, apply_chunk
from imports.identifiers import claim_identifiers
from imports.mapping import suggest_mapping
from imports.models import (
    EmptyCells,
    ImportJob,
    ImportMode,
    ImportRejection,
    ImportStatus,
    MatchOn,
)
from imports.notifications import FINISHED
from imports.reading import Dialect, ImportFileError, detect_dialect, open_table
from imports.rows import CheckedRow, Rejection, check_row, compile_plan
from imports.selectors import attribute_names, is_import_admin
from imports.storage import copy_stored, delete_stored, open_stored, store_encrypted
from imports.tasks import CHUNK_TRIES, job_options, run_import

SAMPLE_BYTES = 64 * 1024
API_MAX_ROWS = 1000
OPEN = (ImportStatus.DRAFT, ImportStatus.SCHEDULED, ImportStatus.RUNNING)


class ImportAlreadyStarted(ValidationError):
    """The draft was started meanwhile (a second click): the page shows that import."""


def _may_use(job: ImportJob, user: User) -> bool:
    return job.requested_by_id == user.pk or is_import_admin(user)


def import_upload(
    *,
    user: User,
    file: File[bytes],
    name: str,
    group: Group | None = None,
    max_bytes: int | None = None,
) -> ImportJob:
    """Store an uploaded file (encrypted, owner-only) as a draft import with a suggested
    mapping. A file that cannot be read raises ValidationError, and nothing is kept.

    `max_bytes`: the size limit, IMPORT_MAX_BYTES unless given (the command's is higher).
    """
    size = file.size or 0
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    if size > limit:
        megabytes = limit // (1024 * 1024)
        raise ValidationError(f"The file is larger than {megabytes} MB, the most an upload may be.")
    file.seek(0)
    dialect = detect_dialect(file.read(SAMPLE_BYTES))
    file.seek(0)
    job = ImportJob(requested_by=user, group=group, file_name=name[:255])
    stored, size, lines = store_encrypted(file, job.token)  # type: ignore[arg-type]
    try:
        with open_stored(stored) as stream:
            header = open_table(stream, dialect).header
        custom, member = attribute_names(group=group)
        mapping = suggest_mapping(header, custom_names=custom, member_names=member)
        with transaction.atomic():
            job.stored_file = stored
            job.file_size = size
            job.progress_total = max(lines - 1, 0) or None  # an estimate: quoted line breaks
            job.encoding, job.delimiter, job.quotechar = (
                dialect.encoding,
                dialect.delimiter,
                dialect.quotechar,
            )
            job.header = header
            job.mapping = mapping
            job.match_on = _first_identifier(mapping)
            job.expires_at = timezone.now() + settings.IMPORT_RETENTION
            job.save()
            audit_record(
                actor=user, action="import.uploaded", contact_id=None, details={"import_id": job.pk}
            )
    except ImportFileError as exc:
        delete_stored([stored])
        raise ValidationError(exc.message) from None
    except BaseException:
        delete_stored([stored])
        raise
    return job


def _first_identifier(mapping: Sequence[str]) -> str:
    for target in mapping:
        if target in MatchOn.values:
            return target
    return MatchOn.EMAIL


def import_start(
    *,
    job: ImportJob,
    user: User,
    encoding: str,
    delimiter: str,
    quotechar: str,
    mapping: Sequence[str],
    match_on: str,
    mode: str,
    empty_cells: str,
    group: Group | None,
    skip_existing_members: bool,
    skip_inactive_members: bool,
    dry_run: bool,
    create_attributes: Sequence[str] = (),
) -> ImportJob:
    """Confirm a draft's settings and queue its job (Validate: dry_run). ValidationError
    keyed by field names for what cannot work; PermissionDenied for attributes a non-Admin
    asks to create."""
    if not _may_use(job, user):
        raise PermissionDenied
    if create_attributes and not user.has_perm("contacts.add_attributedefinition"):
        raise PermissionDenied("Only an Admin may create custom attributes.")
    _check_choice("match_on", match_on, MatchOn.values)
    _check_choice("mode", mode, ImportMode.values)
    _check_choice("empty_cells", empty_cells, EmptyCells.values)
    dialect = Dialect(encoding, delimiter, quotechar)
    header = _header(job, dialect)
    if len(mapping) != len(header):
        raise ValidationError(
            {"mapping": f"Choose a target for each of the {len(header)} columns."}
        )
    with transaction.atomic():
        # Claimed by a conditional update, so that of two clicks at once exactly one starts
        # it: the other waits for the row and then finds it started.
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DRAFT).update(
            status=ImportStatus.SCHEDULED
        )
        if not claimed:
            raise ImportAlreadyStarted("This import has already been started.")
        locked = ImportJob.objects.get(pk=job.pk)
        for name in create_attributes:
            _create_attribute(name, user)
        locked.encoding, locked.delimiter, locked.quotechar = encoding, delimiter, quotechar
        locked.header, locked.mapping = list(header), list(mapping)
        locked.match_on, locked.mode, locked.empty_cells = match_on, mode, empty_cells
        locked.group = group
        locked.skip_existing_members = skip_existing_members
        locked.skip_inactive_members = skip_inactive_members
        locked.dry_run = dry_run
        job_options(locked)  # raises ValidationError for a mapping that cannot work
        locked.status = ImportStatus.SCHEDULED
        # Requested now: the upload before was a draft; a wait for a worker counts from here.
        locked.requested_at = timezone.now()
        locked.next_attempt_at = ImportJob.first_queued_until()
        locked.expires_at = None
        locked.save()
        audit_record(
            actor=user,
            action="import.validation_started" if dry_run else "import.started",
            contact_id=None,
            details={"import_id": job.pk},
        )
        transaction.on_commit(lambda: enqueue(run_import, job.pk))
    return locked


def import_from_validation(*, validation: ImportJob, user: User) -> ImportJob:
    """Import for real the file a finished validation read, with the same settings: a new
    job (the validation keeps its summary) on a copy of the stored file."""
    if not _may_use(validation, user):
        raise PermissionDenied
    if not validation.dry_run or validation.status != ImportStatus.DONE:
        raise ValidationError("Only a finished validation can be imported from.")
    job = ImportJob(
        requested_by=user,
        validation=validation,
        group=validation.group,
        file_name=validation.file_name,
        file_size=validation.file_size,
        progress_total=validation.progress_total,
        **{name: getattr(validation, name) for name in _SETTINGS},
    )
    stored = copy_stored(validation.stored_file, job.token) if validation.stored_file else None
    if stored is None:
        raise ValidationError(
            "The file of this validation has been deleted since. Upload it again to import it."
        )
    try:
        with transaction.atomic():
            job.stored_file = stored
            job_options(job)  # the attributes it maps to may have gone since
            job.status = ImportStatus.SCHEDULED
            job.next_attempt_at = ImportJob.first_queued_until()
            try:
                with transaction.atomic():
                    job.save()
            except IntegrityError:  # this file's import is already running: that one
                delete_stored([stored])
                running = _running_import_of(validation)
                if running is None:  # it ended meanwhile: a new import
                    return import_from_validation(validation=validation, user=user)
                return running
            audit_record(
                actor=user,
                action="import.started",
                contact_id=None,
                details={"import_id": job.pk, "validation_id": validation.pk},
            )
            transaction.on_commit(lambda: enqueue(run_import, job.pk))
    except BaseException:
        delete_stored([stored])
        raise
    return job


def _running_import_of(validation: ImportJob) -> ImportJob | None:
    return ImportJob.objects.filter(
        validation=validation, status__in=[ImportStatus.SCHEDULED, ImportStatus.RUNNING]
    ).first()


_SETTINGS = (
    "encoding",
    "delimiter",
    "quotechar",
    "header",
    "mapping",
    "match_on",
    "mode",
    "empty_cells",
    "skip_existing_members",
    "skip_inactive_members",
)


def _check_choice(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValidationError({name: "Select a valid choice."})


def _header(job: ImportJob, dialect: Dialect) -> list[str]:
    try:
        with open_stored(job.stored_file) as stream:
            return open_table(stream, dialect).header
    except (ImportFileError, LookupError) as exc:
        message = exc.message if isinstance(exc, ImportFileError) else "Unknown encoding."
        raise ValidationError({"encoding": message}) from None


def _create_attribute(name: str, user: User) -> None:
    try:
        attribute_name_validator(name)
    except ValidationError as exc:
        raise ValidationError({"mapping": f"{name}: {' '.join(exc.messages)}"}) from None
    if AttributeDefinition.objects.filter(name__iexact=name).exists():
        return
    try:
        with transaction.atomic():
            definition = AttributeDefinition.objects.create(
                name=name, data_type=AttributeType.STRING
            )
    except IntegrityError:
        return  # created meanwhile by someone else: use theirs
    audit_record(
        actor=user,
        action="attribute.created",
        contact_id=None,
        details={"attribute_id": definition.pk, "by": "import"},
    )


def import_cancel(*, job: ImportJob, user: User) -> bool:
    """Stop an import: the chunks already committed stay. False if it had already ended."""
    if not _may_use(job, user):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        # A running chunk holds the row: this waits for it, and the next chunk stops.
        cancelled = ImportJob.objects.filter(pk=job.pk, status__in=OPEN).update(
            status=ImportStatus.CANCELLED,
            finished_at=now,
            next_attempt_at=None,
            expires_at=now + settings.IMPORT_RETENTION,
        )
        if cancelled:
            audit_record(
                actor=user,
                action="import.cancelled",
                contact_id=None,
                details={"import_id": job.pk},
            )
    job.refresh_from_db()
    return bool(cancelled)


def import_finish(*, job_id: int, attempt: int, error: str = "") -> bool:
    """End a job's run: done (or failed, with the reason), one audit entry, the mail."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportStatus.RUNNING or job.attempt != attempt:
            return False
        now = timezone.now()
        ImportJob.finish(
            job_id,
            attempt,
            ImportStatus.FAILED if error else ImportStatus.DONE,
            error=error,
            finished_at=now,
            progress_total=job.progress_done,
            expires_at=now + settings.IMPORT_RETENTION,
        )
        job.refresh_from_db()
        audit_record(
            actor=None,
            action="import.validated" if job.dry_run else "import.finished",
            contact_id=None,
            details={"import_id": job.pk, **summary(job)},
        )
        notification_queue(kind=FINISHED, object_id=job_id, recipient=job.requested_by)
    return True


def summary(job: ImportJob) -> dict[str, int]:
    return {
        "rows": job.progress_done,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "skipped": job.skipped,
        "rejected": job.rejected,
    }


def imports_expire(*, now: datetime | None = None) -> int:
    """Delete the files and rejected-row lists of imports past their retention."""
    now = now or timezone.now()
    with transaction.atomic():
        jobs = list(
            ImportJob.objects.select_for_update(skip_locked=True)
            .filter(expires_at__lte=now)
            .exclude(status__in=[ImportStatus.SCHEDULED, ImportStatus.RUNNING])
            .exclude(stored_file="")
        )
        ids = [job.pk for job in jobs]
        files = [job.stored_file for job in jobs]
        ImportRejection.objects.filter(job_id__in=ids).delete()
        ImportJob.objects.filter(pk__in=ids, status=ImportStatus.DRAFT).update(
            status=ImportStatus.CANCELLED, finished_at=now
        )
        ImportJob.objects.filter(pk__in=ids).update(stored_file="")
        transaction.on_commit(lambda: delete_stored(files))
    return len(jobs)


@dataclass
class RowResult:
    index: int
    outcome: str  # created, updated, unchanged, skipped, rejected
    contact_id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def import_rows(
    *,
    user: User,
    rows: Sequence[Mapping[str, str]],
    match_on: str,
    mode: str,
    empty_cells: str,
    group: Group | None = None,
) -> list[RowResult]:
    """The import's rules for up to API_MAX_ROWS rows given as {column: value}, at once.

    The columns are named as in a file (user.Email, Email, ...). One transaction: the
    accepted rows are applied together, each rejected row says why.
    """
    if len(rows) > API_MAX_ROWS:
        raise ValidationError(f"At most {API_MAX_ROWS} rows at a time.")
    _check_choice("match_on", match_on, MatchOn.values)
    _check_choice("mode", mode, ImportMode.values)
    _check_choice("empty_cells", empty_cells, EmptyCells.values)
    header = sorted({name for row in rows for name in row})
    custom = {d.name: d for d in AttributeDefinition.objects.all()}
    member = (
        {d.name: d for d in MemberAttributeDefinition.objects.filter(group=group)}
        if group
        else None
    )
    mapping = suggest_mapping(header, custom_names=list(custom), member_names=list(member or ()))
    unknown = [h for h, t in zip(header, mapping, strict=True) if not t]
    if unknown:
        raise ValidationError({"rows": f"Unknown columns: {', '.join(unknown)}."})
    plan = compile_plan(
        header=header,
        mapping=mapping,
        custom=custom,
        member=member,
        match_on=match_on,
        clear_empty=empty_cells == EmptyCells.CLEAR,
    )
    options = Options(
        match_on=match_on,
        mode=mode,
        group=group,
        custom={n: d for n, d in custom.items() if f"custom:{n}" in mapping},
        member={n: d for n, d in (member or {}).items() if f"member:{n}" in mapping},
    )
    results: dict[int, RowResult] = {}
    accepted: list[CheckedRow] = []
    seen: dict[int, int] = {}
    for index, row in enumerate(rows):
        checked = check_row(plan, index, [row.get(name, "") for name in header])
        if isinstance(checked, CheckedRow):
            checked = claim_identifiers(checked, match_on, seen) or checked
        if isinstance(checked, Rejection):
            results[index] = _rejected(index, checked)
        else:
            accepted.append(checked)
    with transaction.atomic():
        chunk = _apply_rows(accepted, options)
        for outcome in chunk.outcomes:
            if outcome.rejection is not None:
                results[outcome.line] = _rejected(outcome.line, outcome.rejection)
            else:
                results[outcome.line] = RowResult(outcome.line, outcome.outcome, outcome.contact_id)
        counts = {o: sum(1 for r in results.values() if r.outcome == o) for o in _OUTCOMES}
        audit_record(actor=user, action="import.rows", contact_id=None, details=counts)
    return [results[index] for index in range(len(rows))]


_OUTCOMES = ("created", "updated", "unchanged", "skipped", "rejected")


def _apply_rows(rows: list[CheckedRow], options: Options) -> ChunkResult:
    """apply_chunk, decided again if a contact created or changed elsewhere (a profile, a
    new contact) took one of its identifiers between its read and its write: another
    import cannot (apply_chunk waits for it), so this is rare, and the next read sees it."""
    for tries in range(1, CHUNK_TRIES + 1):
        try:
            with transaction.atomic():
                return apply_chunk(rows, options)
        except IntegrityError:
            if tries == CHUNK_TRIES:
                raise
    raise AssertionError("unreachable")


def _rejected(index: int, rejection: Rejection) -> RowResult:
    return RowResult(index, "rejected", None, {rejection.column or "row": [rejection.message]})
