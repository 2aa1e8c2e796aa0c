from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils import timezone
from django.utils.functional import LazyObject

# Export files hold personal data: only the app's own user may read them or list them.
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class _ExportStorage(LazyObject[FileSystemStorage]):
    """Private storage for export files: never under MEDIA_URL, served only by the export view."""

    def _setup(self) -> None:
        self._wrapped = FileSystemStorage(
            location=settings.EXPORTS_ROOT,
            base_url=None,
            file_permissions_mode=FILE_MODE,
            directory_permissions_mode=DIRECTORY_MODE,
        )


# A LazyObject hands every attribute to the storage it wraps: it is used as that storage.
export_storage: Storage = _ExportStorage()  # type: ignore[assignment]


def delete_files(names: list[str]) -> None:
    for name in names:
        if name and export_storage.exists(name):
            export_storage.delete(name)


def _tmp_dir() -> Path:
    return Path(settings.EXPORTS_ROOT) / ".tmp"


def part_path(token: str, attempt: int) -> Path:
    """Where one attempt of a job writes its file until it is complete.

    Named after the job and the attempt, so the next attempt, or the job's failure or
    cancellation, can remove what a crashed worker left.
    """
    for folder in (Path(settings.EXPORTS_ROOT), _tmp_dir()):
        folder.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        if folder.stat().st_mode & 0o077:  # made by an older version, or by hand
            folder.chmod(DIRECTORY_MODE)
    return _tmp_dir() / f"{token}-{attempt}.part"


def remove_parts(tokens: list[str], *, before_attempt: int | None = None) -> None:
    """Delete the part files of these jobs (only those of attempts before `before_attempt`)."""
    folder = _tmp_dir()
    if not folder.exists():
        return
    for token in tokens:
        for path in folder.glob(f"{token}-*.part"):
            attempt = path.name[len(token) + 1 : -len(".part")]
            if attempt.isdigit() and (before_attempt is None or int(attempt) < before_attempt):
                path.unlink(missing_ok=True)


def sweep_orphans(*, keep: set[str], older_than: timedelta) -> list[str]:
    """Delete files no job points to (left by a worker that died mid-way)."""
    cutoff = timezone.now() - older_than
    removed = []
    _dirs, files = export_storage.listdir("") if export_storage.exists("") else ([], [])
    for name in files:
        if name not in keep and export_storage.get_modified_time(name) < cutoff:
            export_storage.delete(name)
            removed.append(name)
    tmp = _tmp_dir()
    for path in tmp.glob("*.part") if tmp.exists() else []:
        if path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed
