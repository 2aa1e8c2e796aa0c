from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils import timezone
from django.utils.functional import LazyObject


class _ExportStorage(LazyObject):
    """Private storage for export files: never under MEDIA_URL, served only by the export view."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.EXPORTS_ROOT, base_url=None)


export_storage: Storage = _ExportStorage()  # type: ignore[assignment]


def delete_files(names: list[str]) -> None:
    for name in names:
        if name and export_storage.exists(name):
            export_storage.delete(name)


def sweep_orphans(*, keep: set[str], older_than: timedelta) -> list[str]:
    """Delete files no job points to (left by a worker that died mid-way)."""
    cutoff = timezone.now() - older_than
    removed = []
    _dirs, files = export_storage.listdir("") if export_storage.exists("") else ([], [])
    for name in files:
        if name not in keep and export_storage.get_modified_time(name) < cutoff:
            export_storage.delete(name)
            removed.append(name)
    tmp = Path(settings.EXPORTS_ROOT) / ".tmp"
    for path in tmp.glob("*.part") if tmp.exists() else []:
        if path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed
