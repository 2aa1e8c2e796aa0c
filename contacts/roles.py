"""The three roles of the product and their permissions (see README: Roles)."""

MARKETER = "Marketer"
TESTER = "Tester"
ADMIN = "Admin"

_CONTACT_DATA = ["contact", "membership", "attributevalue", "memberattributevalue"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    MARKETER: [
        *(
            f"contacts.{verb}_{model}"
            for verb in ("view", "add", "change", "delete")
            for model in _CONTACT_DATA
        ),
        "contacts.export_contact",
        "contacts.anonymize_contact",
        "contacts.view_group",
        "contacts.view_event",
        "contacts.view_attributedefinition",
        "contacts.view_memberattributedefinition",
        "exports.view_exportjob",
        "exports.add_exportjob",
    ],
    TESTER: [
        "contacts.view_contact",
        "contacts.add_contact",
        "contacts.change_contact",
        "contacts.view_membership",
        "contacts.manage_test_memberships",
        "contacts.view_group",
        "contacts.view_event",
        "contacts.view_attributedefinition",
        "contacts.view_memberattributedefinition",
    ],
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create the roles and give them their permissions; Admin gets every permission.

    Safe to run again (later migrations do, as their apps add permissions).
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    AuthGroup = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = AuthGroup.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
    admin, _ = AuthGroup.objects.get_or_create(name=ADMIN)
    admin.permissions.add(*Permission.objects.all())
