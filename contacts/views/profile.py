"""New Contact Profile, Contact Profile (edit), delete, and the activity / message history."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from contacts import selectors, services
from contacts.display import contact_identity
from contacts.forms import ContactCreateForm, ContactProfileForm
from contacts.links import activity_page_url, list_url, profile_url
from contacts.models import Contact, EventType
from contacts.profile_conflicts import ChangedField, rebase_profile_form
from contacts.services import ContactConflict, ContactGone, DuplicateIdentifier
from core.views import AppRequest, require_safe_or_post, safe_next

PROFILE_TABS = [
    ("summary", "Summary"),
    ("addresses", "Channel Addresses"),
    ("attributes", "Attributes"),
    ("memberships", "Memberships"),
    ("activity", "Activity"),
]
TAB_KEYS = [key for key, _ in PROFILE_TABS]


def contact_or_404(contact_id: int) -> Contact:
    contact = selectors.contact_get(contact_id=contact_id)
    if contact is None:
        raise Http404(f"Contact ID {contact_id} does not exist. It may have been deleted.")
    return contact


@require_safe_or_post
@permission_required("contacts.add_contact", raise_exception=True)
def contact_new(request: AppRequest) -> HttpResponse:
    form = ContactCreateForm(request.POST or None)
    # The filtered list the user came from, if any (the plain list is where Close goes anyway).
    came_from = safe_next(request, "")
    if came_from == list_url():
        came_from = ""
    duplicate_id = None
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                actor=request.user,
                identifier_type=form.cleaned_data["identifier_type"],
                identifier=form.cleaned_data["identifier"],
            )
        except DuplicateIdentifier as exc:
            form.add_error("identifier", str(exc))
            duplicate_id = exc.existing_id
        except ValidationError as exc:
            form.add_error("identifier", exc.messages)
        else:
            messages.success(request, f"Contact ID {contact.pk} created.")
            return redirect(profile_url(contact.pk, back=came_from))
    context = {
        "form": form,
        "duplicate_id": duplicate_id,
        "next": came_from,
        "back": came_from or list_url(),
    }
    return render(request, "contacts/contact_new.html", context)


def _error_tabs(form: ContactProfileForm) -> dict[str, int]:
    """The number of fields with an error on each tab that has any, in the fields' order."""
    counts: dict[str, int] = {}
    for name in form.errors:
        if name != "__all__":
            tab = ContactProfileForm.tab_of(name)
            counts[tab] = counts.get(tab, 0) + 1
    return counts


def _tabs_named(labels: list[str]) -> str:
    """ "the Attributes tab", "the Channel Addresses and Attributes tabs"."""
    if len(labels) < 2:
        return f"the {labels[0]} tab" if labels else ""
    return f"the {', '.join(labels[:-1])} and {labels[-1]} tabs"


def _active_tab(
    request: AppRequest, error_tabs: dict[str, int], changed: list[ChangedField] | None
) -> str:
    """The tab of the first error, else the one where both changed a field, else the user's."""
    if error_tabs:
        return next(iter(error_tabs))
    clashes = [field.name for field in changed or [] if field.yours is not None]
    if clashes:
        return ContactProfileForm.tab_of(clashes[0])
    requested = request.POST.get("tab") if request.method == "POST" else request.GET.get("tab")
    return requested if requested in TAB_KEYS else "summary"


@require_safe_or_post
@permission_required("contacts.view_contact", raise_exception=True)
def contact_profile(request: AppRequest, contact_id: int) -> HttpResponse:
    contact = contact_or_404(contact_id)
    can_edit = request.user.has_perm("contacts.change_contact")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    back = safe_next(request, list_url())
    custom_rows = selectors.contact_custom_attributes(contact=contact)
    form = ContactProfileForm(
        request.POST if request.method == "POST" else None,
        instance=contact,
        custom_rows=custom_rows,
    )
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    changed_by_others = None
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.contact_update(
                actor=request.user,
                contact_id=contact.pk,
                expected_version=form.cleaned_data["version"],
                changes=form.model_changes(),
                custom_values=form.custom_changes(),
            )
        except ContactGone as exc:
            messages.error(request, str(exc))
            return redirect(back)
        except DuplicateIdentifier as exc:
            form.add_error(exc.field, str(exc))
        except ContactConflict:
            # Someone saved in between: show their version with the user's edits on top.
            current = selectors.contact_get(contact_id=contact.pk)
            if current is None:
                messages.error(request, str(ContactGone(contact_id)))
                return redirect(back)
            contact = current
            custom_rows = selectors.contact_custom_attributes(contact=contact)
            form, changed_by_others = rebase_profile_form(
                form, contact=contact, custom_rows=custom_rows
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, f"Contact ID {contact.pk} saved.")
            else:
                messages.info(request, f"Nothing changed in Contact ID {contact.pk}.")
            return redirect(back)
    memberships = list(selectors.contact_memberships(contact_id=contact.pk))
    activity = _activity_context(request, contact.pk, default_frame="30")
    error_tabs = _error_tabs(form)
    context = {
        "contact": contact,
        "identity": contact_identity(contact),
        "form": form,
        "can_edit": can_edit,
        "back": back,
        "changed_by_others": changed_by_others,
        "memberships": memberships,
        "last_activity": _last_activity(contact.pk, activity),
        "active_tab": _active_tab(request, error_tabs, changed_by_others),
        "profile_tabs": [(key, label, error_tabs.get(key, 0)) for key, label in PROFILE_TABS],
        "error_tabs_named": _tabs_named([lbl for key, lbl in PROFILE_TABS if key in error_tabs]),
        **activity,
    }
    return render(request, "contacts/contact_profile.html", context)


