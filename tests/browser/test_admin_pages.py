"""The Django admin as an Admin opens it: every list (and its search), every add page, a
user's and a role's change page. axe-core finds no serious or critical violation, and the
page fixture fails on a script error, a refused resource or a missing static file.

On a desktop and on a phone, as the app's own pages (test_every_page).
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from playwright.sync_api import Page, expect

from contacts.roles import ADMIN
from tests.browser.conftest import (
    PHONE_VIEWPORT,
    VIEWPORT,
    axe_violations,
    format_violations,
    log_in,
)
from tests.factories import (
    AppDataFactory,
    AttributeValueFactory,
    EventFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
    RelatedRecordFactory,
)

pytestmark = pytest.mark.browser

AXE_OWN_STYLE = "style-src-elem refused inline (:"

# Pages that must have been audited: an Admin may open them (not a 403 skipped below).
MUST_SEE = {
    "/admin/contacts/contact/?q=a",
    "/admin/auth/user/add/",
    "/admin/contacts/role/add/",
    "/admin/contacts/memberattributedefinition/add/",
    "/admin/contacts/attributevalue/",
}


def _admin_paths(admin_user) -> list[str]:
    paths = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"{name}_changelist")
        paths.append(changelist)
        if model_admin.search_fields:
            paths.append(f"{changelist}?q=a")
        paths.append(reverse(f"{name}_add"))
    paths.append(reverse("admin:auth_user_change", args=[admin_user.pk]))
    role = AuthGroup.objects.get(name=ADMIN)
    paths.append(reverse("admin:contacts_role_change", args=[role.pk]))
    return paths


@pytest.mark.parametrize("viewport", [VIEWPORT, PHONE_VIEWPORT], ids=["desktop", "phone"])
def test_admin_pages_are_accessible(page: Page, page_problems: list[str], admin_user, viewport):
    event = EventFactory()
    MembershipFactory(contact=event.contact)
    MemberAttributeValueFactory()
    AttributeValueFactory(contact=event.contact)
    RelatedRecordFactory(contact=event.contact)
    AppDataFactory()
    log_in(page, admin_user.username)
    page.set_viewport_size(viewport)

    audited, problems = set(), []
    for path in _admin_paths(admin_user):
        response = page.goto(path)
        assert response is not None
        if response.status == 403:  # not for this role (an add page of a read-only list)
            continue
        assert response.status == 200, path
        audited.add(path)
        before = len(page_problems)
        violations = axe_violations(page)
        # axe-core adds a <style> of its own on some form pages; the policy refuses it. It
        # runs as a DevTools script, so the report names no file: the page's own would.
        page_problems[before:] = [p for p in page_problems[before:] if AXE_OWN_STYLE not in p]
        if violations:
            problems.append(f"[{path}]\n{format_violations(violations)}")

    assert audited >= MUST_SEE, MUST_SEE - audited
    assert not problems, "\n\n".join(problems)


def test_a_groups_member_attributes_have_no_violation_at_all(
    page: Page, page_problems: list[str], admin_user
):
    """Minor ones included: the stock tabular inline had a header cell with no text."""
    definition = MemberAttributeDefinitionFactory(name="Preferred store")
    log_in(page, admin_user.username)
    page.goto(reverse("admin:contacts_group_change", args=[definition.group_id]))
    expect(page.get_by_label("Name").nth(1)).to_have_value("Preferred store")
    violations = axe_violations(page, impacts=("minor", "moderate", "serious", "critical"))
    page_problems[:] = [p for p in page_problems if AXE_OWN_STYLE not in p]
    assert not violations, format_violations(violations)
