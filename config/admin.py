from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

ADMIN_ROLE = "Admin"


class ContactAdminSite(admin.AdminSite):
    """The Django admin for users with the Admin role, behind the app's own login page."""

    site_header = "Contact Management administration"
    site_title = "Contact Management admin"
    index_title = "Users, roles and attribute definitions"

    def has_permission(self, request) -> bool:
        user = request.user
        if not user.is_active:
            return False
        return user.is_staff or user.groups.filter(name=ADMIN_ROLE).exists()

    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not self.has_permission(request):
                raise PermissionDenied("Only admins can open the administration.")
            return wrapped(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        # One login page for the whole app.
        if request.user.is_authenticated:
            raise PermissionDenied("Only admins can open the administration.")
        return redirect_to_login(request.GET.get("next", "/admin/"), settings.LOGIN_URL)
