from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from contacts.models.attributes import AttributeDefinitionBase
from contacts.models.choices import MembershipStatus
from contacts.models.contact import Contact
from core.collation import in_reading_order

# What a form says when a name is taken (the constraints' messages, and the admin's rows).
GROUP_NAME_TAKEN = (
    "A group of this name exists already (names are the same in capitals and small letters)."
)
MEMBER_ATTRIBUTE_NAME_TAKEN = (
    "This group has a member attribute of this name already "
    "(names are the same in capitals and small letters)."
)
TEST_RECIPIENT_HELP = (
    "Receives the test sends of this group's messages. Every member of a test group is one."
)


class Group(models.Model):
    """A group that messages are sent to; contacts join it through a Membership."""

    name = models.CharField(max_length=200)
    sender_email = models.EmailField("Sender email", blank=True, default="")
    is_test_group = models.BooleanField(
        "Test group",
        default=False,
        help_text=(
            "Every member of a test group is a test recipient; in other groups, only the "
            "members marked Test recipient are."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [in_reading_order("name").asc()]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="group_name_ci_unique", violation_error_message=GROUP_NAME_TAKEN
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    # Both indexed by the composite indexes below, which lead with them.
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    subscribed_at = models.DateTimeField("Subscription date", default=timezone.now)
    is_test_recipient = models.BooleanField(
        "Test recipient", default=False, help_text=TEST_RECIPIENT_HELP
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group__name"]
        permissions = [
            ("manage_test_memberships", "Can manage memberships of test groups"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["contact", "group"], name="membership_once_per_group")
        ]
        indexes = [models.Index(fields=["group", "contact"], name="membership_group_idx")]

    def __str__(self) -> str:
        return f"Contact ID {self.contact_id} in {self.group}"


class MemberAttributeDefinition(AttributeDefinitionBase):
    """An attribute whose value belongs to a contact within one group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="member_attributes")

    class Meta:
        ordering = ["group", "name"]
        verbose_name = "member attribute"
        constraints = [
            models.UniqueConstraint(
                "group",
                Lower("name"),
                name="member_attribute_name_ci_unique_per_group",
                violation_error_message=MEMBER_ATTRIBUTE_NAME_TAKEN,
            )
        ]


class MemberAttributeValue(models.Model):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="attribute_values", db_index=False
    )
    definition = models.ForeignKey(
        MemberAttributeDefinition, on_delete=models.CASCADE, related_name="values"
    )
    value = models.TextField()

    class Meta:
        verbose_name = "member attribute value"
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "definition"], name="member_value_once_per_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition} of membership {self.membership_id}"
