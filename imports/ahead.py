"""Reading a file ahead of the database work, on a second thread.

An import spends most of its time waiting for PostgreSQL (looking contacts up, writing
them); reading and checking the next rows is pure Python. Python runs one thread at a time,
but a thread that waits for the database lets the other run, so checking the next chunk
while the database works on this one takes its time out of the total.
"""

import threading
from collections.abc import Generator, Iterator
from queue import Empty, Full, Queue
from typing import TypeVar

T = TypeVar("T")

_DONE = object()
_POLL_SECONDS = 0.1


def read_ahead(items: Iterator[T], *, depth: int = 1) -> Generator[T, None, None]:
    """What `items` yields, in order, produced by a thread up to `depth` items ahead.

    An exception raised by `items` is raised here, where its item would have come. Closing
    this generator (or leaving a loop over it) stops the thread before returning.
    """
    queue: Queue[tuple[bool, object]] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                queue.put(entry, timeout=_POLL_SECONDS)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((True, _DONE))
        except BaseException as exc:  # handed to the consumer, which raises it
            put((False, exc))

    thread = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            try:
                ok, item = queue.get(timeout=_POLL_SECONDS)
            except Empty:
                if not thread.is_alive() and queue.empty():
                    raise RuntimeError("The reading thread stopped without a word.") from None
                continue
            if not ok:
                assert isinstance(item, BaseException)
                raise item
            if item is _DONE:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
