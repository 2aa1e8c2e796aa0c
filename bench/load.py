"""The load test: gunicorn (the production server) with 2 workers, wrk on 127.0.0.1 only."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from bench.dataset import log

HERE = Path(__file__).resolve().parent
URL_PATH = "/contacts/"


@dataclass
class LoadResult:
    workers: int
    connections: int
    threads: int
    duration_s: int
    timeout_s: int
    requests: int = 0
    requests_per_s: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)  # 50%, 75%, 90%, 99%, avg, max
    socket_errors: dict[str, int] = field(default_factory=dict)
    non_2xx_3xx: int = 0
    not_200: int | None = None
    worker_errors: list[str] = field(default_factory=list)
    output: str = ""
    error: str = ""

    @property
    def errors(self) -> int:
        return (
            sum(self.socket_errors.values())
            + max(self.non_2xx_3xx, self.not_200 or 0)
            + len(self.worker_errors)
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(user: User) -> str:
    """A session of a logged-in user, stored by Django's session engine."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _get(url: str, cookie: str, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # 127.0.0.1 only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


def _gunicorn_env(database_url: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": database_url}
    env.pop("BENCH_DATABASE_URL", None)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        # No collectstatic manifest: plain static URLs (the list page only links to them).
        env["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    return env


def run_load(
    user: User,
    *,
    database_url: str,
    workers: int = 2,
    connections: int = 50,
    threads: int = 2,
    duration_s: int = 60,
    timeout_s: int = 30,
    log_dir: Path,
) -> LoadResult:
    result = LoadResult(workers, connections, threads, duration_s, timeout_s)
    wrk = shutil.which("wrk")
    if wrk is None:
        result.error = "wrk is not installed (apt-get install wrk)"
        return result
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie(user)}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_dir.mkdir(parents=True, exist_ok=True)
    error_log = log_dir / "gunicorn.log"
    error_log.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        str(timeout_s),
        "--error-logfile",
        str(error_log),
        "--no-control-socket",  # another gunicorn on this machine may hold the default one
    ]
    log(f"  gunicorn {workers} workers on {base}")
    server = subprocess.Popen(
        command,
        env=_gunicorn_env(database_url),
        cwd=settings.BASE_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not _wait_ready(base, cookie, server):
            result.error = f"gunicorn did not serve {URL_PATH} (see {error_log})"
            return result
        for _ in range(2 * workers * 5):  # warm both workers
            _get(base + URL_PATH, cookie)
        log(f"  wrk -t{threads} -c{connections} -d{duration_s}s --latency {base}{URL_PATH}")
        completed = subprocess.run(
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration_s}s",
                f"--timeout={timeout_s}s",
                "--latency",
                "-s",
                str(HERE / "wrk_status.lua"),
                "-H",
                f"Cookie: {cookie}",
                base + URL_PATH,
            ],
            capture_output=True,
            text=True,
            timeout=duration_s + timeout_s + 60,
            check=False,
        )
        result.output = completed.stdout + completed.stderr
        _parse(result, result.output)
        log(
            f"  {result.requests:,} requests, {result.requests_per_s:.1f}/s, "
            f"p50 {result.latency_ms.get('p50')} ms, p99 {result.latency_ms.get('p99')} ms, "
            f"socket errors {result.socket_errors}, not 200: {result.not_200}"
        )
        status, _body = _get(base + URL_PATH, cookie)
        if status != 200:
            result.error = f"after the run {URL_PATH} answered HTTP {status}"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    text = error_log.read_text(errors="replace") if error_log.exists() else ""
    result.worker_errors = [
        line for line in text.splitlines() if "Traceback" in line or "WORKER TIMEOUT" in line
    ]
    return result


def _wait_ready(base: str, cookie: str, server: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        status, body = _get(base + URL_PATH, cookie, timeout=10)
        if status == 200:
            return b"contact-table" in body
        time.sleep(0.5)
    return False


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def _parse(result: LoadResult, output: str) -> None:
    for percent in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{percent}%\s+(\S+)", output, re.M)
        if match:
            result.latency_ms[f"p{percent}"] = _ms(match.group(1))
    match = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", output, re.M)
    if match:
        result.latency_ms["avg"] = _ms(match.group(1))
        result.latency_ms["max"] = _ms(match.group(3))
    match = re.search(r"(\d+) requests in", output)
    result.requests = int(match.group(1)) if match else 0
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    result.requests_per_s = float(match.group(1)) if match else 0.0
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if match:
        result.socket_errors = dict(
            zip(("connect", "read", "write", "timeout"), map(int, match.groups()), strict=True)
        )
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result.non_2xx_3xx = int(match.group(1)) if match else 0
    match = re.search(r"bench-not-200: (\d+)", output)
    result.not_200 = int(match.group(1)) if match else None
