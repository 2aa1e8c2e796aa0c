import hashlib
import secrets


class SaltedHasher:
    """SHA3-256 of (salt || UTF-8 value) with one random salt that is never stored.

    One salt per anonymized contact keeps its hashes consistent with each other,
    while hashing a guessed address can never reproduce them.
    """

    def __init__(self, salt: bytes | None = None):
        self._salt = salt if salt is not None else secrets.token_bytes(32)

    def __call__(self, value: object) -> str:
        if value is None or value == "":
            return ""
        return hashlib.sha3_256(self._salt + str(value).encode("utf-8")).hexdigest()
