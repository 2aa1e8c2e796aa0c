from typing import Any

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest

from anonymization.models import Anonymization
from anonymization.notifications import CONFIRMATION
from anonymization.services import contact_anonymize
from contacts.admin import ContactAdmin
from contacts.models import AnonymousContact, Contact
from contacts.services import ContactGone
from core.admin import ReadOnlyAdmin
from core.models import Notification, NotificationStatus
from core.notifications import mail_promise


class AnonymizingContactAdmin(ContactAdmin):
    """The contacts admin with the anonymize action: contacts knows nothing of anonymization,
    so this app registers the admin again with its action added."""

    actions = [*ContactAdmin.actions, "anonymize_contacts"]

    def has_anonymize_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("contacts.anonymize_contact")

    @admin.action(description="Anonymize selected contacts", permissions=["anonymize"])
    def anonymize_contacts(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        done = 0
        for contact_id in queryset.order_by().values_list("id", flat=True):
            try:
                contact_anonymize(actor=request.user, contact_id=contact_id)
            except ContactGone:
                continue
            done += 1
        self.message_user(
            request,
            f"{done:,} contacts anonymized. "
            + mail_promise(request.user, "A confirmation email is on its way to you."),
            messages.SUCCESS,
        )


admin.site.unregister(Contact)
admin.site.register(Contact, AnonymizingContactAdmin)


@admin.register(Anonymization)
class AnonymizationAdmin(ReadOnlyAdmin[Anonymization]):
    list_display = ["contact_id", "identifier_type", "requested_by", "anonymized_at", "email"]
    list_filter = ["identifier_type"]
    search_fields = ["=contact_id"]
    raw_id_fields = ["requested_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Anonymization]:
        mails = Notification.objects.filter(kind=CONFIRMATION, object_id=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(email_state=Subquery(mails.order_by("-id").values("status")[:1]))
        )

    @admin.display(description="Confirmation email")
    def email(self, obj: Any) -> str:
        state = getattr(obj, "email_state", None)
        return NotificationStatus(state).label if state else "—"


@admin.register(AnonymousContact)
class AnonymousContactAdmin(ReadOnlyAdmin[AnonymousContact]):
    list_display = ["id", "identifier_type", "anonymized_at"]
    list_filter = ["identifier_type"]
