"""Groups and attribute definitions for demo data, reused when they already exist.

A second run reuses the groups and definitions of the first (names are unique
case-insensitively), so it only adds contacts and what belongs to them.
"""

import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from contacts.models import (
    AttributeDefinition,
    AttributeType,
    Channel,
    Group,
    MemberAttributeDefinition,
)
from contacts.models.attributes import AttributeDefinitionBase

# Canonical text of one value (see contacts.attributes): the generator picks it with rng.
ValueMaker = Callable[[random.Random], str]


@dataclass(frozen=True, kw_only=True)
class AttributeTemplate:
    name: str
    data_type: str
    description: str
    share: float  # of contacts (or memberships) that get a value
    allowed: tuple[str, ...] = ()
    make: ValueMaker | None = None
    channel: str = Channel.ALL
    needs: str | None = None  # "email", "mobile" or "alias": only contacts that have it


@dataclass(frozen=True)
class DefinitionSpec:
    id: int
    share: float
    make: ValueMaker
    needs: str | None


@dataclass(frozen=True)
class GroupSpec:
    id: int
    is_test_group: bool
    member_definitions: tuple[DefinitionSpec, ...]


@dataclass(frozen=True)
class Catalog:
    groups: tuple[GroupSpec, ...]
    definitions: tuple[DefinitionSpec, ...]

    @property
    def regular_groups(self) -> tuple[GroupSpec, ...]:
        return tuple(g for g in self.groups if not g.is_test_group)

    @property
    def test_groups(self) -> tuple[GroupSpec, ...]:
        return tuple(g for g in self.groups if g.is_test_group)


def money(rng: random.Random, *, high_cents: int = 500_000) -> str:
    """A decimal amount in canonical form: "42.5", "19.99", "120" (as Decimal.normalize)."""
    cents = rng.randrange(100, high_cents)
    euros, rest = divmod(cents, 100)
    if rest == 0:
        return str(euros)
    return f"{euros}.{rest:02d}".rstrip("0")


def _past_date(rng: random.Random, *, min_days: int, max_days: int) -> str:
    return (date.today() - timedelta(days=rng.randint(min_days, max_days))).isoformat()


def _boolean(rng: random.Random) -> str:
    return "true" if rng.random() < 0.7 else "false"


_CATEGORIES = ("Shoes", "Women", "Men", "Kids", "Home & Living", "Sports", "Electronics", "Beauty")
_STORES = (
    "Berlin Mitte",
    "Hamburg Altona",
    "München Zentrum",
    "Köln Dom",
    "Frankfurt Zeil",
    "Wien Mariahilf",
    "Zürich HB",
    "Online Shop",
)
_SOURCES = ("Website", "Mobile App", "In store", "Trade fair", "Partner import", "Competition")

CUSTOM_ATTRIBUTES: tuple[AttributeTemplate, ...] = (
    AttributeTemplate(
        name="CustomerSegment",
        data_type=AttributeType.STRING,
        description="Segment from the CRM",
        share=0.5,
        allowed=("New", "Regular", "VIP", "Dormant"),
    ),
    AttributeTemplate(
        name="FavoriteCategory",
        data_type=AttributeType.STRING,
        description="Most viewed shop category",
        share=0.3,
        make=lambda rng: rng.choice(_CATEGORIES),
        channel=Channel.EMAIL,
        needs="email",
    ),
    AttributeTemplate(
        name="ReferralCode",
        data_type=AttributeType.STRING,
        description="Code to recommend the shop to friends",
        share=0.1,
        make=lambda rng: "REF-" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=6)),
    ),
    AttributeTemplate(
        name="LifetimeValue",
        data_type=AttributeType.NUMBER,
        description="Total revenue in EUR",
        share=0.35,
        make=money,
    ),
    AttributeTemplate(
        name="OrderCount",
        data_type=AttributeType.NUMBER,
        description="Number of orders",
        share=0.35,
        make=lambda rng: str(rng.randint(0, 60)),
    ),
    AttributeTemplate(
        name="LastPurchaseDate",
        data_type=AttributeType.DATE,
        description="Date of the latest order",
        share=0.3,
        make=lambda rng: _past_date(rng, min_days=0, max_days=730),
    ),
    AttributeTemplate(
        name="CustomerSince",
        data_type=AttributeType.DATE,
        description="First order or store visit",
        share=0.25,
        make=lambda rng: _past_date(rng, min_days=30, max_days=15 * 365),
    ),
    AttributeTemplate(
        name="NewsletterConsent",
        data_type=AttributeType.BOOLEAN,
        description="Agreed to receive the newsletter",
        share=0.4,
        channel=Channel.EMAIL,
        needs="email",
    ),
    AttributeTemplate(
        name="SmsConsent",
        data_type=AttributeType.BOOLEAN,
        description="Agreed to receive text messages",
        share=0.5,
        channel=Channel.SMS,
        needs="mobile",
    ),
    AttributeTemplate(
        name="PushEnabled",
        data_type=AttributeType.BOOLEAN,
        description="Push notifications enabled in the app",
        share=0.6,
        channel=Channel.PUSH,
        needs="alias",
    ),
)

