from django.contrib.admin.apps import AdminConfig


class ContactAdminConfig(AdminConfig):
    default_site = "config.admin.ContactAdminSite"
