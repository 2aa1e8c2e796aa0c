"""The code a bench report names (bench.machine): its commit, and whether files of the code
were changed beside it; the report's own notes are not code."""

import subprocess

import pytest

from bench import machine


@pytest.fixture
def checkout(tmp_path, settings):
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "performance.md").write_text("notes\n")
    (tmp_path / "app.py").write_text("x = 1\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "first")
    settings.BASE_DIR = tmp_path
    return tmp_path


def test_edited_report_notes_leave_the_code_clean(checkout):
    (checkout / "docs" / "performance.md").write_text("notes, read\n")
    assert "uncommitted" not in machine._code_version()


def test_a_changed_code_file_is_named(checkout):
    (checkout / "app.py").write_text("x = 2\n")
    assert machine._code_version().endswith(" + 1 uncommitted changed files")
