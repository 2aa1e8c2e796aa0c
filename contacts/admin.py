"""Admin: configuration is edited here; contact data is browsed here and edited in the app.

Every list uses raw ids or autocomplete for foreign keys and skips the full-table
count (core.admin.ReadOnlyAdmin), so the pages stay usable at millions of rows. Other
apps add their own actions to ContactAdmin (anonymization does).
"""

from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.db.models import ManyToManyField, Prefetch, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe

from contacts.admin_forms import (
    AttributeDefinitionForm,
    MemberAttributeDefinitionForm,
    MemberAttributeFormSet,
)
from contacts.filters import ContactFilter
from contacts.models import (
    AppData,
    AttributeDefinition,
    AttributeValue,
    Contact,
    Event,
    Group,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
    RelatedRecord,
    Role,
)
from contacts.roles import BUILT_IN_ROLES
from contacts.rows import ID_SLOT, esc
from contacts.search import Search, search_for
from contacts.services import contacts_delete
from contacts.validation import display_email
from core.admin import ReadOnlyAdmin
from core.admin_deletes import CountedDeleteMixin, users_work
from core.admin_filters import IndexedValuesFilter
from core.admin_races import UniqueRaceMixin
from core.collation import in_reading_order
from core.counts import Parts

# The tables that grow with the contacts (several rows per contact) sort by what an index
# reads in order: the id (newest first by default) and the Contact ID. Sorted by any other
# column, a first page at 1,000,000 contacts read the whole table (1.5 to 6 s).
BIG_TABLE_SORTS = ["id", "contact_profile"]

admin.site.unregister(AuthGroup)
admin.site.unregister(User)


@admin.register(Role)
class RoleAdmin(GroupAdmin):
    # The permissions in the browser's own list box: the admin's two-list widget labels its
    # filter icons in a way screen readers are not given (axe-core: aria-prohibited-attr).
    filter_horizontal = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.name in BUILT_IN_ROLES:
            return (*fields, "name")
        return fields

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for role in objs:
            if role.name in BUILT_IN_ROLES:
                protected.append(
                    f"{role.name}: a built-in role, which cannot be deleted (the app gives "
                    "it its permissions by its name). To take it from a user, untick it on "
                    "the user's page."
                )
        return deleted, counts, set() if protected else perms_needed, protected


