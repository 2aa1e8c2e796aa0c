"""What the import pages show besides the job itself: its speed, the time left, the summary."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from imports.models import ImportJob


@dataclass(frozen=True)
class Speed:
    rows_per_second: int | None
    time_left: str  # "" while unknown


def format_duration(seconds: float) -> str:
    """A short, readable duration: "45 s", "3 min 5 s", "1 h 12 min"."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{max(secs, 1)} s"


def job_speed(job: ImportJob, now: datetime | None = None) -> Speed:
    """Rows per second since the job started, and the time left at that pace.

    The worker writes its progress with each heartbeat, so the heartbeat is the time the
    count was true at; the page costs no query beyond the job row.
    """
    if not job.started_at or not job.progress_done:
        return Speed(None, "")
    if job.stalled_for(now):  # the pace of a worker that may be gone: the page says so instead
        return Speed(None, "")
    until = job.heartbeat_at or now or timezone.now()
    seconds = (until - job.started_at).total_seconds()
    if seconds <= 0:
        return Speed(None, "")
    rate = job.progress_done / seconds
    if not job.progress_total or job.progress_total <= job.progress_done:
        return Speed(round(rate), "")
    return Speed(round(rate), format_duration((job.progress_total - job.progress_done) / rate))


@dataclass(frozen=True)
class Outcome:
    label: str
    count: int


def job_summary(job: ImportJob) -> list[Outcome]:
    """The counts of an import that ran, or of a validation (what the import would do)."""
    if job.dry_run:
        labels = ("Would be created", "Would be updated", "Unchanged", "Would be skipped")
    else:
        labels = ("Created", "Updated", "Unchanged", "Skipped")
    counts = (job.created, job.updated, job.unchanged, job.skipped)
    return [
        *(Outcome(label, count) for label, count in zip(labels, counts, strict=True)),
        Outcome("Rejected", job.rejected),
    ]
