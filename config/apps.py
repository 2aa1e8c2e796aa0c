from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig


class ContactAdminConfig(AdminConfig):
    default_site = "config.admin.ContactAdminSite"


class LoginProtectionConfig(AxesAppConfig):
    """django-axes, under a name admins recognise in the administration."""

    verbose_name = "Login protection"
