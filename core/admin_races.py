"""A save in the admin that a unique index refuses: someone else saved the same name
between the form's check and the write (the check cannot see a row not yet committed).

The page is then validated again: the form now sees the other row and says which field
clashes, as it would have a moment later. Nothing of the first attempt was saved (the
admin writes in one transaction).
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.db import IntegrityError
from django.db.models import Model, UniqueConstraint
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

SAVED_AT_ONCE = (
    "Someone else saved the same name at the same time, so nothing was saved. "
    "Check the page and save again."
)


class UniqueRaceMixin:
    """For a ModelAdmin: a unique constraint of its model or of its inlines' models that
    the database enforces is a form error, not a 500."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        view = super().changeform_view  # type: ignore[misc]
        for _attempt in range(2):
            try:
                response: HttpResponse = view(request, object_id, form_url, extra_context)
            except IntegrityError as exc:
                if not self._unique_index_refused(exc):
                    raise
                continue
            return response
        # Refused twice: the second check did not see what the index holds (a row
        # saved and deleted again in between). Rare; the page as it is now.
        messages.error(request, SAVED_AT_ONCE)
        return HttpResponseRedirect(request.get_full_path())

    def _unique_index_refused(self, exc: IntegrityError) -> bool:
        """Whether the database named one of the unique constraints of these forms
        (PostgreSQL and SQLite both name the index in the message)."""
        admin = cast("ModelAdmin[Model]", self)
        models = [admin.model, *(inline.model for inline in admin.inlines)]
        names = [
            constraint.name
            for model in models
            for constraint in model._meta.constraints
            if isinstance(constraint, UniqueConstraint)
        ]
        return any(name in str(exc) for name in names)
