"""Short tokens whose content only the server can read (AES-256-GCM, pycryptodome).

A signed token (django.core.signing) cannot be altered, but anyone can read it: a page
link of All Contacts sorted by email carried the address of its boundary row, readable in
the URL, the browser history and every proxy log. A sealed one is encrypted as well as
authenticated. The key comes from SECRET_KEY and the token's purpose; a token sealed under
an older SECRET_KEY no longer opens (a page link then starts again at page 1).
"""

import base64
import binascii
import hashlib
import os
from functools import lru_cache

from Crypto.Cipher import AES
from django.conf import settings

_NONCE = 12
_TAG = 16


def seal(data: bytes, *, purpose: str) -> str:
    nonce = os.urandom(_NONCE)
    cipher = AES.new(_key(purpose, settings.SECRET_KEY), AES.MODE_GCM, nonce=nonce)
    ciphertext, tag = cipher.encrypt_and_digest(data)
    return base64.urlsafe_b64encode(nonce + ciphertext + tag).decode().rstrip("=")


def unseal(token: str, *, purpose: str) -> bytes | None:
    """The data, or None for anything this server did not seal for `purpose`."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) < _NONCE + _TAG:
        return None
    nonce, ciphertext, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    cipher = AES.new(_key(purpose, settings.SECRET_KEY), AES.MODE_GCM, nonce=nonce)
    try:
        return cipher.decrypt_and_verify(ciphertext, tag)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _key(purpose: str, secret: str) -> bytes:
    return hashlib.sha256(f"contactbook-sealed:{purpose}:{secret}".encode()).digest()