MEMBER_ATTRIBUTES: tuple[AttributeTemplate, ...] = (
    AttributeTemplate(
        name="PreferredStore",
        data_type=AttributeType.STRING,
        description="Store for pick-up and local offers",
        share=0.6,
        allowed=_STORES,
    ),
    AttributeTemplate(
        name="LoyaltyLevel",
        data_type=AttributeType.STRING,
        description="Level in this group's loyalty programme",
        share=0.5,
        allowed=("Bronze", "Silver", "Gold", "Platinum"),
    ),
    AttributeTemplate(
        name="SignupSource",
        data_type=AttributeType.STRING,
        description="Where the contact joined the group",
        share=0.7,
        make=lambda rng: rng.choice(_SOURCES),
    ),
    AttributeTemplate(
        name="LastVisit",
        data_type=AttributeType.DATE,
        description="Latest store visit",
        share=0.4,
        make=lambda rng: _past_date(rng, min_days=0, max_days=365),
    ),
    AttributeTemplate(
        name="VisitCount",
        data_type=AttributeType.NUMBER,
        description="Store visits this year",
        share=0.4,
        make=lambda rng: str(rng.randint(1, 40)),
    ),
    AttributeTemplate(
        name="WantsReminders",
        data_type=AttributeType.BOOLEAN,
        description="Reminders before group events",
        share=0.3,
    ),
)

_GROUP_NAMES = (
    "Newsletter Germany",
    "Newsletter Austria",
    "Newsletter Switzerland",
    "Newsletter International",
    "Product News",
    "Weekly Deals",
    "Loyalty Club",
    "VIP Customers",
    "App Users",
    "SMS Alerts",
    "Back in Stock",
    "Birthday Greetings",
    "Events & Workshops",
    "Spring Sale",
    "Summer Sale",
    "Black Friday",
    "Christmas Specials",
    "B2B Partners",
    "Survey Panel",
    "Win-back Campaign",
)
_TEST_GROUP_NAMES = ("Test Group - Marketing QA", "Seed List (Internal)")


def _value_maker(definition: AttributeDefinitionBase, template: AttributeTemplate) -> ValueMaker:
    # An existing definition may differ from the template (an admin changed it):
    # generate what the stored definition accepts, not what the template says.
    allowed = tuple(definition.allowed_value_list)
    if allowed and definition.data_type != AttributeType.BOOLEAN:
        return lambda rng: rng.choice(allowed)
    if definition.data_type == template.data_type and template.make is not None:
        return template.make
    makers: dict[str, Callable[[random.Random], str]] = {
        AttributeType.NUMBER: lambda rng: str(rng.randint(0, 1000)),
        AttributeType.DATE: lambda rng: _past_date(rng, min_days=0, max_days=3650),
        AttributeType.BOOLEAN: _boolean,
    }
    return makers.get(definition.data_type, lambda rng: rng.choice(_CATEGORIES))


def _defaults(template: AttributeTemplate) -> dict[str, object]:
    return {
        "name": template.name,
        "data_type": template.data_type,
        "allowed_values": "\n".join(template.allowed),
        "description": template.description,
    }


def _custom_definitions() -> tuple[DefinitionSpec, ...]:
    specs = []
    for template in CUSTOM_ATTRIBUTES:
        definition = AttributeDefinition.objects.filter(name__iexact=template.name).first()
        if definition is None:
            definition = AttributeDefinition.objects.create(
                channel=template.channel, **_defaults(template)
            )
        make = _value_maker(definition, template)
        specs.append(DefinitionSpec(definition.pk, template.share, make, template.needs))
    return tuple(specs)


def _member_definitions(group: Group, index: int) -> tuple[DefinitionSpec, ...]:
    if group.is_test_group:
        return ()
    count = 3 if index % 3 == 0 else 2
    templates = [MEMBER_ATTRIBUTES[(index + 2 * k) % len(MEMBER_ATTRIBUTES)] for k in range(count)]
    specs = []
    for template in templates:
        definition = group.member_attributes.filter(name__iexact=template.name).first()
        if definition is None:
            definition = MemberAttributeDefinition.objects.create(
                group=group, **_defaults(template)
            )
        make = _value_maker(definition, template)
        specs.append(DefinitionSpec(definition.pk, template.share, make, None))
    return tuple(specs)


def group_names(count: int) -> list[tuple[str, bool]]:
    """`count` (name, is test group) pairs: one test group from 2 groups, two from 10."""
    tests = 0 if count < 2 else (1 if count < 10 else 2)
    regular = count - tests
    names = [(name, False) for name in _GROUP_NAMES[:regular]]
    names += [(f"Campaign Group {i:03d}", False) for i in range(len(names) + 1, regular + 1)]
    names += [(name, True) for name in _TEST_GROUP_NAMES[:tests]]
    return names


def build_catalog(*, groups: int) -> Catalog:
    """Get or create the demo groups and definitions. Uses no randomness, so seeds stay stable."""
    specs = []
    for index, (name, is_test) in enumerate(group_names(groups)):
        group = Group.objects.filter(name__iexact=name).first()
        if group is None:
            group = Group.objects.create(
                name=name, sender_email="news@brand.example", is_test_group=is_test
            )
        specs.append(GroupSpec(group.pk, group.is_test_group, _member_definitions(group, index)))
    return Catalog(groups=tuple(specs), definitions=_custom_definitions())
