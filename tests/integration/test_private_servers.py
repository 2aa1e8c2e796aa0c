"""scripts.test_services: the private PostgreSQL and Redis of a `make test` run leave nothing
behind, however the run ends; a named server that does not answer, or a missing package, stops
the run with a message that says what to do.

These tests start real private servers from the system's packages (postgresql, redis-server).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
import redis

from scripts.private_servers import postgres_bindir
from scripts.test_services import chromium_path
from tests.worker import wait_for

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("servers_probe.py")


@pytest.fixture
def packages():
    """The binaries private servers need. In CI (CI=true) they must be there: never skip."""
    missing = [
        name
        for name, found in (
            ("postgresql", postgres_bindir()),
            ("redis-server", shutil.which("redis-server")),
            ("chromium", chromium_path()),
        )
        if not found
    ]
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"Missing packages: {' '.join(missing)}")
    if missing:
        pytest.skip(f"Needs the packages {' '.join(missing)}")


@pytest.fixture
def tmpdir_base():
    """The TMPDIR of the runs under test: it must end up empty. Open to the servers' user."""
    base = Path(tempfile.mkdtemp(prefix="private-servers-test-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def start(base: Path, report: Path, *probe_args: str, services="private", **env):
    return run_helper(base, [sys.executable, str(PROBE), str(report), *probe_args], services, env)


def run_helper(base: Path, command: list[str], services: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scripts.test_services", f"--services={services}", "--", *command],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(base), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_ready(run: subprocess.Popen[str]) -> None:
    assert run.stdout is not None
    for line in run.stdout:
        if line.strip() == "ready":
            return
    pytest.fail("The test command did not start")


def alive(pid: int, started: str) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return False
    return stat[19] == started and stat[0] != "Z"


def stop_if_left(probe: list) -> bool:
    """Kill the probe (the stand-in for the tests) if its run left it behind; whether it did.

    It sleeps for minutes and holds the run's output open: left alone it would stall the test.
    """
    if not alive(*probe):
        return False
    os.killpg(probe[0], signal.SIGKILL)
    return True


def assert_nothing_left(report: dict, base: Path) -> None:
    assert report["processes"], "the probe found the servers' processes"
    assert [pid for pid, started in report["processes"] if alive(pid, started)] == []
    assert [folder for folder in report["folders"] if Path(folder).exists()] == []
    assert list(base.iterdir()) == []
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(report["database_url"], connect_timeout=3)
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(report["redis_url"], socket_connect_timeout=3).ping()


@pytest.mark.parametrize("code", [0, 3])
def test_a_run_that_ends_leaves_no_process_and_no_folder(packages, tmpdir_base, tmp_path, code):
    report = tmp_path / "report.json"
    run = start(tmpdir_base, report, "exit", str(code))
    output, _ = run.communicate()
    assert run.returncode == code, output
    found = json.loads(report.read_text())
    assert found["similarity"] > 0.5, "pg_trgm works in the private cluster"
    lines = output.splitlines()
    assert lines[0] == "Test servers for this run:"
    folder = re.escape(str(tmpdir_base))
    assert re.fullmatch(
        rf"  PostgreSQL \d+\.\d+  private  127\.0\.0\.1:\d+/postgres  in {folder}/.+", lines[1]
    )
    assert re.fullmatch(
        rf"  Redis \d+\.\d+\.\d+  private  127\.0\.0\.1:\d+/0  in {folder}/.+", lines[2]
    )
    assert re.fullmatch(r"  Chromium \d+\.[\d.]+  /.+", lines[3])
    assert_nothing_left(found, tmpdir_base)


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["SIGTERM", "SIGINT", "SIGHUP"]
)
def test_a_run_interrupted_mid_way_leaves_no_process_and_no_folder(
    packages, tmpdir_base, tmp_path, signum
):
    report = tmp_path / "report.json"
    run = start(tmpdir_base, report, "wait")
    wait_until_ready(run)
    run.send_signal(signum)
    run.wait()
    found = json.loads(report.read_text())
    tests_left = stop_if_left(found["probe"])
    output = run.stdout.read()
    assert run.returncode == 128 + signum, output
    assert "stopping the private servers" in output
    assert not tests_left, "the tests were interrupted too"
    assert_nothing_left(found, tmpdir_base)


def test_a_run_killed_outright_takes_its_servers_along_and_the_next_run_clears_its_folder(
    packages, tmpdir_base, tmp_path
):
    report = tmp_path / "report.json"
    run = start(tmpdir_base, report, "wait")
    wait_until_ready(run)
    run.kill()
    run.wait()
    run.stdout.close()
    found = json.loads(report.read_text())
    stop_if_left(found["probe"])  # the tests, orphaned by SIGKILL: not the point here
    wait_for(
        lambda: not any(alive(pid, started) for pid, started in found["processes"]),
        what="the servers to stop after their run was killed",
    )
    assert len(list(tmpdir_base.iterdir())) == 1, "SIGKILL leaves the folder"

    second = start(tmpdir_base, tmp_path / "second.json", "exit", "0")
    output, _ = second.communicate()
    assert second.returncode == 0, output
    assert_nothing_left(found, tmpdir_base)


def test_a_named_server_that_does_not_answer_stops_the_run(tmpdir_base, tmp_path):
    ran = tmp_path / "ran"
    command = [sys.executable, "-c", f"open({str(ran)!r}, 'w')"]  # touches no server
    with socket.socket() as taken:  # bound, not listening: connections are refused
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        url = f"postgres://postgres:secret@127.0.0.1:{port}/postgres"
        run = run_helper(tmpdir_base, command, "auto", {"TEST_DATABASE_URL": url})
        output, _ = run.communicate()
    assert run.returncode == 2
    assert f"PostgreSQL at 127.0.0.1:{port}/postgres (TEST_DATABASE_URL) does not answer" in output
    assert "secret" not in output
    assert "Traceback" not in output
    assert not ran.exists(), "the tests did not run"
    assert list(tmpdir_base.iterdir()) == []


def test_missing_packages_say_what_to_install(tmpdir_base, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "CHROMIUM_PATH"}
    run = subprocess.run(
        [sys.executable, "-m", "scripts.test_services", "--services=private", "--", "true"],
        cwd=ROOT,
        env={
            **env,
            "TMPDIR": str(tmpdir_base),
            "PATH": "/nonexistent",
            "TEST_PG_BINDIR": "/nonexistent",
        },
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "sudo apt-get install postgresql redis-server chromium" in run.stderr
    assert "TEST_DATABASE_URL and TEST_REDIS_URL" in run.stderr
    assert "Traceback" not in run.stderr
    assert list(tmpdir_base.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="the servers change user only when run as root")
def test_a_tmpdir_the_servers_user_cannot_reach_is_refused(packages, tmp_path):
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    run = start(closed, tmp_path / "report.json", "exit", "0")
    output, _ = run.communicate()
    assert run.returncode == 2
    assert "set TMPDIR to a folder open to all users" in output
    assert list(closed.iterdir()) == []
