"""Helpers of the engine tests: upload a CSV text, start it, run its job in this process."""

import io

from django.core.files import File

from imports.models import ImportJob
from imports.services import import_start, import_upload
from imports.tasks import run_import


def upload(user, text: str, *, name: str = "contacts.csv", group=None, encoding="utf-8"):
    data = text.encode(encoding)
    return import_upload(user=user, file=File(io.BytesIO(data), name=name), name=name, group=group)


def start(job: ImportJob, user, **overrides) -> ImportJob:
    settings = {
        "encoding": job.encoding,
        "delimiter": job.delimiter,
        "quotechar": job.quotechar,
        "mapping": job.mapping,
        "match_on": job.match_on,
        "mode": "create_update",
        "empty_cells": "keep",
        "group": job.group,
        "skip_existing_members": False,
        "skip_inactive_members": False,
        "dry_run": False,
    }
    settings.update(overrides)
    return import_start(job=job, user=user, **settings)


def run(job: ImportJob) -> ImportJob:
    run_import.apply(args=(job.pk,))
    job.refresh_from_db()
    return job


def import_text(user, text: str, *, group=None, **overrides) -> ImportJob:
    """Upload, start and run an import of `text`; the finished job."""
    return run(start(upload(user, text, group=group), user, **overrides))
