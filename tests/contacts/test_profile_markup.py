"""The Attributes tab's columns are built in Python (contacts.profile_markup): the markup
must be what the template loop made, with and without custom attributes."""

import re

import pytest
from django.template import engines

from contacts.forms import ContactProfileForm
from contacts.profile_markup import attribute_columns
from contacts.selectors import contact_custom_attributes
from tests.factories import AttributeDefinitionFactory, AttributeValueFactory, ContactFactory

pytestmark = pytest.mark.django_db

# The loop of contacts/contact_profile.html as it was.
TEMPLATE_LOOP = """{% load form_controls %}<div class="row">
    {% for field, channels in form.attribute_fields %}
      {% if forloop.counter0 == form.ATTRIBUTE_FIELDS|length %}
    </div>
    <h2 class="h6 text-uppercase text-secondary mt-3">Custom attributes</h2>
    <div class="row">
      {% endif %}
      <div class="col-md-6 col-xl-4">
        {% field_group field %}
        <div class="mt-n2 mb-3"><span class="badge rounded-pill text-bg-light border channel-badge" title="Channels this attribute applies to">Applies to: {{ channels }}</span></div>
      </div>
    {% endfor %}
    </div>"""  # noqa: E501


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _form(contact, data=None) -> ContactProfileForm:
    rows = contact_custom_attributes(contact=contact)
    return ContactProfileForm(data, instance=contact, custom_rows=rows)


def _both(form: ContactProfileForm) -> tuple[str, str]:
    expected = engines["django"].from_string(TEMPLATE_LOOP).render({"form": form})
    return _tight(attribute_columns(form)), _tight(expected)


def test_without_custom_attributes_there_is_no_second_heading():
    built, expected = _both(_form(ContactFactory(first_name="<script>x</script>")))
    assert built == expected
    assert "Custom attributes" not in built
    assert "&lt;script&gt;x&lt;/script&gt;" in built and "<script>" not in built


def test_with_custom_attributes_hostile_names_and_errors():
    contact = ContactFactory()
    AttributeValueFactory(
        contact=contact,
        definition=AttributeDefinitionFactory(name='Size <b>"&"</b>'),
        value="<img src=x onerror=alert(1)>",
    )
    AttributeDefinitionFactory(name="Empty")
    built, expected = _both(_form(contact))
    assert built == expected
    assert built.count("Custom attributes") == 1
    assert "<img" not in built and "Size &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;" in built
    # A bound form with errors shows them the same way.
    bound = _form(contact, {"date_of_birth": "not a date", "source_id": "-1"})
    bound.is_valid()
    built, expected = _both(bound)
    assert built == expected
    assert "is-invalid" in built
