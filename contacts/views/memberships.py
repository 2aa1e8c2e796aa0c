"""Memberships of a contact, and the group pages where member attributes are edited."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from contacts import selectors
from contacts.filters import email_matches
from contacts.forms import MembershipCreateForm, MembershipForm
from contacts.models import Group, MemberAttributeDefinition, Membership
from contacts.roles import can_manage_memberships
from contacts.services import ContactError, membership_create, membership_delete, membership_update
from contacts.views.profile import _contact_or_404
from core.ids import parse_id
from core.views import AppRequest, page_size, paginate, require_safe_or_post, safe_next


def _may_manage_some_group(user: User) -> bool:
    return user.has_perm("contacts.change_membership") or user.has_perm(
        "contacts.manage_test_memberships"
    )


def _manageable_groups(user: User) -> QuerySet[Group]:
    if user.has_perm("contacts.change_membership"):
        return Group.objects.order_by("name")
    if user.has_perm("contacts.manage_test_memberships"):
        return Group.objects.filter(is_test_group=True).order_by("name")
    return Group.objects.none()


def _check_may_add(request: AppRequest) -> None:
    """403 for a group the user may not manage, before the form hides it as "invalid"."""
    if not _may_manage_some_group(request.user):
        raise PermissionDenied
    group_id = parse_id(request.POST.get("group", ""))
    group = Group.objects.filter(pk=group_id).first() if group_id else None
    if group is not None and not can_manage_memberships(request.user, group):
        raise PermissionDenied


@require_safe_or_post
@permission_required("contacts.view_membership", raise_exception=True)
def contact_memberships(request: AppRequest, contact_id: int) -> HttpResponse:
    contact = _contact_or_404(contact_id)
    memberships = list(selectors.contact_memberships(contact_id=contact.pk))
    groups = _manageable_groups(request.user).exclude(memberships__contact_id=contact.pk)
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
        "memberships": [(m, can_manage_memberships(request.user, m.group)) for m in memberships],
        "form": form,
        "can_add": _may_manage_some_group(request.user),
    }
    return render(request, "contacts/contact_memberships.html", context)


@require_safe
@permission_required("contacts.view_group", raise_exception=True)
def group_list(request: AppRequest) -> HttpResponse:
    return render(request, "groups/group_list.html", {"groups": selectors.group_list()})


@require_safe
@permission_required("contacts.view_membership", raise_exception=True)
def group_detail(request: AppRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=group_id)
    members = (
        Membership.objects.filter(group=group).select_related("contact").order_by("-contact_id")
    )
    query = request.GET.get("q", "").replace("\x00", "").strip()[:254]
    if query:
        condition = email_matches(query, field="contact__email") | Q(
            contact__last_name__icontains=query
        )
        if contact_id := parse_id(query):
            condition |= Q(contact_id=contact_id)
        members = members.filter(condition)
    page = paginate(members, per_page=page_size(request), number=request.GET.get("page"))
    context = {
        "group": group,
        "page": page,
        "query": query,
        "can_manage": can_manage_memberships(request.user, group),
    }
    return render(request, "groups/group_detail.html", context)


@require_safe_or_post
@permission_required("contacts.view_membership", raise_exception=True)
def membership_edit(request: AppRequest, group_id: int, membership_id: int) -> HttpResponse:
    membership = (
        Membership.objects.select_related("group", "contact")
        .filter(pk=membership_id, group_id=group_id)
        .first()
    )
    if membership is None:
        raise Http404("This membership does not exist. It may have been removed.")
    can_manage = can_manage_memberships(request.user, membership.group)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    definitions = list(MemberAttributeDefinition.objects.filter(group_id=group_id))
    values = dict(membership.attribute_values.values_list("definition_id", "value"))
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
                status=form.cleaned_data["status"],
                is_test_recipient=form.cleaned_data["is_test_recipient"],
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
    context = {"membership": membership, "form": form, "can_manage": can_manage, "back": back}
    return render(request, "groups/membership_edit.html", context)


@require_POST
@permission_required("contacts.view_membership", raise_exception=True)
def membership_remove(request: AppRequest, group_id: int, membership_id: int) -> HttpResponse:
    membership = (
        Membership.objects.select_related("group")
        .filter(pk=membership_id, group_id=group_id)
        .first()
    )
    back = safe_next(request, reverse("groups:detail", args=[group_id]))
    if membership is None:
        messages.warning(request, "This membership no longer exists; it was removed already.")
        return redirect(back)
    if not can_manage_memberships(request.user, membership.group):
        raise PermissionDenied
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
