"""The app's authentication backend: Django's ModelBackend, with the reads of every
request written out.

Every page loads the logged-in user and checks permissions. ModelBackend builds those
queries through the ORM for every request: building them cost about a millisecond, three
times what the queries take. PermissionBackend logs people in as ModelBackend does (it is
one), and reads the user row and the permissions (the user's own and those of the user's
groups, in one query: ModelBackend's two joined by UNION ALL) with SQL written out; it keeps
the permissions where ModelBackend keeps them.

Sessions that ModelBackend logged in before it was replaced name ModelBackend; migration
core.0002 renames them, so nobody is logged out.
"""

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection

from core import raw_rows

# The permission that opens the administration to a user who is not staff: the Admin
# role's (it has every permission). Asked by permission, not by the role's name, so that
# the navigation's link and the admin site agree whatever the roles are called.
ADMINISTRATION_PERMISSION = "auth.change_user"


def opens_administration(user: Any) -> bool:
    """Whether `user` may open the Django admin (and sees its link in the navigation)."""
    return bool(user.is_active) and (
        bool(user.is_staff) or user.has_perm(ADMINISTRATION_PERMISSION)
    )


class PermissionBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        """ModelBackend.get_user (the user of a session, if still active), read written out."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:  # not an id of a user: nobody
            return None
        users = raw_rows.select_models(model, _user_where(), [pk])
        if users and self.user_can_authenticate(users[0]):
            return users[0]
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """ModelBackend's, with the user's own and the groups' permissions read together."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            self._read_permissions(user_obj)
            user_obj._perm_cache = {*user_obj._user_perm_cache, *user_obj._group_perm_cache}
        permissions: set[str] = user_obj._perm_cache
        return permissions

    def _get_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        """ModelBackend._get_permissions ("user" or "group"), from the one read."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            self._read_permissions(user_obj)
        permissions: set[str] = getattr(user_obj, cache_name)
        return permissions

    def _read_permissions(self, user_obj: Any) -> None:
        """Both of ModelBackend's per-request caches, the user's own permissions and
        those of the user's groups, filled by one query (ModelBackend makes two)."""
        found: dict[str, set[str]] = {"user": set(), "group": set()}
        with connection.cursor() as cursor:
            if user_obj.is_superuser:  # every permission, from either source
                cursor.execute(_queries()["all"])
                found["user"] = {f"{label}.{codename}" for label, codename in cursor.fetchall()}
                found["group"] = set(found["user"])
            else:
                cursor.execute(_queries()["both"], [user_obj.pk, user_obj.pk])
                for source, label, codename in cursor.fetchall():
                    found[source].add(f"{label}.{codename}")
        user_obj._user_perm_cache = found["user"]
        user_obj._group_perm_cache = found["group"]


@cache
def _user_where() -> str:
    model = get_user_model()
    return f"WHERE {raw_rows.column(model, model._meta.pk.name)} = %s"  # noqa: S608


@cache
def _queries() -> dict[str, str]:
    """What ModelBackend asks for: every permission (a superuser), the user's own, or
    those of the user's groups; as "app_label", "codename". Quoted names of Django's own
    tables; the user id is a parameter."""
    q = connection.ops.quote_name
    user = get_user_model()
    user_perms: Any = user._meta.get_field("user_permissions")
    user_groups: Any = user._meta.get_field("groups")
    group_perms: Any = Group._meta.get_field("permissions")
    perm, ct = q(Permission._meta.db_table), q(ContentType._meta.db_table)
    own = (q(user_perms.m2m_db_table()), q(user_perms.m2m_column_name()))
    own_perm = q(user_perms.m2m_reverse_name())
    groups = (q(user_groups.m2m_db_table()), q(user_groups.m2m_column_name()))
    groups_group = q(user_groups.m2m_reverse_name())
    granted = (q(group_perms.m2m_db_table()), q(group_perms.m2m_column_name()))
    granted_perm = q(group_perms.m2m_reverse_name())
    joined = f"{perm} p JOIN {ct} ct ON ct.id = p.content_type_id"
    select = f"SELECT ct.app_label, p.codename FROM {joined}"  # noqa: S608
    user_sql = f"SELECT {own_perm} FROM {own[0]} WHERE {own[1]} = %s"  # noqa: S608
    membership = f"{granted[0]} gp JOIN {groups[0]} ug ON ug.{groups_group} = gp.{granted[1]}"
    group_sql = f"SELECT gp.{granted_perm} FROM {membership} WHERE ug.{groups[1]} = %s"  # noqa: S608
    fields = "ct.app_label, p.codename"
    return {
        "all": select,
        "both": (
            f"SELECT 'user', {fields} FROM {joined} WHERE p.id IN ({user_sql}) UNION ALL "  # noqa: S608
            f"SELECT 'group', {fields} FROM {joined} WHERE p.id IN ({group_sql})"
        ),
    }
