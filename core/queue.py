"""Handing work to the broker without ever failing, or holding up, the request that asked."""

import logging
from typing import Any

from celery import current_app
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> bool:
    """Publish a task; if the broker is unreachable, log and return False at once.

    Callers keep the job's state in a row, and a periodic sweep queues what never ran, so a
    broker outage delays work but never loses it or fails a request.
    """
    try:
        with current_app.producer_or_acquire() as producer:
            # One connection attempt: kombu's default retries it, sleeping 2 s then 4 s,
            # while the request that asked for the work waits.
            producer.connection.ensure_connection(max_retries=0)
            task.apply_async(args, producer=producer)
    except (OperationalError, OSError):
        logger.warning("Broker unavailable: %s%r not queued", task.name, args)
        return False
    return True
