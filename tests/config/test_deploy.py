"""The README's production recipe passes Django's deployment checks, and its headers hold."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]


def _recipe_exports() -> list[str]:
    """The `export` lines of the README's Production recipe, placeholders filled in."""
    readme = (BASE_DIR / "README.md").read_text()
    recipe = readme.split("## Production", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [line for line in recipe.splitlines() if line.startswith("export ")]
    assert lines, "the Production section has a recipe of `export` lines"
    return [re.sub(r"=\.\.\.(?=\s|$)", f"={secrets.token_urlsafe(50)}", line) for line in lines]


def test_the_production_recipe_passes_check_deploy_without_a_warning(tmp_path):
    script = "\n".join(["set -e", *_recipe_exports(), "exec python manage.py check --deploy"])
    python_dir = str(Path(sys.executable).parent)
    environment = {
        "PATH": f"{python_dir}:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "VAR_DIR": str(tmp_path),  # not the developer's own var/
    }
    result = subprocess.run(  # noqa: S603
        ["/bin/bash", "-c", script + " --fail-level WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(marketer_client):
    for path in ("/login/", "/contacts/", "/admin/"):
        response = Client().get(path) if path == "/login/" else marketer_client.get(path)
        policy = response["Content-Security-Policy"]
        directives = {
            part.split()[0]: part.split()[1:] for part in policy.split("; ") if part.strip()
        }
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "unsafe" not in policy


@pytest.mark.django_db
def test_https_settings_follow_the_environment(settings, marketer_client):
    assert settings.SECURE_HSTS_SECONDS == 0, "off for a local install on plain http"
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    plain = marketer_client.get("/contacts/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = marketer_client.get("/contacts/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_templates_hold_no_inline_script_style_or_handler():
    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        patterns = [r"<script(?![^>]*\bsrc=)", r"\sstyle=", r"\son[a-z]+\s*=", r"javascript:"]
        offenders += [f"{path.name}: {p}" for p in patterns if re.search(p, text, re.I)]
    assert offenders == []


def test_settings_come_from_the_strict_environment_readers():
    assert settings.AXES_FAILURE_LIMIT == settings.LOGIN_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == settings.LOGIN_LOCKOUT_MINUTES * 60


def _policy_of(response) -> dict[str, set[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: set(part.split()[1:]) for part in policy.split("; ") if part}


@pytest.mark.django_db
def test_the_policy_built_once_is_the_one_django_csp_builds(marketer_client):
    from csp.utils import build_policy

    expected = {
        part.split()[0]: set(part.split()[1:]) for part in build_policy().split("; ") if part
    }
    assert _policy_of(marketer_client.get("/contacts/")) == expected


@pytest.mark.django_db
def test_a_changed_setting_and_a_views_own_policy_still_apply(settings, client):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    }
    assert _policy_of(client.get("/login/"))["img-src"] == {"'self'"}
    redoc = _policy_of(client.get("/api/v1/schema/redoc/"))
    assert "'unsafe-inline'" in redoc["style-src"] and "blob:" in redoc["worker-src"]
    assert _policy_of(client.get("/login/"))["style-src"] == {"'self'"}
