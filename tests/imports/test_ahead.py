"""imports.ahead.read_ahead: the next chunks are read on a second thread, in order, and
the thread never outlives the loop that reads them."""

import threading
from collections.abc import Iterator

import pytest

from imports.ahead import read_ahead


def _reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "import-read-ahead"]


def test_yields_every_item_in_order():
    assert list(read_ahead(iter(range(1000)))) == list(range(1000))
    assert not _reader_threads()


def test_an_empty_source_yields_nothing():
    assert list(read_ahead(iter([]))) == []


def test_the_source_runs_ahead_on_another_thread():
    seen: list[str] = []

    def source() -> Iterator[int]:
        for number in range(3):
            seen.append(threading.current_thread().name)
            yield number

    assert list(read_ahead(source())) == [0, 1, 2]
    assert set(seen) == {"import-read-ahead"}


def test_an_error_of_the_source_is_raised_where_its_item_would_come():
    class BadFile(Exception):
        pass

    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise BadFile("line 3 is broken")

    got = []
    with pytest.raises(BadFile, match="line 3 is broken"):
        for item in read_ahead(source()):
            got.append(item)
    assert got == [1, 2]
    assert not _reader_threads()


def test_leaving_the_loop_early_stops_the_reader():
    produced: list[int] = []

    def endless() -> Iterator[int]:
        number = 0
        while True:
            produced.append(number)
            yield number
            number += 1

    ahead = read_ahead(endless(), depth=1)
    assert next(ahead) == 0
    ahead.close()
    assert not _reader_threads()
    # It read at most the item in hand, the one queued and the one it was offering.
    assert len(produced) <= 3
