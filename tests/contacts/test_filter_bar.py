"""The filter bar's fields (contacts.filter_bar): the markup of the template they replace,
for any values; kept per values, with the group options of the moment."""

import pytest
from django.http import QueryDict
from django.template import engines

from contacts import filter_bar
from contacts.filters import ContactFilter
from contacts.models import Contact
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

TEMPLATE = """{% load form_controls %}  <div class="row g-2">
    {% field_group form.q "col-12 col-lg-4" show_errors=False %}
    {% field_group form.identifier_type "col-6 col-lg-2" show_errors=False %}
    {% field_group form.group "col-6 col-lg-2" show_errors=False %}
    {% field_group form.created_from "col-6 col-lg-2" show_errors=False %}
    {% field_group form.created_to "col-6 col-lg-2" show_errors=False %}
  </div>
  <details class="mt-2" OPEN_IF>
    <summary>More filters</summary>
    <div class="row g-2 mt-1">
      {% field_group form.contact_id "col-6 col-lg-2" show_errors=False %}
      {% field_group form.email "col-6 col-lg-3" show_errors=False %}
      {% field_group form.mobile "col-6 col-lg-2" show_errors=False %}
      {% field_group form.alias "col-6 col-lg-3" show_errors=False %}
      {% field_group form.name "col-6 col-lg-2" show_errors=False %}
    </div>
  </details>
""".replace(
    "OPEN_IF",
    "{% if form.contact_id.value or form.email.value or form.mobile.value"
    " or form.alias.value or form.name.value %}open{% endif %}",
)

QUERIES = [
    "",
    "q=ann",
    "identifier_type=mobile&created_from=2025-01-01&created_to=2025-02-30",
    "q=\"><script>alert(1)</script>&name=O'Brien & <b>co</b>",
    "contact_id=12&email=a@b.example&mobile=%2B49&alias=x&name=idri",
    "contact_id=-1&group=999999&identifier_type=nonsense",
    "contact_id=abc",
    "name=&email=&sort=email&after=zzz&per_page=100",
    "q=first&q=second",
]


@pytest.fixture(autouse=True)
def _nothing_kept(monkeypatch):
    monkeypatch.setattr(filter_bar, "_KEPT", {})


def _form(query: str):
    filterset = ContactFilter(QueryDict(query), queryset=Contact.objects.all())
    filterset.is_valid()
    return filterset.form


@pytest.mark.parametrize("query", QUERIES)
def test_the_fields_are_the_template_s(query):
    GroupFactory(name="Newsletter <DE>")
    form = _form(query)
    expected = engines["django"].from_string(TEMPLATE).render({"form": form})
    written = "  " + filter_bar.filter_fields(form) + "\n"
    assert written == expected
    assert written == "  " + filter_bar.filter_fields(_form(query)) + "\n"  # kept, the same


def test_the_fields_are_kept_per_values_and_the_groups_are_current():
    GroupFactory(name="First group")
    filter_bar.filter_fields(_form("q=ann"))
    filter_bar.filter_fields(_form("q=ann&sort=email"))  # the same values of the fields
    filter_bar.filter_fields(_form("q=bob"))
    assert len(filter_bar._KEPT) == 2
    GroupFactory(name="Second group")
    written = filter_bar.filter_fields(_form("q=ann"))
    assert "First group" in written and "Second group" in written


def test_at_most_so_many_are_kept(monkeypatch):
    monkeypatch.setattr(filter_bar, "_KEPT_AT_MOST", 2)
    for term in ("a", "b", "c"):
        filter_bar.filter_fields(_form(f"q={term}"))
    assert [key[1] for key in filter_bar._KEPT] == ["b", "c"]
