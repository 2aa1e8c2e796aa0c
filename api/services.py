"""Writes of the API's own data (tokens, idempotent answers), and the one write of contact
data that needs two services in one transaction (create with values)."""

import hashlib
import re
import secrets
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import ApiToken
from contacts.definition_rules import definition_checked
from contacts.models import AttributeDefinition, Contact
from contacts.services import contact_create, contact_update
from core.audit import Actor, audit_record

TOKEN_PREFIX = "cbt"
# Writing the last use at most this often: one UPDATE per token and minute, not per request.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_PATTERN = re.compile(rf"{TOKEN_PREFIX}_([0-9a-f]{{12}})_[A-Za-z0-9_-]{{43}}")


def token_split(token: str) -> tuple[str, str] | None:
    """(prefix, whole token) of a well-formed token, else None (never a database query)."""
    match = TOKEN_PATTERN.fullmatch(token)
    return (match.group(1), token) if match else None


def token_create(
    *, user: User, name: str, expires_on: date, read_only: bool
) -> tuple[ApiToken, str]:
    """A new token of `user`; returns it with its text, which is shown once and never stored."""
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": "Choose a day after today."})
    if expires_on > today + timedelta(days=settings.API_TOKEN_MAX_DAYS):
        raise ValidationError(
            {"expires_on": f"A token lasts at most {settings.API_TOKEN_MAX_DAYS} days."}
        )
    prefix = secrets.token_hex(6)
    text = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    # Valid through the chosen day, in the site's time zone.
    expires_at = timezone.make_aware(datetime.combine(expires_on + timedelta(days=1), time.min))
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=prefix,
            key_hash=token_hash(text),
            read_only=read_only,
            expires_at=expires_at,
        )
        audit_record(
            actor=user,
            action="api_token.created",
            contact_id=None,
            details={"token": prefix, "read_only": read_only},
        )
    return token, text


def token_revoke(*, actor: User, token_id: int) -> bool:
    """Revoke a token of `actor` (any token for an admin); False if there is none to revoke."""
    with transaction.atomic():
        tokens = ApiToken.objects.select_for_update().filter(pk=token_id, revoked_at=None)
        if not actor.has_perm("api.change_apitoken"):
            tokens = tokens.filter(user=actor)
        token = tokens.first()
        if token is None:
            return False
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoked",
            contact_id=None,
            details={"token": token.prefix},
        )
    return True


def token_touch(*, token: ApiToken) -> None:
    """Record the token's use (at most once per LAST_USE_RESOLUTION)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def contact_create_with_values(
    *,
    actor: Actor,
    identifier_type: str,
    identifier: str,
    changes: Mapping[str, Any],
    custom_values: Mapping[int, str | None],
) -> Contact:
    """A new contact with its first values, all or nothing (the two services of the screens)."""
    with transaction.atomic():
        contact = contact_create(
            actor=actor, identifier_type=identifier_type, identifier=identifier
        )
        if changes or custom_values:
            contact_update(
                actor=actor,
                contact_id=contact.pk,
                expected_version=contact.version,
                changes=changes,
                custom_values=custom_values,
            )
    return contact


def attribute_define(
    *,
    actor: User,
    name: str,
    data_type: str = "string",
    allowed_values: str = "",
    description: str = "",
    channel: str = "all",
) -> AttributeDefinition:
    """A new custom attribute (what an Admin adds under Administration)."""
    definition = AttributeDefinition(
        name=name,
        data_type=data_type,
        allowed_values=allowed_values,
        description=description,
        channel=channel,
    )
    definition.full_clean()  # first: the rule below needs a known type
    # The admin's rule (contacts.definition_rules): allowed values of the type, stored
    # in canonical form, repeats left out.
    definition.allowed_values = definition_checked(
        definition, data_type=data_type, allowed_values=allowed_values
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                definition.save()
        except IntegrityError:
            raise ValidationError({"name": "A custom attribute with this name exists."}) from None
        audit_record(
            actor=actor,
            action="attribute.created",
            contact_id=None,
            details={"attribute_id": definition.pk},
        )
    return definition
