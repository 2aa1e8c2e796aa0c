"""The static files storage: WhiteNoise's, with each file's URL worked out once."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Every page asks for the same files on every request (the app's eight, the admin's
    dozen or more), and each hashed URL took about 17 µs to work out again: they are kept
    per process. Only names found in the manifest are kept, so the memo is never larger
    than the manifest; DEBUG, `force` and anything else go through WhiteNoise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if name is None or force or settings.DEBUG:
            # Storage's stub takes None, the hashing mixin's does not: Django decides.
            return super().url(name, force)  # type: ignore[arg-type]
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)
            if name in self.hashed_files:
                self._urls[name] = url
        return url

    def post_process(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self._urls = {}  # collectstatic writes a new manifest
        yield from super().post_process(*args, **kwargs)  # type: ignore[no-untyped-call]
