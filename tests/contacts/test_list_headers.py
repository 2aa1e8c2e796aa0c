"""The sort links of the All Contacts headers are built in the view (listing._columns):
each must be what `{% querystring %}` made in the template."""

import pytest
from django.template import engines
from django.test import RequestFactory

from contacts.views.listing import SORTABLE_COLUMNS, _columns

TAG = "{% querystring sort=next_sort page=None after=None before=None last=None %}"


def _tag(request, next_sort: str) -> str:
    return engines["django"].from_string(TAG).render({"next_sort": next_sort}, request=request)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=email",
        "sort=-email",
        "q=%3Cscript%3E&sort=last_name&page=3&after=abc&per_page=50",
        "x=1&sort=id&x=2&%C3%A9=%26&before=zz&last=1",
        "group=7&created_from=2026-01-01",
    ],
)
def test_each_sort_link_is_the_tag_s(query):
    request = RequestFactory().get(f"/contacts/?{query}")
    current = request.GET.get("sort", "-id")
    columns = _columns(request, current)
    assert len(columns) == len(SORTABLE_COLUMNS)
    for column, spec in zip(columns, SORTABLE_COLUMNS, strict=True):
        if spec.key is None:
            assert not column["sortable"]
            continue
        next_sort = f"-{spec.key}" if current == spec.key else spec.key
        # The template escapes the URL as the tag's output was: compare the escaped forms.
        shown = engines["django"].from_string("{{ url }}").render({"url": column["url"]})
        assert shown == _tag(request, next_sort)
