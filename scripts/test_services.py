"""The servers of a `make test` run: pick them, say which, run the tests, clean up.

PostgreSQL and Redis are *shared* when TEST_DATABASE_URL / TEST_REDIS_URL name them (then they
must answer: a user who names a server means that server) or when the defaults answer. Otherwise,
or always with `--services=private`, a *private* throwaway PostgreSQL cluster and Redis server run
for this run only, in a temporary directory, on free ports of 127.0.0.1. They are stopped and the
directory removed when the command ends, fails or is interrupted (Ctrl+C, SIGTERM, SIGHUP).
Missing Debian packages (postgresql, redis-server, chromium) are installed with apt when we may.

Usage: python -m scripts.test_services [--services auto|private|shared] -- COMMAND...
COMMAND runs with TEST_DATABASE_URL, TEST_REDIS_URL and CHROMIUM_PATH set to what was chosen.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

import psycopg
import redis

from scripts.private_servers import (
    PrivateServers,
    SetupError,
    postgres_bindir,
    postgres_version,
    redis_version,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
INTERRUPTS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_GRACE = 30  # seconds the interrupted tests get to clean up before they are killed


class Interrupted(Exception):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class Choice:
    """A server the run uses: a shared one, or a private one (its url known once started)."""

    private: bool
    url: str | None = None
    version: str = ""
    note: str = ""

    def describe(self, name: str, servers: PrivateServers | None) -> str:
        if self.private:
            folder = f"  in {servers.root}" if servers else ""
            text = f"{name} {self.version}  private  {where(self.url)}{folder}"
        else:
            text = f"{name} {self.version}  shared  {where(self.url)}"
        return f"{text}  ({self.note})" if self.note else text


def where(url: str | None) -> str:
    """host:port/db of a URL, without its user or password (safe to print)."""
    try:
        parts = urlsplit(url or "")
        if parts.hostname:
            return f"{parts.hostname}:{parts.port or ''}{parts.path}"
    except ValueError:
        pass
    return "an unreadable URL"


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def choose(
    mode: str, name: str, variable: str, default: str, version: Callable[[str], str]
) -> Choice:
    named = os.environ.get(variable)
    if mode == "private":
        return Choice(private=True, note=f"{variable} ignored: SERVICES=private" if named else "")
    url = named or default
    try:
        found = version(url)
    except (psycopg.Error, redis.RedisError, OSError, ValueError) as exc:
        if named or mode == "shared":
            raise SetupError(
                f"{name} at {where(url)} ({variable if named else 'the default'}) does not "
                f"answer: {first_line(exc)}\nStart it, or leave {variable} unset to let "
                "`make test` start a private one."
            ) from None
        return Choice(private=True, note=f"no usable server at {where(default)}")
    return Choice(private=False, url=url, version=found)


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def missing_packages(postgres: Choice, cache: Choice) -> list[str]:
    missing = []
    if postgres.private and postgres_bindir() is None:
        missing.append("postgresql")
    if cache.private and shutil.which("redis-server") is None:
        missing.append("redis-server")
    if chromium_path() is None:
        missing.append("chromium")
    return missing


def install(packages: list[str]) -> None:
    """apt-get install, without starting or enabling the servers' system services.

    The servers are installed for their binaries only: a PostgreSQL or Redis service started now
    or at the next boot would take the ports of servers the user may run otherwise.
    """
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SetupError(
            f"`make test` needs {', '.join(packages)} and cannot install "
            f"{'them' if len(packages) > 1 else 'it'} here (not root, or no apt-get). "
            f"On Debian or Ubuntu run:\n    sudo apt-get install {' '.join(packages)}\n"
            "Elsewhere install them from your system's packages (TEST_PG_BINDIR names the "
            "folder of initdb and postgres, CHROMIUM_PATH the browser), or set "
            "TEST_DATABASE_URL and TEST_REDIS_URL to servers you run."
        )
    print(f"Installing {' '.join(packages)} with apt-get (no service started or enabled)...")
    policy = Path("/usr/sbin/policy-rc.d")
    ours = not policy.exists()
    if ours:
        policy.write_text("#!/bin/sh\n# make test is installing: start no service\nexit 101\n")
        policy.chmod(0o755)
    try:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # noqa: S607
        subprocess.run(  # noqa: S603
            ["apt-get", "install", "-y", "-qq", *packages],  # noqa: S607
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    except subprocess.CalledProcessError as exc:
        raise SetupError(f"apt-get failed ({exc.returncode}): see its output above.") from None
    finally:
        if ours:
            policy.unlink()
    for service in [name for name in packages if name in ("postgresql", "redis-server")]:
        # Debian's own switch: removes the boot links of SysV init and of systemd alike.
        subprocess.run(  # noqa: S603
            ["update-rc.d", service, "disable"],  # noqa: S607
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def chromium_version(path: str) -> str:
    done = subprocess.run(  # noqa: S603
        [path, "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    found = re.search(r"\d+(\.\d+)+", done.stdout)
    return found.group(0) if found else "(version unknown)"


def run(command: list[str], env: dict[str, str]) -> int:
    """Run the tests in their own process group, so an interrupt reaches all of them at once."""
    child = subprocess.Popen(command, env=env, process_group=0)  # noqa: S603
    try:
        return child.wait()
    except Interrupted:
        # As Ctrl+C would: pytest then tears down its fixtures (worker processes, browser).
        os.killpg(child.pid, signal.SIGINT)
        try:
            child.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        raise


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    for each in INTERRUPTS:  # once is enough: let the clean-up finish
        signal.signal(each, signal.SIG_IGN)
    raise Interrupted(signum)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", choices=["auto", "private", "shared"], default="auto")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the test command after --")

    postgres = choose(
        args.services, "PostgreSQL", "TEST_DATABASE_URL", DEFAULT_DATABASE_URL, postgres_version
    )
    cache = choose(args.services, "Redis", "TEST_REDIS_URL", DEFAULT_REDIS_URL, redis_version)
    if missing := missing_packages(postgres, cache):
        install(missing)
        if still := missing_packages(postgres, cache):
            raise SetupError(f"Still missing after apt-get: {' '.join(still)}")

    for each in INTERRUPTS:
        signal.signal(each, _interrupt)
    private = None
    try:
        if postgres.private or cache.private:
            private = PrivateServers()
        if private and postgres.private:
            bindir = postgres_bindir()
            if bindir is None:  # missing_packages() saw to it; a folder that went since
                raise SetupError("PostgreSQL's initdb and postgres are gone.")
            postgres.url, postgres.version = private.postgres(bindir)
        if private and cache.private:
            cache.url, cache.version = private.redis()
        if postgres.url is None or cache.url is None:
            raise SetupError("No PostgreSQL or Redis server for the run.")
        lines = [postgres.describe("PostgreSQL", private), cache.describe("Redis", private)]
        chromium = chromium_path()
        if chromium is None:  # missing_packages() saw to it
            raise SetupError("Chromium is gone.")
        lines.append(f"Chromium {chromium_version(chromium)}  {chromium}")
        print("Test servers for this run:", *lines, sep="\n  ", flush=True)
        env = {
            **os.environ,
            "TEST_DATABASE_URL": postgres.url,
            "TEST_REDIS_URL": cache.url,
            "CHROMIUM_PATH": chromium,
        }
        return run(command, env)
    except Interrupted as exc:
        print(f"\nInterrupted ({exc}): stopping the private servers.", file=sys.stderr)
        return 128 + exc.signum
    finally:
        if private:
            private.close()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SetupError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        sys.exit(2)
