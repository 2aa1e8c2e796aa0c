from django.db import models


class IdentifierType(models.TextChoices):
    EMAIL = "email", "Email"
    MOBILE = "mobile", "Mobile Number"
    APP_ALIAS = "app_alias", "Mobile App Alias"


class Title(models.TextChoices):
    MR = "mr", "Mr."
    MS = "ms", "Ms."
    UNKNOWN = "unknown", "Unknown"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    UNDISCLOSED = "undisclosed", "Undisclosed"


class AddressStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    BOUNCED = "bounced", "Bounced"
    OPTED_OUT = "opted_out", "Opted out"


class Channel(models.TextChoices):
    ALL = "all", "All channels"
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PUSH = "push", "Push"


class AttributeType(models.TextChoices):
    STRING = "string", "String"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    BOOLEAN = "boolean", "Boolean"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting Approval"
    DEACTIVATED = "deactivated", "Deactivated"


class EventType(models.TextChoices):
    SENT = "sent", "Message sent"
    SKIPPED = "skipped", "Message skipped"
    BOUNCED = "bounced", "Bounced"
    OPENED = "opened", "Opened"
    CLICKED = "clicked", "Clicked"
    FORWARDED = "forwarded", "Forwarded"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    SPAM_COMPLAINT = "spam_complaint", "Spam complaint"
    SUBSCRIBED = "subscribed", "Subscribed"
    PROFILE_UPDATED = "profile_updated", "Profile updated"
    PUSH_SENT = "push_sent", "Push sent"
    PUSH_OPENED = "push_opened", "Push opened"
    APP_OPENED = "app_opened", "App opened"


class EventChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PUSH = "push", "Push"
    APP = "app", "App"
    SYSTEM = "system", "System"
