"""The sort headers and the pager of All Contacts are built in Python
(contacts.list_markup): the markup must be the template's, up to whitespace that a
browser does not render (between table cells, around a cell's content, before `>`)."""

import re
from types import SimpleNamespace

import pytest
from django.template import engines
from django.test import RequestFactory

from contacts.list_markup import pager, sort_headers
from contacts.views.listing import _columns
from core.counts import Total

# The loops of contacts/_contact_list_results.html as they were.
HEADERS = """{% for column in columns %}
        <th scope="col" {% if column.direction %}aria-sort="{{ column.direction }}"{% endif %}>
          {% if column.sortable %}
          <a href="{{ column.url }}" hx-get="{{ column.url }}" hx-target="#results" hx-push-url="true" class="sort-link">
            {{ column.label }}
            {% if column.direction == "ascending" %}<i class="bi bi-caret-up-fill" aria-hidden="true"></i>{% elif column.direction == "descending" %}<i class="bi bi-caret-down-fill" aria-hidden="true"></i>{% endif %}
            <span class="visually-hidden">, sort</span>
          </a>
          {% else %}{{ column.label }}{% endif %}
        </th>
        {% endfor %}"""  # noqa: E501
PAGER = """{% load humanize %}<nav class="d-flex flex-wrap align-items-center gap-3" aria-label="Pages">
  <span class="text-secondary" data-range data-focus-fallback tabindex="-1">{{ range }} of {{ total }}</span>
  <ul class="pagination mb-0">
    {% for link in page_links %}
      {% if link.url %}
      <li class="page-item"><a class="page-link" href="{{ link.url }}" hx-get="{{ link.url }}" hx-target="#results" hx-push-url="true"{% if link.rel %} rel="{{ link.rel }}"{% endif %}{% if link.end %} data-pager-end="{{ link.end }}"{% endif %}>{% if link.spoken %}<span aria-hidden="true">{{ link.text }}</span><span class="visually-hidden">{{ link.spoken }}</span>{% else %}{{ link.text }}{% endif %}</a></li>
      {% else %}
      <li class="page-item disabled"><span class="page-link">{% if link.spoken %}<span aria-hidden="true">{{ link.text }}</span><span class="visually-hidden">{{ link.spoken }}</span>{% else %}{{ link.text }}{% endif %}</span></li>
      {% endif %}
      {% if forloop.counter == 2 %}<li class="page-item active" aria-current="page"><span class="page-link">{% if page.number > 0 %}Page {{ page.number|intcomma }}{% elif page.number == -1 %}Last page{% else %}Page {{ page.number|stringformat:"d"|slice:"1:" }} from the end{% endif %}</span></li>{% endif %}
    {% endfor %}
  </ul>
  <form method="get" class="d-flex align-items-center gap-2" hx-get="{% url 'contacts:list' %}" hx-target="#results" hx-push-url="true" hx-trigger="change">
    {% for key, values in request.GET.lists %}{% if key not in "per_page page after before last" %}{% for v in values %}<input type="hidden" name="{{ key }}" value="{{ v }}">{% endfor %}{% endif %}{% endfor %}
    <label for="per-page" class="text-nowrap">Rows per page</label>
    <select id="per-page" name="per_page" class="form-select form-select-sm w-auto">
      {% for size in page_sizes %}<option value="{{ size }}" {% if size == per_page %}selected{% endif %}>{{ size }}</option>{% endfor %}
    </select>
    <noscript><button type="submit" class="btn btn-sm btn-secondary">Apply</button></noscript>
  </form>
</nav>"""  # noqa: E501

HOSTILE_QUERY = "q=%3Cscript%3Ealert(1)%3C/script%3E&x=1&x=%22%3E&age=3&sort=email&after=c&page=2"


def _rendered(html: str) -> str:
    """Whitespace as a browser reads it here: runs collapsed, none between tags, around
    a header cell's content or before a tag's end."""
    html = re.sub(r"\s+", " ", str(html))
    html = re.sub(r"\s+>", ">", html)
    html = re.sub(r">\s+<", "><", html)
    html = re.sub(r"(<th[^>]*>) ", r"\1", html)
    return re.sub(r" </th>", "</th>", html).strip()


@pytest.mark.parametrize("query", ["", "sort=email", "sort=-created", HOSTILE_QUERY])
def test_the_headers_are_the_template_s(query):
    request = RequestFactory().get(f"/contacts/?{query}")
    columns = _columns(request, request.GET.get("sort", "-id"))
    expected = engines["django"].from_string(HEADERS).render({"columns": columns})
    built = sort_headers(columns)
    assert _rendered(built) == _rendered(expected)
    assert built.count("<th ") == 7
    assert "<script>" not in built


LINKS: list[dict[str, str | None]] = [
    {"text": "«", "spoken": "First page", "end": "first", "url": "?q=%3Cb%3E&after=1"},
    {"text": "Previous", "rel": "prev", "url": None},
    {"text": "Next", "rel": "next", "url": '?x="><script>&after=z'},
    {"text": "»", "spoken": "Last page", "end": "last", "url": None},
]


@pytest.mark.parametrize("number", [1, 2, 12345, -1, -3, -12345])
@pytest.mark.parametrize("query", ["", HOSTILE_QUERY])
def test_the_pager_is_the_template_s(number, query):
    request = RequestFactory().get(f"/contacts/?{query}")
    total = Total(1_234_567, exact=False)
    context = {
        "page_links": LINKS,
        "page": SimpleNamespace(number=number),
        "range": "26–50",
        "total": total,
        "page_sizes": (25, 50, 100),
        "per_page": 50,
    }
    expected = engines["django"].from_string(PAGER).render(context, request=request)
    built = pager(
        links=LINKS,
        number=number,
        shown="26–50",
        total=total,
        query=request.GET,
        list_url="/contacts/",
        page_sizes=(25, 50, 100),
        per_page=50,
    )
    assert _rendered(built) == _rendered(expected)
    assert "<script>" not in built
    # "age" is left out as the template did ("age" is part of "page"), "x" is carried.
    assert 'name="age"' not in built
    assert ('name="x" value="&quot;&gt;"' in built) == bool(query)


def test_the_pager_s_signs_are_hidden_and_their_words_read_without_aria_label():
    """aria-label on the span of a disabled link is prohibited (axe aria-prohibited-attr);
    on the link, "Last page" for "»" was a name unlike what is seen (label-content-name-
    mismatch). The words are visually hidden text instead."""
    request = RequestFactory().get("/contacts/")
    built = pager(
        links=LINKS,
        number=2,
        shown="26–50",
        total=Total(60),
        query=request.GET,
        list_url="/contacts/",
        page_sizes=(25,),
        per_page=25,
    )
    assert "aria-label" not in re.sub(r'<nav[^>]*aria-label="Pages">', "", built)
    assert (
        '<span class="page-link"><span aria-hidden="true">»</span>'
        '<span class="visually-hidden">Last page</span></span>'
    ) in built
    assert re.search(
        r'<a [^>]*data-pager-end="first"><span aria-hidden="true">«</span>'
        r'<span class="visually-hidden">First page</span></a>',
        built,
    )
