"""Writes of a user's own account (what a user changes without an admin)."""

from django.contrib.auth.models import User
from django.db import transaction

from core.audit import audit_record


def account_password_change(*, user: User, password: str) -> None:
    """Set the user's password (already checked by the form's validators) and record it.

    Django then ends the user's other sessions (their hash no longer matches); the view
    keeps the current one (update_session_auth_hash)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="account.password_changed", contact_id=None)
