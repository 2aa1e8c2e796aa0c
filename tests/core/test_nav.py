"""The navigation bar of every page is written in Python (core.nav): for each kind of
user it must be what templates/base.html's template made, up to whitespace that a
browser does not render."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The bar of templates/base.html as it was; then the tag, in the same context (the same
# CSRF token).
TEMPLATE = """
<nav class="navbar navbar-expand-md navbar-dark bg-primary" aria-label="Main">
  <div class="container-fluid">
    <a class="navbar-brand" href="/"><i class="bi bi-people-fill" aria-hidden="true"></i> Contact Management</a>
    {% if user.is_authenticated %}
    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#main-nav"
            aria-controls="main-nav" aria-expanded="false" aria-label="Toggle navigation">
      <span class="navbar-toggler-icon"></span>
    </button>
    <div class="collapse navbar-collapse" id="main-nav">
      <ul class="navbar-nav me-auto">
        {% if perms.contacts.view_contact or perms.contacts.add_contact or perms.contacts.view_group %}<li class="nav-item dropdown">
          <button type="button" class="nav-link dropdown-toggle btn btn-link" data-bs-toggle="dropdown" aria-expanded="false">Audience</button>
          <ul class="dropdown-menu">
            <li><h2 class="dropdown-header fs-6">Contact Management</h2></li>
            {% if perms.contacts.view_contact %}<li><a class="dropdown-item" href="{% url 'contacts:list' %}">All Contacts</a></li>{% endif %}
            {% if perms.contacts.add_contact %}<li><a class="dropdown-item" href="{% url 'contacts:new' %}">New Contact Profile</a></li>{% endif %}
            {% if perms.contacts.view_group %}<li><hr class="dropdown-divider"></li>
            <li><a class="dropdown-item" href="{% url 'groups:list' %}">Groups</a></li>{% endif %}
          </ul>
        </li>{% endif %}
        {% if perms.exports.view_exportjob %}<li class="nav-item"><a class="nav-link" href="{% url 'exports:list' %}">Exports</a></li>{% endif %}
        {% if perms.contacts.import_contact %}<li class="nav-item"><a class="nav-link" href="{% url 'imports:list' %}">Imports</a></li>{% endif %}
      </ul>
      <ul class="navbar-nav">
        {% if user.is_staff or perms.auth.change_user %}<li class="nav-item"><a class="nav-link" href="{% url 'admin:index' %}">Administration</a></li>{% endif %}
        <li class="nav-item dropdown">
          <button type="button" class="nav-link dropdown-toggle btn btn-link" data-bs-toggle="dropdown" aria-expanded="false">
            <i class="bi bi-person-circle" aria-hidden="true"></i> {{ user.get_username }}
          </button>
          <ul class="dropdown-menu dropdown-menu-end">
            <li><a class="dropdown-item" href="{% url 'password_change' %}">Change password</a></li>
            <li><a class="dropdown-item" href="{% url 'api_tokens:list' %}">API tokens</a></li>
            <li>
              <form method="post" action="{% url 'logout' %}">{% csrf_token %}
                <button class="dropdown-item" type="submit">Log out</button>
              </form>
            </li>
          </ul>
        </li>
      </ul>
    </div>
    {% endif %}
  </div>
</nav>|||{% load main_nav %}{% main_nav %}"""  # noqa: E501


def _rendered(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r">\s+<", "><", html)
    return re.sub(r" </button>", "</button>", html).strip()


def _both(user) -> tuple[str, str]:
    request = RequestFactory().get("/contacts/")
    request.user = user
    old, new = engines["django"].from_string(TEMPLATE).render({}, request=request).split("|||")
    return _rendered(old), _rendered(new)


@pytest.mark.parametrize("who", ["marketer", "tester", "admin_user", "outsider"])
def test_the_bar_is_the_template_s_for_each_role(request, who):
    user = request.getfixturevalue(who)
    old, new = _both(user)
    assert new == old
    assert 'name="csrfmiddlewaretoken"' in new


def test_staff_without_permissions_and_a_hostile_name():
    old, new = _both(UserFactory(username="<script>x</script>", is_staff=True))
    assert new == old
    assert "Administration" in new and "All Contacts" not in new and "Audience" not in new
    assert "<script>" not in new and "&lt;script&gt;x&lt;/script&gt;" in new


def test_a_superuser_sees_every_link():
    old, new = _both(UserFactory(username="root", is_superuser=True))
    assert new == old
    for text in ("All Contacts", "New Contact Profile", "Groups", "Exports", "Imports"):
        assert f">{text}</a>" in new


def test_no_user_no_menus():
    old, new = _both(AnonymousUser())
    assert new == old
    assert "main-nav" not in new and "Contact Management</a>" in new
