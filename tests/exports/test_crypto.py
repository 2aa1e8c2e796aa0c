import io

import pytest

from exports.crypto import CHUNK_SIZE, EncryptingWriter, TamperedFile, decrypt, verify

KEY = bytes(range(32))


def _encrypt(data: bytes, key: bytes = KEY) -> bytes:
    raw = io.BytesIO()
    writer = EncryptingWriter(raw, key)
    for start in range(0, len(data), 1000):
        writer.write(data[start : start + 1000])
    writer.close()
    return raw.getvalue()


def _decrypt(blob: bytes, key: bytes = KEY) -> bytes:
    verify(io.BytesIO(blob), key)
    return b"".join(decrypt(io.BytesIO(blob), key))


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 17])
def test_round_trip_and_no_plaintext_at_rest(size):
    data = (b"zq-secret-mail@example.com," * (size // 27 + 1))[:size]
    blob = _encrypt(data)
    assert _decrypt(blob) == data
    if size > 30:
        assert b"zq-secret" not in blob


def _damaged(blob: bytes) -> list[bytes]:
    middle = len(blob) // 2
    flipped = blob[:middle] + bytes([blob[middle] ^ 1]) + blob[middle + 1 :]
    record = 4 + CHUNK_SIZE + 16
    first, second = blob[12 : 12 + record], blob[12 + record : 12 + 2 * record]
    swapped = blob[:12] + second + first + blob[12 + 2 * record :]
    return [flipped, blob[:-20], blob[: 12 + record], swapped, b"XXXX" + blob[4:]]


@pytest.mark.parametrize("case", range(5))
def test_any_alteration_is_refused(case):
    blob = _encrypt(b"x" * (3 * CHUNK_SIZE))
    with pytest.raises(TamperedFile):
        _decrypt(_damaged(blob)[case])


def test_wrong_key_is_refused():
    with pytest.raises(TamperedFile):
        _decrypt(_encrypt(b"data"), key=bytes(32))
