"""Private, encrypted storage of uploaded import files (the export files' scheme)."""

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.conf import settings

from exports.crypto import EncryptingWriter, decrypt, export_key

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700
COPY_BLOCK = 1024 * 1024


def import_root() -> Path:
    root = Path(settings.IMPORTS_ROOT)
    root.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    if root.stat().st_mode & 0o077:  # made by hand, or by an older version
        root.chmod(DIRECTORY_MODE)
    return root


def store_encrypted(source: BinaryIO, token: str) -> tuple[str, int, int]:
    """Encrypt the upload as it is copied: no plaintext reaches the disk.

    Returns (name, size, line breaks): the line breaks estimate the rows for the progress
    bar until the job has read them all.
    """
    name = f"{token}.csv.enc"
    path = import_root() / name
    lines = 0
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE), "wb") as raw:
        writer = EncryptingWriter(raw, export_key())
        while block := source.read(COPY_BLOCK):
            writer.write(block)
            lines += block.count(b"\n")
        writer.close()
    return name, writer.plaintext_size, lines


def delete_stored(names: list[str]) -> None:
    for name in names:
        if name:
            (import_root() / Path(name).name).unlink(missing_ok=True)


class _DecryptedStream(io.RawIOBase):
    """The plaintext of a stored file as a readable stream, chunk by authenticated chunk."""

    def __init__(self, chunks: Iterator[bytes], raw: BinaryIO):
        self._chunks = chunks
        self._raw = raw
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "WriteableBuffer") -> int:
        view = memoryview(buffer).cast("B")
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(view), len(self._pending))
        view[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_stored(name: str) -> BinaryIO:
    """Read a stored import file (decrypted); raises exports.crypto.TamperedFile if altered."""
    raw = open(import_root() / Path(name).name, "rb")  # noqa: SIM115 (the stream closes it)
    stream = _DecryptedStream(decrypt(raw, export_key()), raw)
    return io.BufferedReader(stream, COPY_BLOCK)
