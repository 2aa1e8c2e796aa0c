"""A bench dataset marker for tests: nothing seeded, or what a test gives."""

from typing import Any

from bench.dataset import Dataset


def dataset(**given: Any) -> Dataset:
    fields: dict[str, Any] = {
        "contacts": 0,
        "heavy_events": 0,
        "export_events": 0,
        "seed": 1,
        "profile_id": 0,
        "spare_id": 0,
        "anonymize_id": 0,
        "export_id": 0,
        "seeded_at": "",
        "seed_seconds": 0.0,
    }
    return Dataset(**{**fields, **given})
