"""What a production install (`make setup`: requirements.lock only) can run, and the lists that
keep the packages and their checks in step."""

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

# Runs in a fresh interpreter where the development packages cannot be imported, as in a
# production install: the app starts, passes its checks and every module of it imports.
AS_IN_PRODUCTION = """
import importlib, pkgutil, sys
from pathlib import Path

for name in sys.argv[1].split(","):
    sys.modules[name] = None  # "import name" now fails as if it were not installed

import django
from django.apps import apps
from django.core.management import CommandError, call_command

django.setup()
if sys.argv[2] == "check":
    call_command("check")
    ours = {app.name for app in apps.get_app_configs() if Path(app.path).parent == Path.cwd()}
    for package in sorted(ours | {"config"}):
        path = importlib.import_module(package).__path__
        for module in pkgutil.walk_packages(path, package + "."):
            # The demo seeder is development code: only its command must load.
            if module.name.startswith("demo.") and not module.name.startswith(
                ("demo.apps", "demo.management")
            ):
                continue
            importlib.import_module(module.name)
    print("imported", *sorted(ours | {"config"}))
else:
    try:
        call_command("seed_demo", "--contacts", "1")
    except CommandError as exc:
        print(exc)
"""


def _distribution(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def development_modules() -> list[str]:
    """The top-level modules of the development dependencies (the `dev` extra)."""
    wanted = {_distribution(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]}
    runtime = {_distribution(r) for r in PYPROJECT["project"]["dependencies"]}
    assert not wanted & runtime
    modules = [
        module
        for module, distributions in importlib.metadata.packages_distributions().items()
        if {_distribution(d) for d in distributions} & wanted and module.isidentifier()
    ]
    assert {"faker", "pytest", "playwright", "hypothesis", "ruff"} <= set(modules)
    return sorted(modules)


def run_as_in_production(tmp_path: Path, what: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path), PYTHONPATH=".")
    return subprocess.run(
        [sys.executable, "-c", AS_IN_PRODUCTION, ",".join(development_modules()), what],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_app_needs_no_development_package(tmp_path):
    result = run_as_in_production(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    imported = result.stdout.splitlines()[-1].split()
    assert imported[0] == "imported"
    assert {"anonymization", "config", "contacts", "core", "demo", "exports"} <= set(imported)


def test_seed_demo_says_that_it_needs_the_development_packages(tmp_path):
    result = run_as_in_production(tmp_path, "seed_demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "seed_demo needs the development dependencies (faker is missing): "
        "`make demo` installs them."
    )


def test_faker_is_a_development_dependency_only():
    runtime = {_distribution(r) for r in PYPROJECT["project"]["dependencies"]}
    assert "faker" not in runtime
    lock = (ROOT / "requirements.lock").read_text()
    for tool in ("faker", "pytest", "playwright", "hypothesis", "ruff", "mypy"):
        assert not re.search(rf"^{tool}==", lock, re.MULTILINE), tool


def test_every_package_is_under_the_import_contracts():
    """lint-imports only sees its root packages: a new top-level package must be listed."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages == set(PYPROJECT["tool"]["importlinter"]["root_packages"])
