"""If-Match and If-None-Match (RFC 9110, section 13.1): one parser of their entity-tag lists.

If-Match compares strongly (a weak tag, W/"3", never matches); If-None-Match weakly. A
header that is not "*" or a list of entity-tags is malformed: the caller answers 400, not
412, since nothing was compared.
"""

import re
from dataclasses import dataclass
from typing import Literal

ANY: Literal["*"] = "*"
# One list element: an entity-tag or nothing (a list may hold empty elements), then a comma
# or the end. etagc: any visible character but the quote, and obs-text.
_ELEMENT = re.compile(r'[ \t]*(?:(W/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(?:,|\Z)')


class MalformedTags(ValueError):
    """The header is neither "*" nor a list of entity-tags."""

    def __init__(self, header: str) -> None:
        super().__init__(f'{header} must be * or a list of ETags in quotes, like "3" or "3", "4".')


@dataclass(frozen=True)
class EntityTag:
    weak: bool
    opaque: str  # between the quotes


def entity_tags(header: str, raw: str) -> list[EntityTag] | Literal["*"]:
    """The tags of header `header` with value `raw`, or ANY; MalformedTags if it is neither."""
    if raw.strip(" \t") == ANY:
        return ANY
    tags, position = [], 0
    while position < len(raw):
        element = _ELEMENT.match(raw, position)
        if element is None or element.end() == position:
            raise MalformedTags(header)
        if element.group(2) is not None:
            tags.append(EntityTag(weak=bool(element.group(1)), opaque=element.group(2)))
        position = element.end()
    if not tags:
        raise MalformedTags(header)
    return tags


def strong_match(tags: list[EntityTag] | Literal["*"], opaque: str) -> bool:
    """If-Match: "*" or any strong tag equal to the current one."""
    return tags == ANY or any(not tag.weak and tag.opaque == opaque for tag in tags)


def weak_match(tags: list[EntityTag] | Literal["*"], opaque: str) -> bool:
    """If-None-Match: "*" or any tag, weak or strong, equal to the current one."""
    return tags == ANY or any(tag.opaque == opaque for tag in tags)
