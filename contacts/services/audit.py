from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from contacts.models import AuditEntry

Actor = AbstractBaseUser | AnonymousUser | None


def _actor_or_none(actor: Actor):
    return actor if actor is not None and actor.is_authenticated else None


def audit_record(
    *, actor: Actor, action: str, contact_id: int | None, details: Mapping | None = None
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=_actor_or_none(actor), action=action, contact_id=contact_id, details=details or {}
    )


def audit_record_many(*, actor: Actor, action: str, contact_ids: Iterable[int]) -> None:
    user = _actor_or_none(actor)
    AuditEntry.objects.bulk_create(
        [AuditEntry(actor=user, action=action, contact_id=cid) for cid in contact_ids],
        batch_size=2000,
    )
