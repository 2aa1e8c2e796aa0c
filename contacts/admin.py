"""Admin: configuration is edited here; contact data is browsed here and edited in the app.

Every list uses raw ids or autocomplete for foreign keys and skips the full-table
count, so the pages stay usable at millions of rows.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group as AuthGroup
from django.core.paginator import Paginator
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from anonymization.services import contact_anonymize
from contacts.filters import ContactFilter
from contacts.models import (
    AppData,
    AttributeDefinition,
    AttributeValue,
    AuditEntry,
    Contact,
    Event,
    Group,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
    RelatedRecord,
    Role,
)
from contacts.pagination import count_rows
from contacts.services import ContactGone, contacts_delete
from contacts.validation import display_email


class EstimatedCountPaginator(Paginator):
    """Counts like All Contacts: estimated for a big unfiltered table, capped when filtered."""

    DEFERRED_JOIN_AFTER = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        return count_rows(queryset, filtered=bool(queryset.query.where)).value

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < self.DEFERRED_JOIN_AFTER:
            return super().page(number)
        # Deep pages: skip the offset over the primary key alone (an index-only scan),
        # then fetch just the rows of this page.
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        position = {pk: index for index, pk in enumerate(ids)}
        rows = sorted(self.object_list.filter(pk__in=ids), key=lambda row: position[row.pk])
        return self._get_page(rows, number, self)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Contact data changes only through the app's services (they write the audit log)."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SystemMailAdmin(ReadOnlyAdmin):
    """Job rows that send a system mail (contacts.system_mail): an admin may stop its retries.

    Subclasses set give_up_mail to staticmethod(their app's service of actor and ids).
    """

    actions = ["give_up_sending"]
    give_up_mail = None

    def has_give_up_permission(self, request) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    @admin.action(description="Give up sending", permissions=["give_up"])
    def give_up_sending(self, request, queryset):
        ids = list(queryset.order_by().values_list("pk", flat=True))
        given_up = self.give_up_mail(actor=request.user, ids=ids)
        left = len(ids) - given_up
        note = f" {left:,} already sent or given up: left as they were." if left else ""
        self.message_user(
            request, f"Gave up sending {given_up:,} email{pluralize(given_up)}: never sent.{note}"
        )


admin.site.unregister(AuthGroup)


@admin.register(Role)
class RoleAdmin(GroupAdmin):
    pass


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "identifier_type",
        "email_address",
        "mobile_number",
        "first_name",
        "last_name",
        "created_at",
        "profile_link",
    ]
    list_filter = ["identifier_type"]
    search_fields = ["email"]  # searched by get_search_results, with the list's indexes
    search_help_text = ContactFilter.base_filters["q"].extra["help_text"]
    # The email as on every other screen (Unicode domain), in its usual place.
    fields = [
        "email_address" if field.name == "email" else field.name
        for field in Contact._meta.fields
        if field.editable and not field.auto_created
    ]
    readonly_fields = ["email_address"]
    date_hierarchy = None
    actions = ["delete_contacts", "anonymize_contacts"]
    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return ContactFilter().filter_search(queryset, "q", search_term[:254]), False

    @admin.display(description="Email", ordering="email")
    def email_address(self, obj: Contact) -> str:
        return display_email(obj.email)

    @admin.display(description="Contact Profile")
    def profile_link(self, obj: Contact) -> str:
        url = reverse("contacts:profile", args=[obj.pk])
        return format_html('<a href="{}">Open</a>', url)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("contacts.delete_contact")

    @admin.action(description="Delete selected contacts", permissions=["delete"])
    def delete_contacts(self, request, queryset):
        deleted = contacts_delete(actor=request.user, contacts=queryset)
        self.message_user(request, f"{deleted:,} contacts deleted.", messages.SUCCESS)

    def has_anonymize_permission(self, request) -> bool:
        return request.user.has_perm("contacts.anonymize_contact")

    @admin.action(description="Anonymize selected contacts", permissions=["anonymize"])
    def anonymize_contacts(self, request, queryset):
        done = 0
        for contact_id in queryset.order_by().values_list("id", flat=True):
            try:
                contact_anonymize(actor=request.user, contact_id=contact_id)
            except ContactGone:
                continue
            done += 1
        self.message_user(
            request,
            f"{done:,} contacts anonymized. A confirmation email is on its way to you.",
            messages.SUCCESS,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        contacts_delete(actor=request.user, contacts=Contact.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        contacts_delete(actor=request.user, contacts=queryset)


@admin.register(AttributeDefinition)
class AttributeDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "data_type", "channel", "description"]
    list_filter = ["data_type", "channel"]
    search_fields = ["name"]


class MemberAttributeDefinitionInline(admin.TabularInline):
    model = MemberAttributeDefinition
    extra = 0


@admin.register(Group)
class GroupAdmin_(admin.ModelAdmin):
    list_display = ["name", "is_test_group", "sender_email", "created_at"]
    list_filter = ["is_test_group"]
    search_fields = ["name"]
    inlines = [MemberAttributeDefinitionInline]


@admin.register(MemberAttributeDefinition)
class MemberAttributeDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "data_type"]
    list_filter = ["data_type", "group"]
    search_fields = ["name", "group__name"]
    autocomplete_fields = ["group"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["id", "contact_id", "group", "status", "is_test_recipient", "subscribed_at"]
    list_filter = ["status", "is_test_recipient", "group"]
    search_fields = ["=contact__id"]
    raw_id_fields = ["contact", "group"]


@admin.register(AttributeValue)
class AttributeValueAdmin(ReadOnlyAdmin):
    list_display = ["contact_id", "definition", "value"]
    list_filter = ["definition"]
    search_fields = ["=contact__id"]
    raw_id_fields = ["contact", "definition"]


@admin.register(MemberAttributeValue)
class MemberAttributeValueAdmin(ReadOnlyAdmin):
    list_display = ["membership_id", "definition", "value"]
    search_fields = ["=membership__contact__id"]
    raw_id_fields = ["membership", "definition"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "contact_id", "event_type", "channel", "message_name", "occurred_at"]
    list_filter = ["event_type", "channel"]
    search_fields = ["=contact__id"]
    search_help_text = "Exact Contact ID."
    raw_id_fields = ["contact", "group"]


@admin.register(AppData)
class AppDataAdmin(ReadOnlyAdmin):
    list_display = ["contact_id", "push_opt_in_at", "push_opt_out_at", "last_app_open_at"]
    search_fields = ["=contact__id"]
    raw_id_fields = ["contact"]


@admin.register(RelatedRecord)
class RelatedRecordAdmin(ReadOnlyAdmin):
    list_display = ["id", "contact_id", "table_name", "created_at"]
    list_filter = ["table_name"]
    search_fields = ["=contact__id"]
    raw_id_fields = ["contact"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "contact_id"]
    list_filter = ["action"]
    search_fields = ["=contact_id"]
    raw_id_fields = ["actor"]
