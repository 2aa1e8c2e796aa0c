"""Reading All Contacts as a user does: the ids of a page's rows, and every page by its
Next links."""

import re

LIST_URL = "/contacts/"


def listed_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', response.content.decode())]


def every_page(client, params: dict) -> list[int]:
    """Every row of every page, following the Next links."""
    rows, url = [], LIST_URL
    while url:
        response = client.get(url, params if url == LIST_URL else None)
        assert response.status_code == 200
        rows += listed_ids(response)
        match = re.search(r'<a[^>]*href="([^"]*)"[^>]*rel="next"', response.content.decode())
        url = LIST_URL + match.group(1).replace("&amp;", "&") if match else ""
    return rows
