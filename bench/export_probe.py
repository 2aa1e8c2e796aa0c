"""One contact export in a fresh process, as the Celery worker builds it; prints JSON.

`python -m bench.export_probe CONTACT_ID USER_ID` (bench.run calls it). The peak memory
growth is the peak resident size during the export (VmHWM, reset before it starts)
minus the resident size just before it.
"""

import gc
import json
import os
import sys
import time
from pathlib import Path


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return True


def main(contact_id: int, user_id: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from exports.models import ExportJob
    from exports.services import export_request
    from exports.storage import export_storage
    from exports.tasks import build_export

    user = get_user_model().objects.get(pk=user_id)
    connection.ensure_connection()
    job = export_request(actor=user, contact_id=contact_id)
    gc.collect()
    peak_reset = _reset_peak()
    before_kb = _status_kb("VmRSS")
    started = time.perf_counter()
    outcome = build_export(job.pk)  # synchronously, as the worker runs it
    seconds = time.perf_counter() - started
    peak_kb = _status_kb("VmHWM")
    job.refresh_from_db()
    stored = export_storage.size(job.file_name) if job.file_name else None
    if job.file_name:  # the bench keeps no export files
        export_storage.delete(job.file_name)
        ExportJob.objects.filter(pk=job.pk).update(status="expired", file_name="")
    return {
        "outcome": outcome,
        "seconds": seconds,
        "rows": job.progress_done,
        "plaintext_bytes": job.file_size,
        "stored_bytes": stored,
        "rss_before_mb": before_kb / 1024,
        "peak_mb": peak_kb / 1024,
        "growth_mb": (peak_kb - before_kb) / 1024,
        "peak_reset": peak_reset,
        "error": job.error,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
