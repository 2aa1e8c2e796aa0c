"""With the broker down, Export and Anonymize answer at once; the sweep queues the work later."""

import datetime as dt
import socket

import pytest
from django.utils import timezone

from anonymization.models import Anonymization
from config.celery import app as celery_app
from contacts.models import Contact
from exports import tasks as export_tasks
from exports.models import ExportJob, ExportStatus
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BrokerDown:
    """Points the Celery app at a Redis port nobody listens on and counts connection tries."""

    def __init__(self, monkeypatch):
        self.port = _closed_port()
        self.attempts: list[tuple[object, ...]] = []
        self.original_url = celery_app.conf.broker_url
        connect = socket.socket.connect

        def counting_connect(sock, address):
            if address[1:2] == (self.port,):
                self.attempts.append(address)
            return connect(sock, address)

        monkeypatch.setattr(socket.socket, "connect", counting_connect)
        self._use(f"redis://127.0.0.1:{self.port}/0")

    def back_up(self) -> None:
        self._use(self.original_url)

    def _use(self, url: str) -> None:
        celery_app.conf.broker_url = url  # type: ignore[misc]  # settable; the stubs say not
        # Connections and producers are pooled per broker URL: drop the pools (private, so
        # not in the stubs) to connect to the new one.
        celery_app._pool = None  # type: ignore[attr-defined]
        celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def broker_down(monkeypatch):
    down = BrokerDown(monkeypatch)
    yield down
    down.back_up()


@pytest.mark.parametrize("action", ["export", "anonymize"])
def test_the_request_is_recorded_after_a_single_connection_attempt(
    action, broker_down, marketer_client, django_capture_on_commit_callbacks
):
    contact = ContactFactory()
    url = {
        "export": f"/exports/contact/{contact.pk}/",
        "anonymize": f"/contacts/{contact.pk}/anonymize/",
    }[action]
    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(url, follow=True)
    page = response.content.decode()
    if action == "export":
        assert "has been scheduled" in page
        assert ExportJob.objects.get().status == ExportStatus.SCHEDULED
    else:
        assert "was anonymized" in page
        assert not Contact.objects.exists()
        assert Anonymization.objects.get().contact_id == contact.pk
    # Kombu's default retried the connection (sleeping 2 s, then 4 s) while the page waited.
    assert len(broker_down.attempts) == 1


def test_a_later_sweep_queues_the_export_once_the_broker_is_back(
    broker_down, marketer_client, django_capture_on_commit_callbacks
):
    contact = ContactFactory()
    with django_capture_on_commit_callbacks(execute=True):
        marketer_client.post(f"/exports/contact/{contact.pk}/")
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.SCHEDULED
    ExportJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - dt.timedelta(hours=1))
    broker_down.back_up()
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):  # queued once the sweep commits
            assert export_tasks.requeue_stalled_exports() == 1
    finally:
        celery_app.conf.task_always_eager = False
    job.refresh_from_db()
    assert job.status == ExportStatus.READY


@pytest.mark.worker
def test_a_broker_that_does_not_answer_is_given_up_after_the_connect_timeout(broker, settings):
    """A broker that drops packets would hold the connection attempt for minutes."""
    with celery_app.connection_for_write() as connection:
        # The Redis channel's client (kombu's redis transport; the stubs know the base only).
        client = connection.default_channel.client  # type: ignore[attr-defined]
        options = client.connection_pool.connection_kwargs
    assert options["socket_connect_timeout"] == settings.CELERY_BROKER_CONNECTION_TIMEOUT
