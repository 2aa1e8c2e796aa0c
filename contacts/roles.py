"""The three roles of the product and their permissions (see README: Roles)."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission, User
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

from contacts.models import Group

MARKETER = "Marketer"
TESTER = "Tester"
ADMIN = "Admin"
# Created by `migrate` and given their permissions by these names: the admin neither
# renames nor deletes them (a renamed role would get a twin at the next migrate).
BUILT_IN_ROLES = (ADMIN, MARKETER, TESTER)

_CONTACT_DATA = ["contact", "membership", "attributevalue", "memberattributevalue"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    MARKETER: [
        *(
            f"contacts.{verb}_{model}"
            for verb in ("view", "add", "change", "delete")
            for model in _CONTACT_DATA
        ),
        "contacts.export_contact",
        "contacts.anonymize_contact",
        "contacts.import_contact",
        "contacts.view_group",
        "contacts.view_event",
        "contacts.view_attributedefinition",
        "contacts.view_memberattributedefinition",
        "exports.view_exportjob",
        "exports.add_exportjob",
    ],
    TESTER: [
        "contacts.view_contact",
        "contacts.add_contact",
        "contacts.change_contact",
        "contacts.view_membership",
        "contacts.manage_test_memberships",
        "contacts.view_group",
        "contacts.view_event",
        "contacts.view_attributedefinition",
        "contacts.view_memberattributedefinition",
    ],
}


def sync_roles(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the roles and give them their permissions; Admin gets every permission.

    Runs after every `migrate` (post_migrate, see ContactsConfig), once the permissions of
    every app exist; safe to run again. Permissions an admin gave a role by hand stay.
    """
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    permissions = Permission.objects.using(using)
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = AuthGroup.objects.using(using).get_or_create(name=role)
        wanted = Q()
        for code in codes:
            app_label, codename = code.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*permissions.filter(wanted))
    admin, _ = AuthGroup.objects.using(using).get_or_create(name=ADMIN)
    admin.permissions.add(*permissions.all())


def may_manage_some_group(user: User) -> bool:
    """Whether the user manages the memberships of any group (see can_manage_memberships)."""
    return user.has_perm("contacts.change_membership") or user.has_perm(
        "contacts.manage_test_memberships"
    )


def can_manage_memberships(user: User, group: Group) -> bool:
    """Marketers manage every group; testers only the test groups (test recipients)."""
    if user.has_perm("contacts.change_membership"):
        return True
    return group.is_test_group and user.has_perm("contacts.manage_test_memberships")


def membership_read_only_reason(user: User, group: Group) -> str:
    """Why the user may only view the memberships of this group ("" when it may edit them)."""
    if can_manage_memberships(user, group):
        return ""
    if user.has_perm("contacts.manage_test_memberships"):
        return "Your role may edit memberships of test groups only."
    return "Your role may view memberships but not edit them."
