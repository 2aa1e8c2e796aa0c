"""`make run` for real: manage.py runlocal on a free port with its own var/ folder.

The local install as a user gets it: SQLite, the broker in files, mail saved as .eml files,
the web app and a worker with beat. No PostgreSQL, Redis or SMTP settings reach it.
"""

import email
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.worker import mail_text, wait_for

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[2]
# Settings of the test run that must not reach a local install.
NOT_LOCAL = (
    "DATABASE_URL",
    "REDIS_URL",
    "SITE_URL",
    "EMAIL_HOST",
    "EMAIL_BACKEND",
    "EXPORTS_ROOT",
    "SECRET_KEY",
    "CELERY_TASK_ALWAYS_EAGER",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_members(session: int) -> list[int]:
    """Live processes of a session: runlocal started one, so its children stay in it."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        state, session_id = fields[0], int(fields[3])
        if session_id == session and state != "Z":
            members.append(int(stat.parent.name))
    return members


class LocalInstall:
    password: str
    contact_id: int

    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.env = {key: value for key, value in os.environ.items() if key not in NOT_LOCAL}
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            VAR_DIR=str(var_dir),
            # No collectstatic into the temporary folder: plain static files will do.
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        )

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout


class RunLocal:
    """manage.py runlocal in a session of its own, as `make run` starts it."""

    def __init__(self, install: LocalInstall, log: Path):
        self.install = install
        self.port = _free_port()
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "manage.py", "runlocal", "--port", str(self.port)],
            cwd=ROOT,
            env=install.env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self._answers, timeout=60, what=f"runlocal to serve\n{self.output()}")
        wait_for(
            lambda: " ready." in self.output(), timeout=60, what=f"its worker\n{self.output()}"
        )

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"runlocal ended:\n{self.output()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop_with(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(60)

    def kill_leftovers(self) -> None:
        for pid in _session_members(self.process.pid):
            os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(10)


class Browser:
    """Just enough of a browser: cookies, the CSRF token, forms."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> str:
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(self.base + path, body, timeout=30) as response:
            return response.read().decode()


@pytest.fixture(scope="module")
def local_install(tmp_path_factory):
    install = LocalInstall(tmp_path_factory.mktemp("local-var"))
    install.manage("migrate", "--noinput")
    printed = install.manage("ensure_admin")
    match = re.search(r"Password: (\S+)", printed)
    assert match, r"Password: (\S+)"
    install.password = match.group(1)
    install.contact_id = int(
        install.manage(
            "shell",
            "-c",
            "from contacts.services import contact_create; "
            "print(contact_create(actor=None, identifier_type='email', "
            "identifier='someone@example.com').pk)",
        ).split()[-1]
    )
    return install


@pytest.fixture
def runlocal(local_install, tmp_path):
    started: list[RunLocal] = []

    def start() -> RunLocal:
        app = RunLocal(local_install, tmp_path / f"runlocal-{len(started)}.log")
        started.append(app)
        return app

    yield start
    for app in started:
        app.kill_leftovers()


def test_the_export_mail_links_the_port_the_app_serves_on(runlocal, local_install):
    app = runlocal()
    browser = Browser(app.url)
    browser.get("/login/")
    browser.post("/login/", {"username": "admin", "password": local_install.password})
    page = browser.post(f"/exports/contact/{local_install.contact_id}/", {"next": "/exports/"})
    assert "has been scheduled" in page

    mail_folder = local_install.var_dir / "mail"
    saved = wait_for(lambda: sorted(mail_folder.glob("*.eml")), what="the export-ready mail")
    body = mail_text(email.message_from_bytes(saved[-1].read_bytes()))
    match = re.search(r"http\S+/exports/\S+/", body)
    assert match, r"http\S+/exports/\S+/"
    link = match.group(0)
    assert link.startswith(f"{app.url}/exports/"), link
    assert "Export" in browser.get(link.removeprefix(app.url))
    assert "--- mail to admin@localhost" in app.output(), "the mail is printed for the user"

    # As a process manager or `kill` stops it. runlocal ends only once its worker has:
    # left behind, the worker, its pool processes and beat would run on as orphans.
    assert len(_session_members(app.process.pid)) >= 4
    assert app.stop_with(signal.SIGTERM) == 0
    assert _session_members(app.process.pid) == [], app.output()
    assert "Warm shutdown" in app.output()
    assert "ERROR" not in app.output(), "a clean stop logs no error"


@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGHUP], ids=["Ctrl+C", "terminal closed"]
)
def test_ctrl_c_or_a_closed_terminal_stop_the_worker_and_beat_too(runlocal, signum):
    # The worker has a process group of its own, which the terminal does not signal.
    app = runlocal()
    assert app.stop_with(signum) == 0
    assert _session_members(app.process.pid) == [], app.output()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_killed_runlocal_takes_its_worker_and_beat_along(runlocal):
    # SIGKILL gives runlocal no chance to stop its worker: the kernel tells the worker.
    app = runlocal()
    worker = [pid for pid in _session_members(app.process.pid) if pid != app.process.pid]
    assert len(worker) >= 3  # the worker, its pool processes and beat
    assert app.stop_with(signal.SIGKILL) == -signal.SIGKILL
    wait_for(
        lambda: _session_members(app.process.pid) == [],
        timeout=60,
        what=f"the worker to stop\n{app.output()}",
    )
    assert "Warm shutdown" in app.output()


def test_a_busy_port_is_refused_before_any_worker_starts(local_install, tmp_path):
    log = tmp_path / "runlocal.log"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "manage.py", "runlocal", "--port", str(port)],
            cwd=ROOT,
            env=local_install.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            assert process.wait(120) == 1
            # runserver used to leave with os._exit(1) here, past the code stopping the worker.
            assert _session_members(process.pid) == []
        finally:
            for pid in _session_members(process.pid):
                os.kill(pid, signal.SIGKILL)
    output = log.read_text()
    assert f"Cannot serve on 127.0.0.1:{port}" in output
    assert "PORT=8080 make run" in output
