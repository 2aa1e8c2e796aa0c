"""The audit log: every service that writes records here who did what, without values."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from core.models import AuditEntry

# Who did it: request.user, or None for a system process (the worker, a command).
Actor = User | AnonymousUser | None


def actor_user(actor: Actor) -> User | None:
    """The user behind an actor, or None (anonymous, or a system process)."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def audit_record(
    *,
    actor: Actor,
    action: str,
    contact_id: int | None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor_user(actor), action=action, contact_id=contact_id, details=details or {}
    )


def audit_record_many(*, actor: Actor, action: str, contact_ids: Iterable[int]) -> None:
    user = actor_user(actor)
    AuditEntry.objects.bulk_create(
        [AuditEntry(actor=user, action=action, contact_id=cid) for cid in contact_ids],
        batch_size=2000,
    )
