from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.db.models import Model
from django.utils import timezone

from contacts.models import (
    AppData,
    AttributeDefinition,
    AttributeValue,
    Contact,
    Event,
    EventChannel,
    EventType,
    Group,
    IdentifierType,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
    RelatedRecord,
)
from contacts.roles import sync_roles

_M = TypeVar("_M", bound=Model)


class ModelFactory(factory.django.DjangoModelFactory[_M]):
    """A factory of one model: calling it makes (and saves) one, as .create() does."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # What calling the class returns, which factory-boy's metaclass leaves untyped.
        def __new__(cls, *args: Any, **kwargs: Any) -> _M: ...  # type: ignore[misc]


class UserFactory(ModelFactory[User]):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@staff.example")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        if extracted:
            role = Role.objects.filter(name=extracted).first()
            if role is None:  # a transactional test flushed the migration's roles
                sync_roles()
                role = Role.objects.get(name=extracted)
            self.groups.add(role)


class ContactFactory(ModelFactory[Contact]):
    class Meta:
        model = Contact

    identifier_type = IdentifierType.EMAIL
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


class MobileContactFactory(ContactFactory):
    identifier_type = IdentifierType.MOBILE
    email = None  # type: ignore[assignment]  # the parent's sequence, left out
    mobile_number = factory.Sequence(lambda n: f"+4915{n:09d}")


class AliasContactFactory(ContactFactory):
    identifier_type = IdentifierType.APP_ALIAS
    email = None  # type: ignore[assignment]  # the parent's sequence, left out
    app_alias = factory.Sequence(lambda n: f"app-alias-{n}")


class GroupFactory(ModelFactory[Group]):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Newsletter {n}")
    sender_email = "news@brand.example"


class MembershipFactory(ModelFactory[Membership]):
    class Meta:
        model = Membership

    contact = factory.SubFactory(ContactFactory)
    group = factory.SubFactory(GroupFactory)


class AttributeDefinitionFactory(ModelFactory[AttributeDefinition]):
    class Meta:
        model = AttributeDefinition

    name = factory.Sequence(lambda n: f"Custom{n}")


class AttributeValueFactory(ModelFactory[AttributeValue]):
    class Meta:
        model = AttributeValue

    contact = factory.SubFactory(ContactFactory)
    definition = factory.SubFactory(AttributeDefinitionFactory)
    value = "some value"


class MemberAttributeDefinitionFactory(ModelFactory[MemberAttributeDefinition]):
    class Meta:
        model = MemberAttributeDefinition

    group = factory.SubFactory(GroupFactory)
    name = factory.Sequence(lambda n: f"Member{n}")


class MemberAttributeValueFactory(ModelFactory[MemberAttributeValue]):
    class Meta:
        model = MemberAttributeValue

    membership = factory.SubFactory(MembershipFactory)
    definition = factory.SubFactory(
        MemberAttributeDefinitionFactory, group=factory.SelfAttribute("..membership.group")
    )
    value = "member value"


class EventFactory(ModelFactory[Event]):
    class Meta:
        model = Event

    contact = factory.SubFactory(ContactFactory)
    event_type = EventType.SENT
    channel = EventChannel.EMAIL
    message_name = "Spring sale"
    occurred_at = factory.LazyFunction(timezone.now)
    address = factory.LazyAttribute(lambda e: e.contact.email or "")


class AppDataFactory(ModelFactory[AppData]):
    class Meta:
        model = AppData

    contact = factory.SubFactory(AliasContactFactory)
    push_opt_in_at = factory.LazyFunction(timezone.now)


class RelatedRecordFactory(ModelFactory[RelatedRecord]):
    class Meta:
        model = RelatedRecord

    contact = factory.SubFactory(ContactFactory)
    table_name = "orders"
    values = factory.Dict({"order_id": "A-1001", "total": "42.50"})
