"""Memberships of one contact: the groups it is in, and adding it to another group."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from contacts import selectors
from contacts.display import contact_identity
from contacts.forms import MembershipCreateForm
from contacts.roles import can_manage_memberships, may_manage_some_group
from contacts.services import ContactError, membership_create
from contacts.views.profile import contact_or_404
from core.ids import parse_id
from core.views import AppRequest, require_safe_or_post


def _check_may_add(request: AppRequest) -> None:
    """403 for a group the user may not manage, before the form hides it as "invalid"."""
    if not may_manage_some_group(request.user):
        raise PermissionDenied
    group_id = parse_id(request.POST.get("group", ""))
    group = selectors.group_get(group_id=group_id) if group_id else None
    if group is not None and not can_manage_memberships(request.user, group):
        raise PermissionDenied


@require_safe_or_post
@permission_required("contacts.view_membership", raise_exception=True)
def contact_memberships(request: AppRequest, contact_id: int) -> HttpResponse:
    contact = contact_or_404(contact_id)
    memberships = list(selectors.contact_memberships(contact_id=contact.pk))
    groups = selectors.groups_manageable_by(request.user).exclude(
        memberships__contact_id=contact.pk
    )
    form = MembershipCreateForm(request.POST or None, groups=groups)
    if request.method == "POST":
        _check_may_add(request)
        if form.is_valid():
            group = form.cleaned_data["group"]
            try:
                membership_create(
                    actor=request.user,
                    contact_id=contact.pk,
                    group=group,
                    status=form.cleaned_data["status"],
                    is_test_recipient=form.cleaned_data["is_test_recipient"],
                )
            except ContactError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Contact ID {contact.pk} added to “{group.name}”.")
            return redirect("contacts:memberships", contact_id=contact.pk)
    context = {
        "contact": contact,
        "identity": contact_identity(contact),
        "memberships": [(m, can_manage_memberships(request.user, m.group)) for m in memberships],
        "form": form,
        "can_add": may_manage_some_group(request.user),
    }
    return render(request, "contacts/contact_memberships.html", context)
