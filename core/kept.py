"""Markup and values kept per process, in a dict of bounded size."""

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def keep(store: dict[K, V], key: K, value: V, *, at_most: int) -> V:
    """Put `value` in `store` under `key`; the oldest entry goes first when `store` already
    holds `at_most` (a dict keeps the order entries came in)."""
    if len(store) >= at_most:
        store.pop(next(iter(store)))
    store[key] = value
    return value