class RoleFilter(admin.RelatedFieldListFilter):
    """Django's filter by the user's groups, titled as the product calls them: roles
    ("By groups" read like the contact groups)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "role"


@admin.register(User)
class AccountAdmin(UserAdmin[User]):
    """Users: roles as check boxes, permissions in a list box (see RoleAdmin), and the
    times Django keeps (last login, joined) shown, not edited: their date and time
    inputs had no labels of their own."""

    list_display = ("username", "email", "first_name", "last_name", "roles", "is_staff")
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", RoleFilter))
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
    # A new user gets the address the app's mails go to and a role in the same step.
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
        ("Roles", {"fields": ("groups",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # The roles column: one query for the page's users, not one per row.
        roles = AuthGroup.objects.order_by(in_reading_order("name"))
        return super().get_queryset(request).prefetch_related(Prefetch("groups", roles))

    @admin.display(description="Roles")
    def roles(self, user: User) -> str:
        return ", ".join(role.name for role in user.groups.all())

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """A user whose work left rows (exports, imports, API tokens) is not deleted: those
        would go with them. The confirmation says to deactivate the user instead."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            work = users_work(user)
            if work:
                protected.append(
                    f"{user}: {', '.join(work)}. Deactivate the user instead (untick Active "
                    "on their page): they can no longer log in or use an API token, and "
                    "what they did stays."
                )
        return deleted, counts, set() if protected else perms_needed, protected

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "email" and field is not None:
            field.help_text = "Where the mails go that say an export is ready or an import ended."
        return field

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["label"] = "Roles"
            kwargs["help_text"] = "A user has every permission of each of their roles."
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin[Contact]):
    list_display = [
        "id",
        "identifier_type",
        "email_address",
        "mobile_number",
        "first_name_sorted",
        "last_name_sorted",
        "created_at",
        "profile_link",
    ]
    list_filter = ["identifier_type"]
    search_fields = ["email"]  # searched by search_results, with the list's indexes
    search_help_text = ContactFilter.base_filters["q"].extra["help_text"]
    # The email as on every other screen (Unicode domain), in its usual place.
    fields = [
        "email_address" if field.name == "email" else field.name
        for field in Contact._meta.fields
        if field.editable and not field.auto_created
    ]
    readonly_fields = ["email_address"]
    date_hierarchy = None
    actions = ["delete_contacts"]

    def search_results(
        self, request: HttpRequest, queryset: QuerySet[Contact], search_term: str
    ) -> tuple[QuerySet[Contact], bool]:
        search = _search(search_term)
        return (queryset.filter(search.condition()) if search else queryset), False

    def search_parts(self, queryset: QuerySet[Contact], term: str) -> Parts | None:
        search = _search(term)
        return None if search is None else search.parts(queryset)

    # Sorted as All Contacts sorts it, by the indexed lower(email).
    @admin.display(description="Email", ordering=Lower("email"))
    def email_address(self, obj: Contact) -> str:
        return display_email(obj.email)

    @admin.display(description="First Name", ordering=in_reading_order("first_name"))
    def first_name_sorted(self, obj: Contact) -> str:
        return obj.first_name

    @admin.display(description="Last Name", ordering=in_reading_order("last_name"))
    def last_name_sorted(self, obj: Contact) -> str:
        return obj.last_name

    @admin.display(description="Contact Profile")
    def profile_link(self, obj: Contact) -> str:
        return _profile_link(obj.pk, "Open")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("contacts.delete_contact")

    @admin.action(description="Delete selected contacts", permissions=["delete"])
    def delete_contacts(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        deleted = contacts_delete(actor=request.user, contacts=queryset)
        self.message_user(request, f"{deleted:,} contacts deleted.", messages.SUCCESS)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request: HttpRequest, obj: Contact) -> None:
        contacts_delete(actor=request.user, contacts=Contact.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        contacts_delete(actor=request.user, contacts=queryset)


def _search(term: str) -> Search | None:
    """What the admin's search box finds: what the list's finds."""
    term = term[:254].strip()
    return search_for(term) if term else None


def _profile_link(contact_id: int, text: str) -> str:
    """A link to the contact's profile. The URL is reversed once (contacts.rows), not once
    per row: the same URL as reverse() gives."""
    before, after = _profile_url(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return mark_safe(f'<a href="{before}{contact_id}{after}">{esc(text)}</a>')  # noqa: S308


@cache
def _profile_url(script_prefix: str, urlconf: str) -> tuple[str, str]:
    """The escaped profile URL, before and after the Contact ID (for this prefix and urlconf)."""
    before, _, after = esc(reverse("contacts:profile", args=[ID_SLOT])).partition(ID_SLOT)
    return before, after


@admin.register(AttributeDefinition)
class AttributeDefinitionAdmin(
    UniqueRaceMixin, CountedDeleteMixin, admin.ModelAdmin[AttributeDefinition]
):
    form = AttributeDefinitionForm
    list_display = ["name", "data_type", "channel", "description"]
    list_filter = ["data_type", "channel"]
    search_fields = ["name"]


# Stacked, not tabular: the stock table has a header cell with no text (axe).
class MemberAttributeDefinitionInline(admin.StackedInline[MemberAttributeDefinition, Group]):
    model = MemberAttributeDefinition
    form = MemberAttributeDefinitionForm
    formset = MemberAttributeFormSet
    extra = 0


@admin.register(Group)
class ContactGroupAdmin(UniqueRaceMixin, CountedDeleteMixin, admin.ModelAdmin[Group]):
    list_display = ["name", "is_test_group", "sender_email", "created_at"]
    list_filter = ["is_test_group"]
    search_fields = ["name"]
    inlines = [MemberAttributeDefinitionInline]


@admin.register(MemberAttributeDefinition)
class MemberAttributeDefinitionAdmin(
    UniqueRaceMixin, CountedDeleteMixin, admin.ModelAdmin[MemberAttributeDefinition]
):
    form = MemberAttributeDefinitionForm
    list_display = ["name", "group", "data_type"]
    list_filter = ["data_type", "group"]
    search_fields = ["name", "group__name"]
    # The group is picked in the browser's own select: the autocomplete widget's box had
    # no accessible name (axe-core: aria-input-field-name).


class ContactColumn:
    """A row's Contact ID, linked to the contact's profile (where its data is edited)."""

    @admin.display(description="Contact ID", ordering="contact_id")
    def contact_profile(
        self, obj: Membership | AttributeValue | Event | RelatedRecord
    ) -> str | None:
        if obj.contact_id is None:  # an anonymized contact's event
            return None
        return _profile_link(obj.contact_id, str(obj.contact_id))


@admin.register(Membership)
class MembershipAdmin(ContactColumn, ReadOnlyAdmin[Membership]):
    list_display = [
        "id",
        "contact_profile",
        "group",
        "status",
        "is_test_recipient",
        "subscribed_at",
    ]
    list_select_related = ["group"]  # not the contact: the list shows its id only
    ordering = ["-id"]
    sortable_by = BIG_TABLE_SORTS
    list_filter = ["status", "is_test_recipient", "group"]
    search_fields = ["=contact__id"]
    raw_id_fields = ["contact", "group"]


@admin.register(AttributeValue)
class AttributeValueAdmin(ContactColumn, ReadOnlyAdmin[AttributeValue]):
    list_display = ["id", "contact_profile", "definition", "value"]
    ordering = ["-id"]
    sortable_by = BIG_TABLE_SORTS
    list_filter = ["definition"]
    search_fields = ["=contact__id"]
    raw_id_fields = ["contact", "definition"]


@admin.register(MemberAttributeValue)
class MemberAttributeValueAdmin(ReadOnlyAdmin[MemberAttributeValue]):
    list_display = ["membership_id", "definition", "value"]
    ordering = ["-id"]
    sortable_by = ()  # newest first only
    search_fields = ["=membership__contact__id"]
    raw_id_fields = ["membership", "definition"]


@admin.register(Event)
class EventAdmin(ContactColumn, ReadOnlyAdmin[Event]):
    list_display = ["id", "contact_profile", "event_type", "channel", "message_name", "occurred_at"]
    ordering = ["-id"]  # newest first: events are stored as they happen
    sortable_by = ["id"]  # a contact's events: search by its Contact ID
    list_filter = ["event_type", "channel"]
    search_fields = ["=contact__id"]
    search_help_text = "Exact Contact ID."
    raw_id_fields = ["contact", "group"]


@admin.register(AppData)
class AppDataAdmin(ReadOnlyAdmin[AppData]):
    list_display = ["contact_id", "push_opt_in_at", "push_opt_out_at", "last_app_open_at"]
    sortable_by = ["contact_id"]  # the primary key; the times have no index
    search_fields = ["=contact__id"]
    raw_id_fields = ["contact"]


@admin.register(RelatedRecord)
class RelatedRecordAdmin(ContactColumn, ReadOnlyAdmin[RelatedRecord]):
    list_display = ["id", "contact_profile", "table_name", "created_at"]
    ordering = ["-id"]
    sortable_by = BIG_TABLE_SORTS
    list_filter = [("table_name", IndexedValuesFilter)]
    search_fields = ["=contact__id"]
    raw_id_fields = ["contact"]
