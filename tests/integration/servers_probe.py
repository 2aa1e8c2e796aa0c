"""The test command that tests/integration/test_private_servers.py gives scripts.test_services.

It uses the servers it was given (pg_trgm included), writes down their processes and folders,
then exits with the code asked for, or says "ready" and waits to be interrupted.

Usage: servers_probe.py REPORT.json exit CODE | servers_probe.py REPORT.json wait
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
import redis


def stat(pid: int) -> list[str]:
    """/proc/PID/stat from its 3rd field (state, ppid, ...); the name may contain spaces."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def started(pid: int) -> str:
    """The start time of a process: tells it apart from a later one with the same pid."""
    return stat(pid)[19]


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(stat(int(entry.name))[1]) == parent:
                    found.append(int(entry.name))
            except (OSError, IndexError):
                continue  # ended while we looked
    return found


def _value(db: psycopg.Connection[Any], sql: str) -> Any:
    row = db.execute(sql).fetchone()
    assert row is not None, sql
    return row[0]


def main(report: Path, mode: str, code: str = "0") -> int | str:
    with psycopg.connect(os.environ["TEST_DATABASE_URL"], autocommit=True) as db:
        data = Path(_value(db, "SHOW data_directory"))
        if not data.is_relative_to(tempfile.gettempdir()):
            return f"Not a private server, left alone: {data}"
        db.execute("CREATE EXTENSION pg_trgm")
        similarity = _value(db, "SELECT similarity('contact', 'contacts')")
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    broker = redis.Redis.from_url(os.environ["TEST_REDIS_URL"])
    redis_pid = broker.info("server")["process_id"]
    redis_dir = broker.config_get("dir")["dir"]
    broker.close()
    pids = [postmaster, *children(postmaster), redis_pid]
    report.write_text(
        json.dumps(
            {
                "probe": [os.getpid(), started(os.getpid())],
                "database_url": os.environ["TEST_DATABASE_URL"],
                "redis_url": os.environ["TEST_REDIS_URL"],
                "similarity": similarity,
                "folders": [str(data), redis_dir],
                "processes": [[pid, started(pid)] for pid in pids],
            }
        )
    )
    if mode == "exit":
        return int(code)
    print("ready", flush=True)
    try:
        time.sleep(600)  # the test interrupts us long before; if not, its exit code check fails
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), *sys.argv[2:]))
