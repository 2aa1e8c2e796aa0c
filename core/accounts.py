"""Writes of a user account beside the admin's forms: a password change, the end of its sessions."""

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record


def account_password_change(*, user: User, password: str) -> None:
    """Set the user's password (already checked by the form's validators) and record it.

    Django then ends the user's other sessions (their hash no longer matches); the view
    keeps the current one (update_session_auth_hash)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="account.password_changed", contact_id=None)


def account_sessions_end(*, user_id: int) -> int:
    """Delete every session of the user; how many. The sessions are not indexed by user:
    each unexpired one is decoded (deactivating a user is rare)."""
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).iterator()
    keys = [s.session_key for s in sessions if s.get_decoded().get(SESSION_KEY) == str(user_id)]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def end_sessions_of_inactive(sender: Any, instance: User, **kwargs: Any) -> None:
    """post_save of a user: a deactivated user is logged out everywhere. Django only
    refuses their sessions while they are inactive; reactivated, those came back."""
    update_fields = kwargs.get("update_fields")
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        account_sessions_end(user_id=instance.pk)
