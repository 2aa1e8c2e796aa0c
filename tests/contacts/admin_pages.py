"""Submitting an admin page as a browser does: a group's page with its member attribute
rows, and the error messages a refused page shows."""

import re
from html import unescape

from contacts.models import Group
from tests.html_forms import form_values

ROWS = "member_attributes"


def errors(response) -> list[str]:
    """The texts of the page's error lists (the page must have been refused)."""
    assert response.status_code == 200, "saved, though it should have been refused"
    page = unescape(response.content.decode())
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    ]


def group_page(group: Group) -> str:
    return f"/admin/contacts/group/{group.pk}/change/"


def group_form(client, group: Group) -> dict[str, str]:
    """The group's page as a browser would submit it, unchanged."""
    return form_values(client.get(group_page(group)).content.decode(), "group_form")


def row_of(values: dict[str, str], name: str) -> int:
    """The index of the member attribute row showing this name."""
    for key, value in values.items():
        if key.startswith(f"{ROWS}-") and key.endswith("-name") and value == name:
            return int(key.split("-")[1])
    raise AssertionError(f"no row named {name}")


def add_rows(values: dict[str, str], *names: str) -> None:
    """New member attribute rows (of type String), as "Add another" gives them."""
    total = int(values[f"{ROWS}-TOTAL_FORMS"])
    for i, name in enumerate(names, start=total):
        values |= {f"{ROWS}-{i}-name": name, f"{ROWS}-{i}-data_type": "string"}
        values |= {f"{ROWS}-{i}-allowed_values": "", f"{ROWS}-{i}-description": ""}
    values[f"{ROWS}-TOTAL_FORMS"] = str(total + len(names))


def member_attribute_names(group: Group) -> list[str]:
    return sorted(group.member_attributes.values_list("name", flat=True))
