from django.contrib.auth.models import AbstractBaseUser

from contacts.models import Group


def can_manage_memberships(user: AbstractBaseUser, group: Group) -> bool:
    """Marketers manage every group; testers only the test groups (test recipients)."""
    if user.has_perm("contacts.change_membership"):
        return True
    return group.is_test_group and user.has_perm("contacts.manage_test_memberships")
