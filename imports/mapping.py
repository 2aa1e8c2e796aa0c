"""Column targets (interim version: wip/import-read owns this module)."""

import re
from collections.abc import Collection, Sequence

from contacts.models import PROFILE_FIELDS, PROFILE_LABELS

IDENTIFIER_TARGETS = ("email", "mobile_number", "app_alias", "external_id")
MEMBERSHIPS = "memberships"

_KNOWN = {field.export_name.lower(): field.name for field in PROFILE_FIELDS if field.export_name}
_KNOWN.update({field.label.lower(): field.name for field in PROFILE_FIELDS})
_KNOWN["group memberships"] = MEMBERSHIPS


def _simple(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_SIMPLE = {_simple(key): value for key, value in _KNOWN.items()}


def suggest_mapping(
    header: Sequence[str], *, custom_names: Collection[str], member_names: Collection[str]
) -> list[str]:
    result = []
    for name in header:
        lowered = name.strip().lower()
        target = _KNOWN.get(lowered) or _SIMPLE.get(_simple(name), "")
        if not target and lowered.startswith("user.customattribute."):
            target = "custom:" + name.strip()[len("user.CustomAttribute.") :]
        if not target and lowered.startswith("user.memberattribute."):
            target = "member:" + name.strip()[len("user.MemberAttribute.") :]
        result.append(target)
    return result


def target_label(target: str) -> str:
    if not target:
        return "Ignore"
    if target.startswith("custom:"):
        return f"Custom attribute {target[7:]}"
    if target.startswith("member:"):
        return f"Member attribute {target[7:]}"
    if target == MEMBERSHIPS:
        return "Group memberships"
    return PROFILE_LABELS.get(target, target)


def target_choices(
    *, custom_names: Collection[str], member_names: Collection[str]
) -> list[tuple[str, str]]:
    targets = ["", *(f.name for f in PROFILE_FIELDS if f.name != "identifier_type")]
    targets += [f"custom:{n}" for n in custom_names] + [f"member:{n}" for n in member_names]
    return [(t, target_label(t)) for t in [*targets, MEMBERSHIPS]]
