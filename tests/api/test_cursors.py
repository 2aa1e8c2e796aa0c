"""A cursor of contacts/ that cannot continue this list is refused (400), never answered
with the first page as if it were the next one."""

import pytest

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def links(api):
    """The `next` and `previous` links of page 2 of five contacts, two per page."""
    ContactFactory.create_batch(5)
    first = api.get("/api/v1/contacts/?page_size=2").json()
    second = api.get(first["next"]).json()
    return second


def _query(link: str) -> str:
    return link.split("?", 1)[1]


def _cursor(link: str, name: str) -> str:
    return next(p.split("=", 1)[1] for p in _query(link).split("&") if p.startswith(name))


def _refused(response, name):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert list(body["errors"]) == [name]
    assert "not valid for this request" in body["detail"] or "not both" in body["detail"]
    return body


def test_the_links_lead_on_and_back(api, links):
    assert len(api.get(links["next"]).json()["results"]) == 1
    assert len(api.get(links["previous"]).json()["results"]) == 2


@pytest.mark.parametrize(
    "query",
    [
        "page_size=2&after={after}x",
        "page_size=2&after=xxxx",
        "page_size=2&before={after}",  # a `next` cursor sent as `before`
        "page_size=2&after={before}",  # a `previous` cursor sent as `after`
        "page_size=3&after={after}",  # another page size
        "page_size=2&sort=id&after={after}",  # another sort
        "page_size=2&after=" + "a" * 700,
    ],
)
def test_a_cursor_that_does_not_fit_is_400(api, links, query):
    after, before = _cursor(links["next"], "after"), _cursor(links["previous"], "before")
    query = query.format(after=after, before=before)
    name = "before" if "before=" in query else "after"
    body = _refused(api.get(f"/api/v1/contacts/?{query}"), name)
    assert "Start again without it" in body["detail"]


def test_after_and_before_at_once_is_400(api, links):
    after, before = _cursor(links["next"], "after"), _cursor(links["previous"], "before")
    _refused(api.get(f"/api/v1/contacts/?page_size=2&after={after}&before={before}"), "before")


def test_the_screen_still_starts_again_at_the_first_page(marketer_client):
    ContactFactory.create_batch(3)
    response = marketer_client.get("/contacts/", {"after": "xxxx"})
    assert response.status_code == 200
