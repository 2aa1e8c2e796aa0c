"""A real Celery worker process on the real Redis broker, for tests marked `worker`.

The worker runs this project's code against the test database (tests must commit:
`transactional_db`) and the test's export storage; its mail goes to .eml files.
"""

import email
import email.message
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


class WorkerProcess:
    def __init__(self, env: dict, log: Path):
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, name: str = "w1") -> "WorkerProcess":
        handle = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while b" ready." not in self.log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start:\n{self.output()}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task without acknowledging anything."""
        assert self.process is not None, "start() it first"
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def broker():
    """The Redis broker from REDIS_URL, emptied for this test."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("Worker tests need REDIS_URL (make test sets it).")
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def worker_env(broker, transactional_db, export_root, import_root, tmp_path):
    if connection.vendor != "postgresql":
        pytest.fail("Worker tests share the database with a worker process: use PostgreSQL.")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": os.environ["REDIS_URL"],
        "VAR_DIR": str(tmp_path / "worker-var"),
        "EXPORTS_ROOT": str(export_root),
        "IMPORTS_ROOT": str(import_root),
        "SECRET_KEY": settings.SECRET_KEY,
        "EMAIL_BACKEND": "config.mail.ConsoleAndFileBackend",
        "SITE_URL": settings.SITE_URL,
        "EXPORT_STALE_AFTER_SECONDS": "3",
        "IMPORT_STALE_AFTER_SECONDS": "3",
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "CELERY_RESTORE_INTERVAL": "1",
        "CELERY_RESTORE_THROTTLE": "1",
    }
    return env


@pytest.fixture
def celery_worker(worker_env, tmp_path):
    """Start a worker; the test may kill it and start another with `.start()` again."""
    workers: list[WorkerProcess] = []

    def start(name: str = "w1") -> WorkerProcess:
        worker = WorkerProcess(worker_env, tmp_path / f"{name}.log").start(name)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


class SmtpSink:
    """A local SMTP server that keeps the messages it accepts; down until start()."""

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.messages: list[email.message.Message] = []
        self._controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp_sink(worker_env):
    """The worker sends through SMTP to this sink, which is down until the test starts it."""
    sink = SmtpSink()
    worker_env.update(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT="2",
    )
    yield sink
    sink.stop()


def sent_mail(worker_env: dict) -> list[email.message.Message]:
    """The messages the worker sent, parsed from its .eml files (oldest first)."""
    folder = Path(worker_env["VAR_DIR"]) / "mail"
    if not folder.exists():
        return []
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def mail_text(message: email.message.Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes), "a single-part mail"
    return f"{message['Subject']}\n{body.decode()}"


def wait_for(condition, *, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}")
