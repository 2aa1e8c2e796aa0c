"""AES-256-GCM encryption of export files, in authenticated chunks.

File layout: MAGIC, an 8-byte random nonce prefix, then records of
(4-byte length, ciphertext, 16-byte tag). Chunk i uses nonce prefix || i, and its
associated data says whether it is the last one, so that reordered, altered or
truncated files all fail authentication. A reader verifies the whole file before
it releases a single byte of plaintext.
"""

import base64
import hashlib
import os
import struct
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, BinaryIO

from Crypto.Cipher import AES
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from Crypto.Cipher._mode_gcm import GcmMode  # the type of AES.new(..., MODE_GCM)

MAGIC = b"CBX1"
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
_LAST, _MORE = b"\x01", b"\x00"


class TamperedFile(Exception):
    """The file is not what we wrote: wrong key, altered, reordered or truncated."""


def export_key() -> bytes:
    configured = settings.EXPORT_ENCRYPTION_KEY
    if not configured:
        # A local install derives its key from SECRET_KEY; production sets its own.
        return hashlib.sha256(b"contactbook-export-key:" + settings.SECRET_KEY.encode()).digest()
    try:
        key = base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured("EXPORT_ENCRYPTION_KEY must be 32 bytes, base64url-encoded.")
    return key


def _cipher(key: bytes, prefix: bytes, index: int) -> "GcmMode":
    return AES.new(key, AES.MODE_GCM, nonce=prefix + struct.pack(">I", index))


class EncryptingWriter:
    """Write plaintext bytes; an encrypted file comes out. close() seals it."""

    def __init__(self, raw: BinaryIO, key: bytes):
        self._raw = raw
        self._key = key
        self._prefix = os.urandom(8)
        self._index = 0
        self._buffer = bytearray()
        self.plaintext_size = 0
        raw.write(MAGIC + self._prefix)

    def write(self, data: bytes) -> None:
        self._buffer += data
        self.plaintext_size += len(data)
        while len(self._buffer) > CHUNK_SIZE:
            self._emit(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        cipher = _cipher(self._key, self._prefix, self._index)
        cipher.update(_LAST if last else _MORE)
        ciphertext, tag = cipher.encrypt_and_digest(chunk)
        self._raw.write(struct.pack(">I", len(ciphertext)) + ciphertext + tag)
        self._index += 1


def _records(raw: IO[bytes], key: bytes) -> Iterator[bytes]:
    if raw.read(len(MAGIC)) != MAGIC:
        raise TamperedFile("not an export file")
    prefix = raw.read(8)
    if len(prefix) != 8:
        raise TamperedFile("truncated header")
    index = 0
    while True:
        header = raw.read(4)
        if len(header) != 4:
            raise TamperedFile("truncated: the last chunk is missing")
        (length,) = struct.unpack(">I", header)
        if length > CHUNK_SIZE:
            raise TamperedFile("chunk too large")
        ciphertext = raw.read(length)
        tag = raw.read(TAG_SIZE)
        if len(ciphertext) != length or len(tag) != TAG_SIZE:
            raise TamperedFile("truncated chunk")
        last = _at_end(raw)
        cipher = _cipher(key, prefix, index)
        cipher.update(_LAST if last else _MORE)
        try:
            yield cipher.decrypt_and_verify(ciphertext, tag)
        except ValueError:
            raise TamperedFile(f"chunk {index} failed authentication") from None
        if last:
            return
        index += 1


def _at_end(raw: IO[bytes]) -> bool:
    position = raw.tell()
    at_end = raw.read(1) == b""
    raw.seek(position)
    return at_end


def verify(raw: IO[bytes], key: bytes) -> None:
    for _chunk in _records(raw, key):
        pass


def decrypt(raw: IO[bytes], key: bytes) -> Iterator[bytes]:
    return _records(raw, key)
