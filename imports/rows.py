"""From the cells of a row to the values to store: the rules of `contacts.validation`,
applied column by column, without touching the database.

`compile_plan` checks a mapping once and picks the rule of each column; `check_row` then runs
per row (a million times for a big file), so it does as little as it can per cell.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from django.core.exceptions import ValidationError

from contacts.attributes import attribute_parser
from contacts.models import (
    PROFILE_FIELD_NAMES,
    AttributeDefinition,
    MemberAttributeDefinition,
)
from contacts.validation import FIELD_RULES, normalize_text
from exports.csvfile import needs_neutralising
from imports.mapping import (
    CUSTOM_PREFIX,
    IDENTIFIER_TARGETS,
    MEMBER_PREFIX,
    MEMBERSHIPS,
    target_label,
)


class _Clear(Enum):
    CLEAR = "clear"

    def __repr__(self) -> str:
        return "CLEAR"


# A value that says: clear the stored value (an empty cell with "Clear the stored value").
CLEAR = _Clear.CLEAR
_UNKNOWN = object()

Rule = Callable[[str], object]
# What a column's cells gave so far: cell text -> value (see check_row).
Answers = dict[str, object]
# How many different values of a column have their answer remembered.
REMEMBERED_VALUES = 2_000


@dataclass(frozen=True)
class RowPlan:
    header: list[str]
    # (column index, target, column name, rule) of each mapped column.
    columns: list[tuple[int, str, str, Rule]]
    match_on: str
    match_index: int
    clear_empty: bool
    # Per column (in the order of `columns`), the values its cells gave so far.
    answers: list[Answers] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.header)


# Not frozen: a frozen dataclass costs a microsecond more to build, a million times.
@dataclass(slots=True)
class CheckedRow:
    line: int
    key: str  # the normalized match value (an email in lower case: emails match so)
    values: dict[str, object]  # target -> value or CLEAR; a missing target keeps its value


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int
    column: str | None  # the column's name in the header (the first of several to blame)
    message: str


def compile_plan(
    *,
    header: list[str],
    mapping: list[str],
    custom: Mapping[str, AttributeDefinition],
    member: Mapping[str, MemberAttributeDefinition] | None,
    match_on: str,
    clear_empty: bool,
) -> RowPlan:
    """The rules of each mapped column; ValidationError (keyed "mapping" or "match_on")
    when the mapping cannot work. `member`: the member attributes of the group imported
    into, None when there is no group."""
    if len(mapping) != len(header):
        raise ValidationError(
            {"mapping": "The mapping does not fit the file's columns; choose the file again."}
        )
    custom_by_name = {name.casefold(): d for name, d in custom.items()}
    member_by_name = None if member is None else {name.casefold(): d for name, d in member.items()}
    errors: list[str] = []
    columns: list[tuple[int, str, str, Rule]] = []
    seen: dict[str, str] = {}
    for index, (name, target) in enumerate(zip(header, mapping, strict=True)):
        if not target:
            continue
        column = name or f"Column {index + 1}"
        if target in seen:
            errors.append(
                f"The columns “{seen[target]}” and “{column}” are both mapped to "
                f"{target_label(target)}; ignore one of them."
            )
            continue
        seen[target] = column
        rule = _rule(target, column, custom_by_name, member_by_name, errors)
        if rule is not None:
            columns.append((index, target, column, rule))
    if errors:
        raise ValidationError({"mapping": errors})
    if not any(target in seen for target in IDENTIFIER_TARGETS):
        raise ValidationError(
            {
                "mapping": "Map a column to Email, Mobile Number, Mobile App Alias or "
                "External Identifier: contacts are found and created by one of them."
            }
        )
    if match_on not in IDENTIFIER_TARGETS:
        raise ValidationError({"match_on": "Choose what to match contacts on."})
    if match_on not in seen:
        raise ValidationError(
            {
                "match_on": f"Contacts are matched on {target_label(match_on)}, but no column "
                "is mapped to it."
            }
        )
    match_index = next(i for i, target, _, _ in columns if target == match_on)
    return RowPlan(
        header=list(header),
        columns=columns,
        match_on=match_on,
        match_index=match_index,
        clear_empty=clear_empty,
        answers=[{} for _ in columns],
    )


def _rule(
    target: str,
    column: str,
    custom: Mapping[str, AttributeDefinition],
    member: Mapping[str, MemberAttributeDefinition] | None,
    errors: list[str],
) -> Rule | None:
    if target in FIELD_RULES:
        return FIELD_RULES[target]
    if target == MEMBERSHIPS:
        return normalize_text  # read by the import job, which knows the groups
    if target.startswith(CUSTOM_PREFIX):
        name = target.removeprefix(CUSTOM_PREFIX)
        definition: AttributeDefinition | MemberAttributeDefinition | None
        definition = custom.get(name.casefold())
        if definition is None:
            errors.append(
                f"The column “{column}” is mapped to the custom attribute “{name}”, which "
                "does not exist. An Admin can create it, or ignore the column."
            )
            return None
        return attribute_parser(definition)
    if target.startswith(MEMBER_PREFIX):
        name = target.removeprefix(MEMBER_PREFIX)
        if member is None:
            errors.append(
                f"The column “{column}” is a member attribute: choose a group to import "
                "into, or ignore the column."
            )
            return None
        definition = member.get(name.casefold())
        if definition is None:
            errors.append(
                f"The group has no member attribute “{name}” (column “{column}”); "
                "ignore the column."
            )
            return None
        return attribute_parser(definition)
    if target not in PROFILE_FIELD_NAMES:
        errors.append(f"The column “{column}” is mapped to an unknown field ({target}).")
    return None


def check_row(plan: RowPlan, line: int, cells: list[str]) -> CheckedRow | Rejection:
    """The values of one row, normalized by the rule of each column, or why it is rejected."""
    if len(cells) != len(plan.header):
        count = f"{len(cells):,} value" + ("" if len(cells) == 1 else "s")
        return Rejection(
            line, None, f"This row has {count} but the header has {len(plan.header):,} columns."
        )
    values: dict[str, object] = {}
    # Every cell is checked: a row is rejected with all that is wrong with it, so that
    # one correction of the file is enough.
    problems: list[tuple[str, str]] = []  # (column, message)
    for (index, target, column, rule), answers in zip(plan.columns, plan.answers, strict=True):
        cell = cells[index]
        # Most columns repeat a few values (titles, countries, time zones, first names):
        # what a cell's text gave is remembered for the first values met, and a look-up
        # costs a fraction of the work below. The rules depend on the text alone (a value
        # a rule accepted, it accepts again), so the value is still the rule's own.
        value = answers.get(cell, _UNKNOWN)
        if value is not _UNKNOWN:
            values[target] = value
            continue
        raw = cell
        if raw[:1] == "'" and needs_neutralising(raw[1:]):
            # The export's (and a spreadsheet's) text prefix of a formula-like value: not
            # part of the value, so that an exported file imports back unchanged (as
            # docs/export-format.md asks of a reader). A cell that is only the prefix and
            # a tab is then empty.
            raw = raw[1:]
        if raw and not raw.isspace():
            try:
                value = rule(raw)
            except ValidationError as exc:
                problems.append((column, f"{column}: {' '.join(exc.messages)}"))
                continue
            if value is not None:
                if len(answers) < REMEMBERED_VALUES:
                    answers[cell] = value
                values[target] = value
                continue
        if index == plan.match_index:
            problems.append(
                (
                    column,
                    f"{column} is empty, but contacts are matched on it "
                    f"({target_label(plan.match_on)}).",
                )
            )
        elif plan.clear_empty:
            values[target] = CLEAR
    if problems:
        return Rejection(line, problems[0][0], " ".join(message for _, message in problems))
    key = str(values[plan.match_on])
    if plan.match_on == "email":
        key = key.lower()
    return CheckedRow(line, key, values)
