"""The fair comparison with a stock Django admin: over HTTP through gunicorn, the same
number of rows on both sides (All Contacts with 100 rows a page, the stock admin's 100).

gunicorn serves the bench settings (DEBUG off, the stock admin mounted at /stockadmin/)
with 2 workers; the pages are requested one after another from 127.0.0.1.
"""

import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User

from bench.dataset import log
from bench.load import _free_port, _get, _gunicorn_env, session_cookie
from bench.stock_admin import StockContactAdmin

RATIO_TARGET = 10.0
ROWS = StockContactAdmin.list_per_page  # Django's default, 100
OURS = f"/contacts/?per_page={ROWS}"
STOCK = "/stockadmin/contacts/contact/"


@dataclass
class StockHttp:
    rows: int
    ours_ms: float
    stock_ms: float
    requests: int
    error: str = ""

    @property
    def ratio(self) -> float | None:
        return self.stock_ms / self.ours_ms if self.ours_ms else None


def compare(marketer: User, admin: User, *, database_url: str, requests: int = 20) -> StockHttp:
    ours_cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie(marketer)}"
    stock_cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie(admin)}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**_gunicorn_env(database_url), "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
    ]
    server = subprocess.Popen(
        command,
        env=env,
        cwd=settings.BASE_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        timings: dict[str, list[float]] = {OURS: [], STOCK: []}
        cookies = {OURS: ours_cookie, STOCK: stock_cookie}
        deadline = time.monotonic() + 60
        while _get(base + OURS, ours_cookie)[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                return StockHttp(ROWS, 0, 0, 0, error="gunicorn did not serve All Contacts")
            time.sleep(0.5)
        for path in (OURS, STOCK):  # warm both workers
            for _ in range(4):
                _get(base + path, cookies[path])
        for _ in range(requests):  # alternating, so that both see the same machine
            for path in (OURS, STOCK):
                started = time.perf_counter()
                status, body = _get(base + path, cookies[path])
                if status != 200 or b"</html>" not in body:
                    return StockHttp(ROWS, 0, 0, 0, error=f"GET {path}: HTTP {status}")
                timings[path].append((time.perf_counter() - started) * 1000)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    result = StockHttp(
        ROWS, statistics.median(timings[OURS]), statistics.median(timings[STOCK]), requests
    )
    log(
        f"  over HTTP, {ROWS} rows: All Contacts {result.ours_ms:.1f} ms, "
        f"stock admin {result.stock_ms:.1f} ms ({result.ratio or 0:.1f}x)"
    )
    return result
