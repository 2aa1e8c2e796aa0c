"""The one machine every background job runs on: a row that is the truth, a task that
carries only its id.

A task claims its job with one conditional UPDATE, so a message delivered twice (acks_late,
a redelivery after a worker died) runs once. While it works it beats (a heartbeat, with its
progress); a running job whose heartbeat went quiet belongs to a dead worker and may be
taken over. The attempt number is the claim: a worker whose attempt is no longer current
stops. A job that should try again later goes back to "scheduled" with a time; the periodic
sweep queues every job that is due, and moves that time on, so each job has at most one
message on its way.

    scheduled --claim--> running --finish--> done | failed | cancelled (or the subclass's)
        ^                   |
        +---- retry_later --+     (and a stale heartbeat lets another worker claim it)
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.queue import enqueue


class JobStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (JobStatus.SCHEDULED, JobStatus.RUNNING)


class Job(models.Model):
    """Status, attempt, heartbeat, times, progress and error of one background job.

    A subclass may give `status` its own choices (keeping "scheduled" and "running"), name
    the setting of its `stale_after` (the silence after which a running job's worker counts
    as dead) and set `queued_for` (how long a queued message may wait for a worker).
    """

    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.SCHEDULED)
    attempt = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the sweep may queue the job (again): a retry's back-off, or the grace given to
    # the message queued on commit. Empty: at once.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")

    stale_after_setting: ClassVar[str] = "JOB_STALE_AFTER_SECONDS"
    # A queued message not picked up by then was lost by the broker: queue it again.
    queued_for: ClassVar[timedelta] = timedelta(seconds=30)
    # Whether a new attempt goes on from the progress of the last (False: it starts over).
    resumes_where_stopped: ClassVar[bool] = True

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def percent(self) -> int:
        """Progress in percent, for the progress bar (0 while the total is unknown)."""
        if not self.progress_total:
            return 100 if self.status not in OPEN_STATUSES else 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @classmethod
    def stale_after(cls) -> timedelta:
        return timedelta(seconds=getattr(settings, cls.stale_after_setting))

    def stalled_for(self, now: datetime | None = None) -> timedelta | None:
        """How long a running job has given no sign of progress, once that is long enough
        for its worker to count as dead (the rule of `claim` and `due`); else None."""
        if self.status != JobStatus.RUNNING:
            return None
        since = self.heartbeat_at or self.started_at or self.requested_at
        silent = (now or timezone.now()) - since
        return silent if silent > self.stale_after() else None

    def waiting_for(self, now: datetime | None = None) -> timedelta | None:
        """How long a job never started has waited for a worker, once that is as long as
        a running job may stay silent; else None. (A retry, started before, waits for its
        back-off instead.)"""
        if self.status != JobStatus.SCHEDULED or self.started_at or not self.requested_at:
            return None
        waited = (now or timezone.now()) - self.requested_at
        return waited if waited > self.stale_after() else None

    @property
    def stall_notice(self) -> str:
        """What a progress display says of a stalled job instead of a rate and a time left
        that are no longer true, or of a job that no worker has started; "" while all is
        well."""
        waited = self.waiting_for() if self.status == JobStatus.SCHEDULED else None
        if waited is not None:
            return (
                f"Not started after {duration_in_words(waited)}: the background worker is "
                "busy with other jobs, or stopped. It starts when the worker is free."
            )
        silent = self.stalled_for()
        if silent is None:
            return ""
        then = "It resumes where it stopped" if self.resumes_where_stopped else "It starts again"
        return (
            f"No progress for {duration_in_words(silent)}: the background worker may be "
            f"stopped. {then} when the worker runs again."
        )

    # -- the worker's side -----------------------------------------------------------------

    @classmethod
    def claim(cls, pk: int, **changes: Any) -> int | None:
        """Mark the job running for this worker: its attempt number, or None if not ours."""
        now = timezone.now()
        claimed = (
            cls._default_manager.filter(pk=pk)
            .filter(
                Q(status=JobStatus.SCHEDULED)
                | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - cls.stale_after())
            )
            .update(
                status=JobStatus.RUNNING,
                attempt=F("attempt") + 1,
                heartbeat_at=now,
                next_attempt_at=None,
                **changes,
            )
        )
        if not claimed:
            return None
        return cls._default_manager.values_list("attempt", flat=True).get(pk=pk)

    @classmethod
    def is_held(cls, pk: int) -> bool:
        """Running under another worker's claim (which may yet go stale)."""
        return cls._default_manager.filter(pk=pk, status=JobStatus.RUNNING).exists()

    @classmethod
    def beat(cls, pk: int, attempt: int, **changes: Any) -> bool:
        """Record a heartbeat (and progress); False if the job was cancelled or taken over."""
        return bool(cls._current(pk, attempt).update(heartbeat_at=timezone.now(), **changes))

    @classmethod
    def finish(cls, pk: int, attempt: int, status: str, *, error: str = "", **changes: Any) -> bool:
        """End the current attempt with `status`; False if the claim was no longer ours.

        `changes` may set finished_at itself, to share one "now" with other times it sets.
        """
        now = timezone.now()
        values = {
            "status": status,
            "error": error[:500],
            "finished_at": now,
            "heartbeat_at": now,
            "next_attempt_at": None,
            **changes,
        }
        return bool(cls._current(pk, attempt).update(**values))

    @classmethod
    def retry_later(cls, pk: int, attempt: int, *, delay: timedelta, error: str) -> bool:
        """Give the job back to the sweep, to run again after `delay`."""
        return bool(
            cls._current(pk, attempt).update(
                status=JobStatus.SCHEDULED,
                error=error[:500],
                next_attempt_at=timezone.now() + delay,
            )
        )

    @classmethod
    def _current(cls, pk: int, attempt: int) -> models.QuerySet[Self]:
        return cls._default_manager.filter(pk=pk, attempt=attempt, status=JobStatus.RUNNING)

    # -- the sweep's side ------------------------------------------------------------------

    @classmethod
    def due(cls, now: datetime | None = None) -> Q:
        """Jobs to queue: scheduled and due, or running with a dead worker."""
        now = now or timezone.now()
        due_time = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        return due_time & (
            Q(status=JobStatus.SCHEDULED)
            | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - cls.stale_after())
        )

    @classmethod
    def first_queued_until(cls) -> datetime:
        """next_attempt_at of a job whose message is queued on commit (the sweep's grace)."""
        return timezone.now() + cls.queued_for

    @classmethod
    def requeue_due(cls, task: Any, *, among: Q | None = None, batch: int = 1000) -> int:
        """The sweep: queue `task` once for each due job (optionally `among` some), now.

        Locks the rows it takes (skipping those another sweep holds) and moves their next
        attempt on by `queued_for`, so that a message on its way is not doubled.
        """
        now = timezone.now()
        with transaction.atomic():
            rows = cls._default_manager.filter(cls.due(now))
            if among is not None:
                rows = rows.filter(among)
            ids = list(
                rows.select_for_update(skip_locked=True)
                .order_by(F("next_attempt_at").asc(nulls_first=True), "pk")
                .values_list("pk", flat=True)[:batch]
            )
            cls._default_manager.filter(pk__in=ids).update(next_attempt_at=now + cls.queued_for)
            transaction.on_commit(lambda: _enqueue_all(task, ids))
        return len(ids)


def duration_in_words(duration: timedelta) -> str:
    """A silence in whole units: "45 seconds", "3 minutes", "1 hour 5 minutes"."""
    seconds = max(0, int(duration.total_seconds()))
    if seconds < 60:
        return _count(seconds, "second")
    hours, minutes = divmod(seconds // 60, 60)
    if not hours:
        return _count(minutes, "minute")
    return _count(hours, "hour") + (f" {_count(minutes, 'minute')}" if minutes else "")


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def _enqueue_all(task: Any, ids: Iterable[int]) -> None:
    for pk in ids:
        enqueue(task, pk)


def run_claimed(
    task: Any, model: type[Job], pk: int, work: Callable[[int], str], **claim_changes: Any
) -> str:
    """Claim the job for a Celery task (bound) and run `work(attempt)`.

    A job that another worker holds is looked at again once its heartbeat would have gone
    stale (it did, if that worker died): the task retries itself then.
    """
    attempt = model.claim(pk, **claim_changes)
    if attempt is None:
        if model.is_held(pk):
            raise task.retry(countdown=model.stale_after().total_seconds() + 1)
        return "skipped"
    return work(attempt)
