"""The group pages: the groups, the members of one, and one membership, where its status,
test recipient flag and member attributes are edited."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from contacts import selectors
from contacts.forms import MembershipForm
from contacts.roles import can_manage_memberships, membership_read_only_reason
from contacts.search import SEARCH_HELP, SEARCH_PLACEHOLDER
from contacts.services import ContactError, membership_delete, membership_update
from core.views import AppRequest, page_size, paginate, require_safe_or_post, safe_next


@require_safe
@permission_required("contacts.view_group", raise_exception=True)
def group_list(request: AppRequest) -> HttpResponse:
    return render(request, "groups/group_list.html", {"groups": selectors.group_list()})


@require_safe
@permission_required("contacts.view_membership", raise_exception=True)
def group_detail(request: AppRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get(group_id=group_id)
    if group is None:
        raise Http404("This group does not exist. It may have been deleted.")
    query = request.GET.get("q", "").replace("\x00", "").strip()[: selectors.MEMBER_SEARCH_MAX]
    members = selectors.group_members(group=group, search=query)
    page = paginate(members, per_page=page_size(request), number=request.GET.get("page"))
    context = {
        "group": group,
        "page": page,
        "query": query,
        "search_placeholder": SEARCH_PLACEHOLDER,
        "search_help": SEARCH_HELP,
        "can_manage": can_manage_memberships(request.user, group),
    }
    return render(request, "groups/group_detail.html", context)


@require_safe_or_post
@permission_required("contacts.view_membership", raise_exception=True)
def membership_edit(request: AppRequest, group_id: int, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(group_id=group_id, membership_id=membership_id)
    if membership is None:
        raise Http404("This membership does not exist. It may have been removed.")
    can_manage = can_manage_memberships(request.user, membership.group)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    definitions, values = selectors.membership_attributes(membership=membership)
    form = MembershipForm(
        request.POST or None, instance=membership, definitions=definitions, values=values
    )
    if not can_manage:
        for field in form.fields.values():
            field.disabled = True
    back = safe_next(request, reverse("groups:detail", args=[group_id]))
    if request.method == "POST" and form.is_valid():
        try:
            changed = membership_update(
                actor=request.user,
                membership_id=membership.pk,
                status=form.status_change(),
                is_test_recipient=form.test_recipient_change(),
                member_values=form.member_changes(),
            )
        except ContactError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            text = "saved" if changed else "unchanged"
            messages.success(
                request,
                f"Membership of Contact ID {membership.contact_id} in "
                f"“{membership.group.name}” {text}.",
            )
            return redirect(back)
    context = {
        "membership": membership,
        "form": form,
        "can_manage": can_manage,
        "read_only_reason": membership_read_only_reason(request.user, membership.group),
        "back": back,
    }
    return render(request, "groups/membership_edit.html", context)


@require_safe_or_post  # GET shows the confirmation again: reloading it is no error
@permission_required("contacts.view_membership", raise_exception=True)
def membership_remove(request: AppRequest, group_id: int, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(group_id=group_id, membership_id=membership_id)
    back = safe_next(request, reverse("groups:detail", args=[group_id]))
    if membership is None:
        messages.warning(request, "This membership no longer exists; it was removed already.")
        return redirect(back)
    if not can_manage_memberships(request.user, membership.group):
        raise PermissionDenied
    if request.method != "POST" or not request.POST.get("confirmed"):  # asks, as Delete does
        context = {"membership": membership, "back": back}
        return render(request, "groups/membership_remove_confirm.html", context)
    try:
        membership_delete(actor=request.user, membership_id=membership.pk)
    except ContactError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(
            request,
            f"Contact ID {membership.contact_id} removed from “{membership.group.name}”.",
        )
    return redirect(back)
