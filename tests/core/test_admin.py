import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["auditentry", "notification"])
def test_core_admin_lists_open_for_admins_only(admin_client_role, marketer_client, path):
    assert admin_client_role.get(f"/admin/core/{path}/").status_code == 200
    assert marketer_client.get(f"/admin/core/{path}/").status_code == 403
