"""Private, throwaway PostgreSQL and Redis servers for one test run.

Both run in one temporary directory, on free ports of 127.0.0.1, as an unprivileged user when we
are root (PostgreSQL refuses to run as root). `PrivateServers.close()` stops them and removes the
directory. Should the run be killed outright (SIGKILL), the kernel stops the servers with it and
the next run removes the directory it left.
"""

import contextlib
import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import redis

# PostgreSQL's initdb refuses to run as root: as root, the private servers run as this user.
UNPRIVILEGED_USER = "nobody"
# Throwaway data: nothing needs to survive a crash, so skip the disk flushes.
POSTGRES_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
FOLDER_PREFIX = "contactbook-test-servers-"
START_TIMEOUT = 60  # seconds a server may take to answer on a busy machine
STOP_GRACE = 30  # seconds before a server that does not stop is killed outright


class SetupError(Exception):
    """Something the user must fix; the message says what."""


@dataclass
class Server:
    """A private server process, the leader of its own process group."""

    process: subprocess.Popen[bytes]
    log: Path
    stop_signal: int

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(self.stop_signal)
        try:
            self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            # Stuck. The leader is not reaped yet, so its group id is still ours to kill
            # (PostgreSQL's own children then exit: they watch their postmaster).
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def postgres_version(url: str) -> str:
    with psycopg.connect(url, connect_timeout=3) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "(version unknown)"


def redis_version(url: str) -> str:
    client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
    try:
        return str(client.info("server")["redis_version"])
    finally:
        client.close()


def _version_key(name: str) -> tuple[int, ...]:
    """'15' or '9.6' as numbers, so that 15 sorts after 9.6; other names first."""
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def postgres_bindir() -> Path | None:
    """Where initdb and postgres are: TEST_PG_BINDIR, else Debian's newest, else PATH."""
    if configured := os.environ.get("TEST_PG_BINDIR"):
        candidates = [Path(configured)]
    else:
        debian = Path("/usr/lib/postgresql").glob("*/bin")
        candidates = sorted(debian, key=lambda p: _version_key(p.parent.name), reverse=True)
        if on_path := shutil.which("initdb"):
            candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent(signum: int) -> Callable[[], object] | None:
    """preexec_fn: the kernel sends `signum` to the server if this script dies (even SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    return lambda: prctl(1, signum)  # 1 = PR_SET_PDEATHSIG


def reachable(folder: Path, user: pwd.struct_passwd) -> bool:
    """Whether `user` may pass through every folder down to `folder` (mode bits only)."""
    for each in (folder, *folder.parents):
        info = each.stat()
        if info.st_uid == user.pw_uid:
            allowed = info.st_mode & 0o100
        elif info.st_gid == user.pw_gid:
            allowed = info.st_mode & 0o010
        else:
            allowed = info.st_mode & 0o001
        if not allowed:
            return False
    return True


def remove_abandoned(base: Path) -> None:
    """Remove the folders of runs that were killed outright (their servers died with them)."""
    for folder in base.glob(f"{FOLDER_PREFIX}*"):
        try:
            owner = int((folder / "run.pid").read_text())
        except (OSError, ValueError):
            continue  # starting right now, or another user's
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass  # alive, another user's


class PrivateServers:
    """Throwaway servers in one temporary directory; `close()` stops them and removes it."""

    def __init__(self) -> None:
        base = Path(tempfile.gettempdir())
        self.user = pwd.getpwnam(UNPRIVILEGED_USER) if os.geteuid() == 0 else None
        if self.user and not reachable(base, self.user):
            raise SetupError(
                f"The private servers run as user {UNPRIVILEGED_USER}, who cannot reach {base}: "
                "set TMPDIR to a folder open to all users (e.g. /tmp)."
            )
        remove_abandoned(base)
        self.servers: list[Server] = []
        self.root = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=base))
        (self.root / "run.pid").write_text(str(os.getpid()))
        if self.user:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    def folder(self, name: str) -> Path:
        path = self.root / name
        path.mkdir()
        if self.user:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)
        return path

    def _as_owner(self) -> dict[str, Any]:
        env = {"PATH": os.defpath, "LC_ALL": "C.UTF-8", "HOME": str(self.root)}
        if not self.user:
            return {"env": env, "cwd": self.root}
        return {
            "env": env,
            "cwd": self.root,
            "user": self.user.pw_uid,
            "group": self.user.pw_gid,
            "extra_groups": [],
        }

    def _start(
        self,
        name: str,
        command: Callable[[int], list[str]],
        stop_signal: int,
        ready: Callable[[int], str],
    ) -> tuple[Server, int, str]:
        """Start `command(port)` until it answers `ready(port)`; a taken port gets a retry."""
        for _attempt in range(3):
            port = free_port()
            log = self.root / f"{name}-{port}.log"
            with log.open("wb") as output:
                process = subprocess.Popen(  # noqa: S603 (our arguments, no shell)
                    command(port),
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent(stop_signal),
                    **self._as_owner(),
                )
            server = Server(process, log, stop_signal)
            self.servers.append(server)
            deadline = time.monotonic() + START_TIMEOUT
            while process.poll() is None and time.monotonic() < deadline:
                with contextlib.suppress(psycopg.Error, redis.RedisError, OSError):
                    return server, port, ready(port)
                time.sleep(0.1)
            server.stop()
            text = log.read_text(errors="replace")
            if "already in use" not in text:
                tail = "\n".join(text.splitlines()[-15:])
                raise SetupError(f"The private {name} did not start:\n{tail}")
        raise SetupError(f"The private {name} found no free port.")

    def postgres(self, bindir: Path) -> tuple[str, str]:
        data = self.folder("postgres")
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        initdb += ["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"]
        done = subprocess.run(  # noqa: S603
            initdb, capture_output=True, text=True, check=False, **self._as_owner()
        )
        if done.returncode:
            raise SetupError(f"initdb failed:\n{done.stdout}{done.stderr}")

        def command(port: int) -> list[str]:
            settings = {**POSTGRES_SETTINGS, "port": port, "unix_socket_directories": self.root}
            options = [arg for key, value in settings.items() for arg in ("-c", f"{key}={value}")]
            return [str(bindir / "postgres"), "-D", str(data), *options]

        def url(port: int) -> str:
            return f"postgres://postgres@127.0.0.1:{port}/postgres"

        # SIGINT is PostgreSQL's fast shutdown: no waiting for clients to disconnect.
        _server, port, version = self._start(
            "PostgreSQL", command, signal.SIGINT, lambda port: postgres_version(url(port))
        )
        return url(port), version

    def redis(self) -> tuple[str, str]:
        data = self.folder("redis")
        server = shutil.which("redis-server")
        if server is None:
            raise SetupError("redis-server is not installed.")

        def command(port: int) -> list[str]:
            return [
                server,
                *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(data)),
                *("--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", ""),
            ]

        def url(port: int) -> str:
            return f"redis://127.0.0.1:{port}/0"

        _server, port, version = self._start(
            "Redis", command, signal.SIGTERM, lambda port: redis_version(url(port))
        )
        return url(port), version

    def close(self) -> None:
        for server in reversed(self.servers):
            server.stop()
        shutil.rmtree(self.root, ignore_errors=True)
