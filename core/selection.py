"""A saved selection: the contacts the user picked on All Contacts when they clicked.

Either the rows they ticked (`contact_ids`, ids only) or "the contacts that matched this
filter": the filter's query string and the highest Contact ID that existed then, so that a
contact created afterwards is never part of it. The filter may name people (a search term,
an address): a job keeps it only while it needs it, which its own constraint enforces
(`filter_only_while`). The app that owns the filter reads the selection back
(contacts.selectors.contacts_in_selection).
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.db import models


class SavedSelection(models.Model):
    filter_query = models.TextField(blank=True, default="")
    max_contact_id = models.BigIntegerField(null=True, blank=True)
    # The ticked rows (a list of Contact IDs); None: every contact the filter matches.
    contact_ids = models.JSONField(null=True, blank=True, default=None)

    class Meta:
        abstract = True


class Selected(NamedTuple):
    """The values of a SavedSelection, as a form hands them to a service."""

    filter_query: str
    max_contact_id: int | None
    contact_ids: list[int] | None


def filter_only_while(statuses: Iterable[str], *, name: str) -> models.CheckConstraint:
    """A database rule: the stored filter is empty unless the job is in one of `statuses`."""
    return models.CheckConstraint(
        condition=models.Q(status__in=list(statuses)) | models.Q(filter_query=""), name=name
    )
