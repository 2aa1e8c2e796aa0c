"""A saved All Contacts filter in words ("Search: anna · Group: Newsletter"), for the
pages and mails of jobs that ran on one (a list export): the user tells them apart."""

from collections.abc import Iterable, Mapping

from django.http import QueryDict

from contacts.filters import ContactFilter
from contacts.models import Group, IdentifierType
from core.ids import parse_id

EVERY_CONTACT = "every contact"


def filter_texts(filter_queries: Iterable[str]) -> dict[str, str]:
    """Each filter query string in words, the groups they name read in one query."""
    queries = set(filter_queries)
    group_ids = {i for q in queries if (i := parse_id(QueryDict(q).get("group", "")))}
    names = dict(Group.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    return {q: filter_text(q, group_names=names) for q in queries}


def filter_text_of(filter_query: str) -> str:
    """One filter query string in words (its group's name read if it names one)."""
    return filter_texts([filter_query])[filter_query]


def filter_text(filter_query: str, *, group_names: Mapping[int, str]) -> str:
    data = QueryDict(filter_query)
    parts = []
    for name, field in ContactFilter.base_filters.items():
        value = " ".join(data.get(name, "").split())
        if not value:
            continue
        if name == "group":
            value = group_names.get(parse_id(value) or 0, "a deleted group")
        elif name == "identifier_type":
            value = dict(IdentifierType.choices).get(value, value)
        parts.append(f"{field.label}: {value[:80]}")
    return " · ".join(parts) or EVERY_CONTACT