def _last_activity(contact_id: int, activity: dict[str, Any]) -> selectors.ActivityRow | None:
    """The contact's newest event. The first page of the activity tab, of every type,
    starts with it whenever it shows any event (a time frame only leaves out older ones):
    then it is not read again."""
    page = activity["activity"]
    if page.events and not activity["activity_type"] and not activity["is_older_page"]:
        first: selectors.ActivityRow = page.events[0]
        return first
    return selectors.contact_last_activity(contact_id=contact_id)


def _activity_context(
    request: AppRequest, contact_id: int, *, default_frame: str
) -> dict[str, Any]:
    frame = request.GET.get("days", default_frame)
    if frame not in selectors.ACTIVITY_TIME_FRAMES:
        frame = default_frame
    event_type = request.GET.get("type", "")
    if event_type not in EventType.values:
        event_type = ""
    before = request.GET.get("before", "")[:100]
    page = selectors.contact_activity(
        contact_id=contact_id, time_frame=frame, event_type=event_type, before=before
    )
    return {
        "activity": page,
        "activity_announcement": _activity_in_words(page, frame, event_type),
        "activity_query": {"days": frame, "type": event_type, "before": before},
        "activity_frame": frame,
        "activity_type": event_type,
        "time_frames": [(k, label) for k, (label, _) in selectors.ACTIVITY_TIME_FRAMES.items()],
        "event_types": EventType.choices,
        "is_older_page": bool(request.GET.get("before")),
        "activity_url": reverse("contacts:history", args=[contact_id]),
    }


def _activity_in_words(page: selectors.ActivityPage, frame: str, event_type: str) -> str:
    """What the live region says when a filter or Older has changed the activity shown."""
    shown = selectors.ACTIVITY_TIME_FRAMES[frame][0]
    if event_type:
        shown += f", {EventType(event_type).label}"
    count = len(page.events)
    if not count:
        return f"Activity, {shown}: no activity in this time frame"
    events = "1 event" if count == 1 else f"{count:,} events"
    more = ", older ones under Older" if page.older_cursor else ""
    return f"Activity, {shown}: {events} shown{more}"


@require_safe
@permission_required("contacts.view_contact", raise_exception=True)
def contact_history(request: AppRequest, contact_id: int) -> HttpResponse:
    """Message History: every event of the contact, filtered by time frame and type (for
    htmx, the activity of either page, whose URL then takes the filter: a reload shows it)."""
    contact = contact_or_404(contact_id)
    context = {"contact": contact, **_activity_context(request, contact.pk, default_frame="all")}
    if request.htmx:
        response = render(request, "contacts/_activity.html", context)
        shown_on = activity_page_url(
            request.htmx.current_url or "", contact_id=contact.pk, query=context["activity_query"]
        )
        if shown_on is not None:
            response["HX-Replace-Url"] = shown_on
        return response
    return render(request, "contacts/contact_history.html", context)


@require_safe_or_post
@permission_required("contacts.delete_contact", raise_exception=True)
def contact_delete(request: AppRequest, contact_id: int) -> HttpResponse:
    back = safe_next(request, list_url())  # the list the profile was opened from
    if request.method == "POST":
        try:
            services.contact_delete(actor=request.user, contact_id=contact_id)
        except ContactGone as exc:
            messages.warning(request, str(exc))
        else:
            messages.success(request, f"Contact ID {contact_id} deleted.")
        return redirect(back)
    contact = contact_or_404(contact_id)
    context = {
        "contact": contact,
        "next": back,
        "back": profile_url(contact.pk, back=back if back != list_url() else ""),
    }
    return render(request, "contacts/contact_delete_confirm.html", context)
