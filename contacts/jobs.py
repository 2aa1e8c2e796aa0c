"""Claiming a job row: the pattern every background job here follows.

A job row has `status` ("scheduled" / "running" / ...), `attempts` and `heartbeat_at`.
A task claims it with one conditional UPDATE, so a message delivered twice runs once;
a running job whose heartbeat went quiet belongs to a dead worker and may be taken over.
The attempt number is the claim: a worker whose attempt is no longer current stops.
"""

from datetime import timedelta

from django.db.models import F, Model, Q
from django.utils import timezone

SCHEDULED, RUNNING = "scheduled", "running"


def claim_job(model: type[Model], job_id: int, *, stale_after: int, **changes) -> int | None:
    """Mark the job running for this worker; its attempt number, or None if not ours."""
    now = timezone.now()
    claimed = (
        model.objects.filter(pk=job_id)
        .filter(
            Q(status=SCHEDULED)
            | Q(status=RUNNING, heartbeat_at__lt=now - timedelta(seconds=stale_after))
        )
        .update(status=RUNNING, attempts=F("attempts") + 1, heartbeat_at=now, **changes)
    )
    if not claimed:
        return None
    return model.objects.values_list("attempts", flat=True).get(pk=job_id)


def still_ours(model: type[Model], job_id: int, attempt: int, **changes) -> bool:
    """Record progress (a heartbeat); False if the job was cancelled or taken over."""
    return bool(
        model.objects.filter(pk=job_id, attempts=attempt, status=RUNNING).update(
            heartbeat_at=timezone.now(), **changes
        )
    )


def stalled(model: type[Model], *, stale_after: int, waiting_after: int = 30):
    """Ids of jobs the broker lost (never started) or whose worker died."""
    now = timezone.now()
    return model.objects.filter(
        Q(status=SCHEDULED, requested_at__lt=now - timedelta(seconds=waiting_after))
        | Q(status=RUNNING, heartbeat_at__lt=now - timedelta(seconds=stale_after))
    ).values_list("pk", flat=True)
