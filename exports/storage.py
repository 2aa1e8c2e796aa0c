from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
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
