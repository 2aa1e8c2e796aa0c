import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from anonymization.services import contact_anonymize
from contacts import selectors
from contacts.links import list_url, profile_url
from contacts.services import ContactGone
from core.notifications import mail_promise
from core.views import AppRequest, safe_next

logger = logging.getLogger(__name__)
View = Callable[..., HttpResponse]


def _require_anonymize_methods(view: View) -> View:
    """POST anonymizes; GET (and HEAD) only shows the confirmation, when that is switched on."""

    @wraps(view)
    def checked(request: AppRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        methods = ["GET", "HEAD", "POST"] if settings.ANONYMIZE_CONFIRMATION else ["POST"]
        return require_http_methods(methods)(view)(request, *args, **kwargs)

    return checked


@_require_anonymize_methods
@permission_required("contacts.anonymize_contact", raise_exception=True)
def contact_anonymize_view(request: AppRequest, contact_id: int) -> HttpResponse:
    confirm_first = settings.ANONYMIZE_CONFIRMATION
    # The list the user came from (a filtered, sorted page), as Save and Close go back to.
    back = safe_next(request, list_url())
    if request.method in ("GET", "HEAD") and confirm_first:
        return _confirmation_page(request, contact_id, back)
    if confirm_first and request.POST.get("confirmed") != "1":
        return _confirmation_page(request, contact_id, back)
    try:
        contact_anonymize(actor=request.user, contact_id=contact_id)
    except ContactGone:
        messages.error(
            request, f"Contact ID {contact_id} no longer exists: it was deleted or anonymized."
        )
    except DatabaseError:
        logger.exception("Anonymizing contact %s failed", contact_id)
        messages.error(
            request,
            f"Contact ID {contact_id} could not be anonymized; nothing was changed. "
            "Please try again.",
        )
        return redirect(profile_url(contact_id, back=back))
    else:
        messages.success(
            request,
            f"Contact ID {contact_id} was anonymized. "
            + mail_promise(request.user, "A confirmation email is on its way to you."),
        )
    return redirect(back)


def _confirmation_page(request: AppRequest, contact_id: int, back: str) -> HttpResponse:
    contact = selectors.contact_get(contact_id=contact_id)
    if contact is None:
        messages.error(request, f"Contact ID {contact_id} no longer exists.")
        return redirect(back)
    return render(
        request,
        "anonymization/confirm.html",
        {"contact": contact, "back": profile_url(contact_id, back=back), "next": back},
    )
