"""Short tokens whose content only the server can read.

A signed token (django.core.signing) cannot be altered, but anyone can read it: a page
link of All Contacts sorted by email carried the address of its boundary row, readable in
the URL, the browser history and every proxy log. A sealed one is encrypted as well as
authenticated: AES-256 in counter mode (pycryptodome) and HMAC-SHA256 over the nonce and
the ciphertext (encrypt-then-MAC), with keys of their own derived from SECRET_KEY and the
token's purpose. A token sealed under an older SECRET_KEY no longer opens (a page link
then starts again at page 1).

Why not AES-GCM, as the export files use: a GCM cipher object is made for each nonce, about
60 µs, and a list page makes a token for each of its page links; the key schedule of the
counter-mode blocks here is made once per process, and a token costs a few µs.
"""

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache
from typing import Any

from Crypto.Cipher import AES
from django.conf import settings

_NONCE = 12  # and a 4-byte block counter: AES's 16-byte counter block
_TAG = 16
_BLOCK = 16


def seal(data: bytes, *, purpose: str) -> str:
    cipher, mac_key = _keys(purpose, settings.SECRET_KEY)
    nonce = os.urandom(_NONCE)
    ciphertext = _xor(data, _keystream(cipher, nonce, len(data)))
    tag = hmac.digest(mac_key, nonce + ciphertext, "sha256")[:_TAG]
    return base64.urlsafe_b64encode(nonce + ciphertext + tag).decode().rstrip("=")


def unseal(token: str, *, purpose: str) -> bytes | None:
    """The data, or None for anything this server did not seal for `purpose`."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) < _NONCE + _TAG:
        return None
    cipher, mac_key = _keys(purpose, settings.SECRET_KEY)
    nonce, ciphertext, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    expected = hmac.digest(mac_key, nonce + ciphertext, "sha256")[:_TAG]
    if not hmac.compare_digest(tag, expected):
        return None
    return _xor(ciphertext, _keystream(cipher, nonce, len(ciphertext)))


def _keystream(cipher: Any, nonce: bytes, length: int) -> bytes:
    blocks = -(-length // _BLOCK)
    counters = b"".join(nonce + index.to_bytes(4, "big") for index in range(blocks))
    return bytes(cipher.encrypt(counters)[:length])


def _xor(data: bytes, keystream: bytes) -> bytes:
    if not data:
        return b""
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(keystream, "big")
    return mixed.to_bytes(len(data), "big")


@lru_cache(maxsize=8)
def _keys(purpose: str, secret: str) -> tuple[Any, bytes]:
    """(the block cipher that makes the counter mode's keystream, the MAC key)."""
    root = f"contactbook-sealed:{purpose}:{secret}".encode()
    encryption = hashlib.sha256(b"encrypt:" + root).digest()
    authentication = hashlib.sha256(b"authenticate:" + root).digest()
    # ECB of counter blocks is counter mode (NIST SP 800-38A); each nonce is used once.
    return AES.new(encryption, AES.MODE_ECB), authentication
