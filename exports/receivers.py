"""What exports does when contacts tell it something (contacts.signals)."""

from typing import Any

from exports.services import exports_cancel_for_contacts


def cancel_exports_of_deleted_contacts(
    sender: Any,
    *,
    contact_ids: list[int],
    anonymized: bool,
    naming: list[str],
    **kwargs: Any,
) -> None:
    """Exports holding data of deleted (or anonymized) contacts go, with their files."""
    exports_cancel_for_contacts(contact_ids=contact_ids, anonymized=anonymized, naming=naming)
