"""Deleting in the admin a row that others depend on (a definition, a group, a user).

Django's confirmation lists every dependent row (a custom attribute held by 100,000
contacts: 100,000 lines) and refuses when the admin of a dependent model may not delete
(the read-only lists of values and memberships), blaming "your account". Here the
confirmation counts the dependents by kind instead, and the delete goes ahead: the values
of a definition and the memberships of a group exist only through it.
"""

from collections.abc import Iterable
from typing import Any

from django.db import router
from django.db.models import Model, Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import HttpRequest

Deleted = tuple[list[Any], dict[str, int], set[str], list[Any]]


class CountedDeleteMixin:
    """For a ModelAdmin: the delete confirmation counts what goes with the rows."""

    def get_deleted_objects(self, objs: Iterable[Model], request: HttpRequest) -> Deleted:
        objs = list(objs)
        rows = collected(objs)
        if rows is None:  # protected: Django's confirmation names what protects them
            deleted: Deleted = super().get_deleted_objects(objs, request)  # type: ignore[misc]
            return deleted
        main = type(objs[0])
        shown: list[Any] = [str(obj) for obj in objs]
        dependents = [in_words(model, count) for model, count in rows.items() if model != main]
        if dependents:
            shown.append(dependents)
        model_count = {str(model._meta.verbose_name_plural): n for model, n in rows.items()}
        return shown, model_count, set(), []


def users_work(user: Model) -> list[str]:
    """What deleting this user would delete besides the user ("2 export jobs"); their
    roles and permissions are links, not work."""
    rows = collected([user]) or {}
    return [
        in_words(model, count)
        for model, count in rows.items()
        if model is not type(user) and not model._meta.auto_created
    ]


def collected(objs: list[Model]) -> dict[type[Model], int] | None:
    """Rows per model that deleting `objs` removes (themselves included); None when a
    protected or restricted row forbids it."""
    if not objs:
        return {}
    collector = Collector(using=router.db_for_write(type(objs[0])))
    try:
        collector.collect(objs)
    except (ProtectedError, RestrictedError):
        return None
    rows = {model: len(instances) for model, instances in collector.data.items()}
    # A row can be reached twice (a member attribute value: through its membership and
    # through its definition, both of the group): counted once.
    reached: dict[type[Model], Q] = {}
    for queryset in collector.fast_deletes:
        found = Q(pk__in=queryset.values("pk"))
        earlier = reached.get(queryset.model)
        reached[queryset.model] = found if earlier is None else earlier | found
    for model, condition in reached.items():
        rows[model] = rows.get(model, 0) + model._default_manager.filter(condition).count()
    return {model: count for model, count in rows.items() if count}


def in_words(model: type[Model], count: int) -> str:
    options = model._meta
    return f"{count:,} {options.verbose_name if count == 1 else options.verbose_name_plural}"
