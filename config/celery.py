import logging
import os

from celery import Celery
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("contactbook")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, *args) -> bool:
    """Publish a task; if the broker is unreachable, log and return False at once.

    Callers keep the job's state in a row, and a periodic task re-queues what
    never ran, so a broker outage delays work but never loses it or fails a request.
    """
    try:
        with app.producer_or_acquire() as producer:
            # One connection attempt: kombu's default retries it, sleeping 2 s then 4 s,
            # while the request that asked for the work waits.
            producer.connection.ensure_connection(max_retries=0)
            task.apply_async(args, producer=producer)
    except (OperationalError, OSError):
        logging.getLogger(__name__).warning("Broker unavailable: %s%r not queued", task.name, args)
        return False
    return True
