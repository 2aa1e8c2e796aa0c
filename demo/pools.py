"""Value pools for demo data, drawn from Faker once per run.

Calling Faker per row would take hours for a million contacts; drawing a few
hundred values per locale up front and picking from them with `random` is
cheap and still looks realistic.
"""

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from faker import Faker

from contacts.validation import normalize_email

# A name as shown (display) and as used in an email address (slug: ASCII letters only).
Name = tuple[str, str]

# (Faker locale, ISO 3166-1 country, ISO 639-1 language, IANA time zones, share of contacts).
LocaleRow = tuple[str, str, str, tuple[str, ...], int]
_LOCALES: tuple[LocaleRow, ...] = (
    ("de_DE", "DE", "de", ("Europe/Berlin",), 50),
    ("de_AT", "AT", "de", ("Europe/Vienna",), 8),
    ("de_CH", "CH", "de", ("Europe/Zurich",), 5),
    ("en_GB", "GB", "en", ("Europe/London",), 9),
    (
        "en_US",
        "US",
        "en",
        ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
        7,
    ),
    ("fr_FR", "FR", "fr", ("Europe/Paris",), 6),
    ("nl_NL", "NL", "nl", ("Europe/Amsterdam",), 5),
    ("it_IT", "IT", "it", ("Europe/Rome",), 4),
    ("es_ES", "ES", "es", ("Europe/Madrid",), 3),
    ("pl_PL", "PL", "pl", ("Europe/Warsaw",), 3),
)

# Reserved example domains only, so demo mail can never reach a real person; one
# internationalized domain shows the Punycode storage that normalize_email applies.
_EMAIL_DOMAINS = (
    "example.com",
    "example.com",
    "example.net",
    "example.org",
    "mail.example",
    "post.example",
    "web.example",
    "firma.example",
    "bücher.example",
)

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ø": "o", "ł": "l"})

_CAMPAIGNS = (
    "Weekly Newsletter",
    "Spring Sale",
    "Summer Sale",
    "Autumn Collection",
    "Winter Specials",
    "Black Friday Preview",
    "Cyber Monday",
    "Christmas Gift Guide",
    "New Arrivals",
    "Back in Stock",
    "Loyalty Points Update",
    "Birthday Voucher",
    "Welcome Series Step 1",
    "Welcome Series Step 2",
    "Welcome Series Step 3",
    "Abandoned Cart Reminder",
    "Product Review Request",
    "Event Invitation",
    "Customer Survey",
    "Win-back Offer",
    "Order Confirmation",
    "Shipping Notification",
    "Double Opt-in Confirmation",
    "Password Reset",
)
_SMS_CAMPAIGNS = (
    "Flash Sale Today",
    "Your Voucher Code",
    "Delivery Update",
    "Appointment Reminder",
    "Store Opening",
    "Loyalty Points Expiring",
)
_PUSH_CAMPAIGNS = (
    "New in the App",
    "Price Drop Alert",
    "Daily Deal",
    "Your Order Is on Its Way",
    "Wishlist Item on Sale",
    "Weekend Offer",
)


@dataclass(frozen=True)
class LocalePool:
    country: str
    language: str
    time_zones: tuple[str, ...]
    weight: int
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    last: tuple[Name, ...]
    zip_codes: tuple[str, ...]
    nicknames: tuple[str, ...]


@dataclass(frozen=True)
class Pools:
    locales: tuple[LocalePool, ...]
    email_domains: tuple[str, ...]
    email_messages: tuple[str, ...]
    sms_messages: tuple[str, ...]
    push_messages: tuple[str, ...]


def name_slug(name: str) -> str:
    """ASCII letters of a name, for an email local part ("Jörg-Peter" -> "joergpeter")."""
    text = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLITERATION))
    return "".join(ch for ch in text if "a" <= ch <= "z")


def _names(draw: Callable[[], str], count: int) -> tuple[Name, ...]:
    # Deduplicated but in draw order, so a seed gives the same pool every time.
    seen = dict.fromkeys(draw() for _ in range(count))
    return tuple((name, name_slug(name)) for name in seen)


def _locale_pool(*, code: str, row: LocaleRow, seed: int, size: int) -> LocalePool:
    _, country, language, time_zones, weight = row
    fake = Faker(code)
    fake.seed_instance(seed)
    return LocalePool(
        country=country,
        language=language,
        time_zones=time_zones,
        weight=weight,
        male=_names(fake.first_name_male, size),
        female=_names(fake.first_name_female, size),
        last=_names(fake.last_name, size * 2),
        zip_codes=tuple(dict.fromkeys(fake.postcode() for _ in range(size))),
        nicknames=tuple(dict.fromkeys(fake.user_name()[:30] for _ in range(size // 2))),
    )


def _messages(campaigns: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    # Dated variants ("Spring Sale 2026-03") make message histories less repetitive.
    months = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
    names = list(campaigns)
    names += [f"{name} {rng.choice(months)}" for name in campaigns for _ in range(3)]
    return tuple(dict.fromkeys(names))


def build_pools(*, seed: int, size: int = 300) -> Pools:
    """Draw every pool once; the same seed gives the same pools."""
    locales = tuple(
        _locale_pool(code=row[0], row=row, seed=seed + index, size=size)
        for index, row in enumerate(_LOCALES)
    )
    rng = random.Random(seed)
    return Pools(
        locales=locales,
        email_domains=tuple(normalize_email(f"x@{d}").partition("@")[2] for d in _EMAIL_DOMAINS),
        email_messages=_messages(_CAMPAIGNS, rng),
        sms_messages=_messages(_SMS_CAMPAIGNS, rng),
        push_messages=_messages(_PUSH_CAMPAIGNS, rng),
    )
