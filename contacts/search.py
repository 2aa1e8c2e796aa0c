"""What a text search matches: the search box (search_for), the Email and Name filters.

Every condition is index-backed on PostgreSQL (migrations 0002, 0003, 0006): the planner
ORs the index scans. A Search keeps its conditions apart, one per index, so that its
matches can also be counted index by index (core.counts.disjoint_parts).
"""

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, F, Func, Q, QuerySet
from django.db.models.functions import MD5, Lower
from django.db.models.lookups import Exact, IContains, IStartsWith, StartsWith
from django.db.models.sql.compiler import SQLCompiler

from contacts.models import Contact
from contacts.validation import domain_to_ascii, normalize_mobile
from core.collation import UNICODE_UPPER
from core.counts import Parts, disjoint_parts
from core.ids import parse_id

if TYPE_CHECKING:
    from django.db.models.sql.compiler import _AsSqlType  # (SQL, params), as the stubs say


# What the search box says it finds: All Contacts and a group's members search alike.
SEARCH_PLACEHOLDER = "ID, email, +mobile, alias or name"
# An app alias is an opaque identifier, unique as stored (its unique index, on MD5 of the
# alias, is what finds it): a part or another case of it matches nothing, and the help
# says so. Matching it in any case would need a new index (of the lower-cased alias).
ALIAS_HELP = "The whole app alias, exactly as stored (upper and lower case count)"
SEARCH_HELP = (
    "Finds a Contact ID, a mobile number (+ and country code), "
    "the whole app alias exactly as stored, "
    "part of a first or last name or a full name (with 1 or 2 letters: the beginning of "
    "a name), "
    "the beginning of an email address, "
    "or the beginning of its domain (@example.com: the domain only)."
)


@dataclass(frozen=True)
class Search:
    """What a text search matches: any of its conditions, one per index. Each is a range
    (or a value) of a b-tree index, but for the last `trigrams`: "contains" conditions of
    a trigram (GIN) index, read as a bitmap of all its matches, in no order.

    `implied`: b-tree ranges that the trigram conditions include (a name's beginning, for
    a part of a name). They find no other row; they are counted first, in index order, so
    a common term reaches the count's cap without the bitmap of all its matches."""

    conditions: tuple[Q, ...]
    trigrams: int = 0
    implied: tuple[Q, ...] = ()

    @property
    def ranges(self) -> int:
        return len(self.conditions) - self.trigrams

    def condition(self) -> Q:
        return reduce(or_, self.conditions) if self.conditions else Q(pk__in=[])

    def parts(self, queryset: QuerySet[Contact]) -> Parts | None:
        """The matches among `queryset` in parts (core.counts), the ranges first; None
        when there is no range to read in order, or a single condition."""
        counted = (
            *self.conditions[: self.ranges],
            *self.implied,
            *self.conditions[self.ranges :],
        )
        ranges = self.ranges + len(self.implied)
        if not ranges or len(counted) < 2:
            return None
        return disjoint_parts(queryset, counted, ranges=ranges)


def search_for(value: str) -> Search:
    """What the search box finds for a (stripped, non-empty) term. Every condition is
    index-backed on PostgreSQL: the planner ORs the index scans."""
    conditions = (alias_is(value), *email_conditions(value))
    if value.isascii() and value.isdigit():
        contact_id = parse_id(value)
        if contact_id:
            conditions += (Q(id=contact_id),)
        return Search((*conditions, Q(mobile_number=f"+{value}")))
    if value.startswith("+"):
        return Search((*conditions, mobile_matches(value)))
    if "@" in value:
        return Search(conditions)
    names = name_search(value)
    return Search((*conditions, *names.conditions), trigrams=names.trigrams, implied=names.implied)


