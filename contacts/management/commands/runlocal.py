import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Seconds the worker gets to finish its tasks on the way out before it is killed.
WORKER_STOP_TIMEOUT = 15


class Command(BaseCommand):
    help = "Run the web app together with a Celery worker (and beat) for a local install."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000")
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, port: str, host: str, **options: Any) -> None:
        _refuse_a_busy_port(host, port)
        if not os.environ.get("SITE_URL"):
            # Links in mails point where this serves; the worker sends them, so it is told too.
            settings.SITE_URL = site_url(host, port)
        # A process manager or `kill` stops us with SIGTERM, a closed terminal with SIGHUP:
        # treat them as Ctrl+C, so that runserver returns and the worker is stopped below.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
        worker = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--loglevel=INFO",
                "--concurrency=2",
            ],
            env={**os.environ, "SITE_URL": settings.SITE_URL},
            # Its own process group: stopped as a whole (pool processes and beat too), and
            # Ctrl+C in the terminal reaches only us, who stop it in order.
            process_group=0,
            preexec_fn=_ends_with(os.getpid()),  # noqa: PLW1509 (no thread runs yet)
        )
        self.stdout.write(f"Background worker started (pid {worker.pid}).")
        self.stdout.write(f"Open http://{host}:{port}/ — press Ctrl+C to stop.")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass  # a signal before runserver was listening
        finally:
            _stop(worker)


# prctl(2): the signal a process gets when its parent ends.
PR_SET_PDEATHSIG = 1


def _ends_with(parent: int) -> Callable[[], None] | None:
    """In the worker, before Celery starts: a SIGTERM when runlocal ends, even killed with
    SIGKILL (which gives runlocal no chance to stop it), so that no worker is left behind.
    Linux only; elsewhere a killed runlocal still leaves its worker."""
    if not sys.platform.startswith("linux"):
        return None

    def end_with_parent() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # runlocal ended before the line above
            os._exit(1)

    return end_with_parent


def site_url(host: str, port: str) -> str:
    """The address a browser on this machine opens for runserver on host:port."""
    if host in ("0.0.0.0", ""):  # noqa: S104 (a name for every interface, not a bind)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _refuse_a_busy_port(host: str, port: str) -> None:
    # runserver leaves with os._exit when it cannot listen, which would skip stopping the
    # worker: find out before starting one.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), int(port)))
        except (OSError, ValueError, OverflowError) as exc:
            raise CommandError(
                f"Cannot serve on {host}:{port} ({exc}). Choose another port: PORT=8080 make run"
            ) from None


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop(worker: subprocess.Popen[bytes]) -> None:
    # A second signal must not cut this short and leave the worker behind.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    # Celery's warm shutdown: running tasks finish, then the worker stops its own pool and
    # beat. Only its main process is told: pool processes that get SIGTERM themselves die
    # at once, and the worker logs each as an error.
    with contextlib.suppress(ProcessLookupError):
        worker.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        worker.wait(timeout=WORKER_STOP_TIMEOUT)
    _signal_group(worker, signal.SIGKILL)  # whatever of the group is still there
    worker.wait()


def _signal_group(worker: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group is gone already
        os.killpg(worker.pid, signum)
