"""What the figures were measured on."""

import os
import platform
import subprocess
from pathlib import Path

import django
from django.conf import settings
from django.db import connection

POSTGRES_SETTINGS = (
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "random_page_cost",
    "max_parallel_workers_per_gather",
    "jit",
)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _version(module: str) -> str:
    try:
        return __import__(module).__version__
    except (ImportError, AttributeError):
        return "?"


def _command(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return ""
    return (done.stdout or done.stderr).strip()


# The report's own file: its notes are edited between runs, and they are not the code.
REPORT = "docs/performance.md"


def _code_version() -> str:
    base = str(settings.BASE_DIR)
    commit = _command("git", "-C", base, "rev-parse", "--short", "HEAD")
    status = ("status", "--porcelain", "--untracked-files=no", "--", ".", f":(exclude){REPORT}")
    changed = _command("git", "-C", base, *status)
    count = len(changed.splitlines()) if changed else 0
    return f"{commit} + {count} uncommitted changed files" if count else commit


def describe() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
        values = []
        for name in POSTGRES_SETTINGS:
            cursor.execute(f"SHOW {name}")
            values.append(f"{name} {cursor.fetchone()[0]}")
    wrk = _command("wrk", "--version").splitlines()
    return {
        "CPU": f"{_cpu_model()}, {os.cpu_count()} cores",
        "Memory": f"{_memory_gib():.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "PostgreSQL": f"{server_version} ({', '.join(values)})",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "gunicorn": _version("gunicorn"),
        "psycopg": _version("psycopg"),
        "wrk": wrk[0].split(" [")[0] if wrk else "not installed",
        "Code": _code_version(),
    }
