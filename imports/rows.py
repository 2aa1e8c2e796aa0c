"""Cells to values, without the database (interim version: wip/import-read owns this module)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from contacts.attributes import parse_attribute_value
from contacts.models import (
    AddressStatus,
    AttributeDefinition,
    Gender,
    MemberAttributeDefinition,
    Title,
)
from contacts.validation import (
    normalize_alias,
    normalize_email,
    normalize_mobile,
    validate_date_of_birth,
)
from imports.mapping import IDENTIFIER_TARGETS, MEMBERSHIPS, target_label


class _Clear:
    def __repr__(self) -> str:
        return "CLEAR"


CLEAR = _Clear()


@dataclass(frozen=True)
class CheckedRow:
    line: int
    key: str
    values: dict[str, object]


@dataclass(frozen=True)
class Rejection:
    line: int
    column: str | None
    message: str


Parser = Callable[[str], object]


@dataclass(frozen=True)
class RowPlan:
    header: list[str]
    columns: list[tuple[int, str, Parser]]  # (index, target, parser)
    match_on: str
    clear_empty: bool


def _choice(choices: list[tuple[str, str]]) -> Parser:
    known = {v.lower(): v for v, _ in choices} | {label.lower(): v for v, label in choices}

    def parse(raw: str) -> object:
        value = known.get(raw.strip().lower())
        if value is None:
            raise ValidationError("Choose one of: " + ", ".join(label for _, label in choices))
        return value

    return parse


def _date_of_birth(raw: str) -> object:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError("Enter a date as YYYY-MM-DD.") from None
    validate_date_of_birth(value)
    return value


def _source_id(raw: str) -> object:
    text = raw.strip()
    if not text.isdigit() or int(text) > 99_999:
        raise ValidationError("Enter a whole number from 0 to 99999.")
    return int(text)


def _text(limit: int) -> Parser:
    def parse(raw: str) -> object:
        if len(raw) > limit:
            raise ValidationError(f"At most {limit} characters.")
        return raw

    return parse


def _code(raw: str) -> object:
    text = raw.strip().upper()
    if len(text) != 2 or not text.isalpha():
        raise ValidationError("Enter a two-letter code.")
    return text


_STANDARD: dict[str, Parser] = {
    "email": normalize_email,
    "mobile_number": normalize_mobile,
    "app_alias": normalize_alias,
    "external_id": lambda raw: _text(2000)(raw.strip()),
    "email_status": _choice(AddressStatus.choices),
    "mobile_status": _choice(AddressStatus.choices),
    "app_alias_status": _choice(AddressStatus.choices),
    "first_name": _text(255),
    "last_name": _text(255),
    "nickname": _text(255),
    "title": _choice(Title.choices),
    "gender": _choice(Gender.choices),
    "date_of_birth": _date_of_birth,
    "country": _code,
    "language": lambda raw: str(_code(raw)).lower(),
    "zip_code": _text(20),
    "time_zone": _text(64),
    "source_id": _source_id,
    MEMBERSHIPS: str.strip,
}


def compile_plan(
    *,
    header: list[str],
    mapping: list[str],
    custom: Mapping[str, AttributeDefinition],
    member: Mapping[str, MemberAttributeDefinition],
    match_on: str,
    clear_empty: bool,
) -> RowPlan:
    targets = [t for t in mapping if t]
    if not any(t in IDENTIFIER_TARGETS for t in targets):
        raise ValidationError({"mapping": "Map at least one identifier column."})
    if match_on not in targets:
        raise ValidationError({"match_on": "The column to match on is not mapped."})
    twice = {t for t in targets if targets.count(t) > 1}
    if twice:
        names = ", ".join(target_label(t) for t in sorted(twice))
        raise ValidationError({"mapping": f"Each target only once: {names}."})
    columns: list[tuple[int, str, Parser]] = []
    for index, target in enumerate(mapping):
        if not target:
            continue
        if target.startswith("custom:"):
            definition = custom.get(target[7:])
            if definition is None:
                raise ValidationError({"mapping": f"Unknown custom attribute {target[7:]}."})
            columns.append((index, target, _attribute(definition)))
        elif target.startswith("member:"):
            member_definition = member.get(target[7:])
            if member_definition is None:
                raise ValidationError(
                    {"mapping": "Member attribute columns need a group that has them."}
                )
            columns.append((index, target, _attribute(member_definition)))
        elif target in _STANDARD:
            columns.append((index, target, _STANDARD[target]))
        else:
            raise ValidationError({"mapping": f"Unknown target {target}."})
    return RowPlan(list(header), columns, match_on, clear_empty)


def _attribute(definition: AttributeDefinition | MemberAttributeDefinition) -> Parser:
    return lambda raw: parse_attribute_value(definition, raw)


def check_row(plan: RowPlan, line: int, cells: list[str]) -> CheckedRow | Rejection:
    if len(cells) != len(plan.header):
        return Rejection(
            line, None, f"This line has {len(cells)} cells; the header has {len(plan.header)}."
        )
    values: dict[str, object] = {}
    for index, target, parse in plan.columns:
        raw = cells[index]
        if raw.strip() == "":
            if target == plan.match_on:
                return Rejection(line, plan.header[index], "The match column is empty.")
            if plan.clear_empty:
                values[target] = CLEAR
            continue
        try:
            values[target] = parse(raw)
        except ValidationError as exc:
            return Rejection(line, plan.header[index], " ".join(exc.messages))
    return CheckedRow(line, str(values[plan.match_on]), values)