class EmailDomain(Func):
    """The domain of an address, lower-cased: what follows its last "@" (a quoted local
    part may hold an "@" too). On PostgreSQL this is the expression of the index
    contact_email_domain_idx (migration 0002), so a domain beginning is a range scan."""

    output_field = CharField()

    def __init__(self, field: str):
        super().__init__(Lower(field))

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> "_AsSqlType":
        return super().as_sql(
            compiler, connection, template="SPLIT_PART(%(expressions)s, '@', -1)", **extra
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> "_AsSqlType":
        address, params = compiler.compile(self.source_expressions[0])
        reversed_address = f"REVERSE({address})"
        sql = f"REVERSE(SUBSTR({reversed_address}, 1, INSTR({reversed_address}, '@') - 1))"
        return sql, (*params, *params, *params)


def email_matches(text: str, field: str = "email") -> Q:
    """What the search box and the Email filter match of an address.

    "@example.com": the domain begins with example.com. "anna.b@exa": the address begins
    with it. Without "@": either the address or its domain begins with the text. A
    domain typed in Unicode or in Punycode finds the address (stored in IDNA form).
    """
    return Search(email_conditions(text, field)).condition()


def email_conditions(text: str, field: str = "email") -> tuple[Q, ...]:
    """The conditions of email_matches, one per index."""
    local, at, domain = text.rpartition("@")
    ascii_domain = domain_to_ascii(domain)
    if at and not local:
        return _begins(EmailDomain(field), ascii_domain)
    if at:
        address = None if ascii_domain is None else f"{local.lower()}@{ascii_domain}"
        return _begins(Lower(field), address)
    # Local parts are ASCII (the address validator says so): a Unicode text is a domain.
    address = text.lower() if text.isascii() else None
    return _begins(Lower(field), address) + _begins(EmailDomain(field), ascii_domain)


def _begins(expression: Func, text: str | None) -> tuple[Q, ...]:
    """Index-friendly LIKE 'text%' (the text's % and _ are escaped); None matches nothing."""
    return () if text is None else (Q(StartsWith(expression, text)),)


# A term shorter than a trigram cannot use the trigram indexes of the names (migration
# 0002): "any part of a name" would read every contact. It finds the beginning of a first
# or last name instead, a range scan of the pattern indexes of migration 0003.
SHORT_NAME_TERM = 3


def name_search(value: str) -> Search:
    """Part of a first or last name; a shorter term than SHORT_NAME_TERM, the beginning.
    A term of several words is also a full name: the first name holding the words before
    a space, the last name those after it ("Anna Schmidt", "Anna Maria Schmidt").

    In Unicode's composed form, as names are stored (a pasted "Zoë" may be "Zoe" and a
    combining diaeresis)."""
    value = unicodedata.normalize("NFC", value)
    beginnings = (
        _name_part("first_name", value, beginning=True),
        _name_part("last_name", value, beginning=True),
    )
    if len(value) < SHORT_NAME_TERM:
        return Search(beginnings)
    parts = (_name_part("first_name", value), _name_part("last_name", value), *_full_names(value))
    return Search(parts, trigrams=len(parts), implied=beginnings)


# A full name is split at most at this many spaces (each split is one more condition).
FULL_NAME_SPLITS = 3


def _full_names(value: str) -> tuple[Q, ...]:
    words = value.split()
    splits = range(1, min(len(words), FULL_NAME_SPLITS + 1))
    return tuple(
        _name_part("first_name", " ".join(words[:i])) & _name_part("last_name", " ".join(words[i:]))
        for i in splits
    )


def _name_part(field: str, text: str, *, beginning: bool = False) -> Q:
    """The name holds the text; or begins with it, asked for or when the text is short
    (no trigram to look up)."""
    if beginning or len(text) < SHORT_NAME_TERM:
        return Q(NameStartsWith(F(field), text))
    return Q(NameContains(F(field), text))


class _AnyCaseOnSqlite:
    """On PostgreSQL, Django's case-insensitive lookup (the expression of the name indexes,
    migrations 0002 and 0003). On SQLite, whose LIKE folds the case of A-Z only, both
    sides upper-cased by Python first (core.collation.UNICODE_UPPER)."""

    def process_lhs(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, lhs: Any = None
    ) -> Any:
        sql, params = super().process_lhs(compiler, connection, lhs)  # type: ignore[misc]
        return (
            (f"{UNICODE_UPPER}({sql})", params) if connection.vendor == "sqlite" else (sql, params)
        )

    def get_rhs_op(self, connection: BaseDatabaseWrapper, rhs: str) -> Any:
        if connection.vendor == "sqlite":
            return f"LIKE {UNICODE_UPPER}({rhs}) ESCAPE '\\'"
        return super().get_rhs_op(connection, rhs)  # type: ignore[misc]


class NameContains(_AnyCaseOnSqlite, IContains):
    pass


class NameStartsWith(_AnyCaseOnSqlite, IStartsWith):
    pass


def mobile_matches(value: str) -> Q:
    """A whole mobile number (any spacing) or the beginning of one."""
    try:
        return Q(mobile_number=normalize_mobile(value))
    except ValidationError:
        digits = "".join(ch for ch in value if ch.isdigit())
        return Q(mobile_number__startswith=f"+{digits}")


def alias_is(value: str) -> Q:
    """Exact alias match through the MD5 index that enforces alias uniqueness.

    The equality comes first: where a search is a filter on every row read (a sequential
    scan, a walk of the id index), PostgreSQL then computes no MD5 of the aliases that
    differ (a fifth of a search's cost per row)."""
    digest = hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()
    return Q(app_alias=value) & Q(Exact(MD5("app_alias"), digest))
