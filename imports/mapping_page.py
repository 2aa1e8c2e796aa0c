"""The mapping page of a draft import: the file read with the chosen dialect, and its form.

The page is built from the stored file each time (the first rows only), so changing the
encoding, delimiter or quote character shows at once what the import would read.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import QueryDict

from contacts.models import Group
from contacts.selectors import groups_manageable_by
from core.ids import parse_id
from imports.forms import DELIMITERS, ENCODINGS, QUOTECHARS, ImportMappingForm
from imports.mapping import suggest_mapping, unrecognised
from imports.models import ImportJob
from imports.reading import ImportFileError
from imports.selectors import attribute_names, import_preview

# Who may create a custom attribute from the mapping page (imports.services checks it too).
CREATE_ATTRIBUTES_PERMISSION = "contacts.add_attributedefinition"


@dataclass
class MappingPage:
    form: ImportMappingForm
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, cells)
    problem: str = ""
    unrecognised: list[str] = field(default_factory=list)  # product-like names that are none


def _dialect(job: ImportJob, data: QueryDict | None) -> dict[str, str]:
    """The job's dialect, or the one the user chose among those the reader knows."""
    chosen = {
        "encoding": job.encoding,
        "delimiter": job.delimiter,
        "quotechar": job.quotechar,
    }
    if data is not None:
        for name, known in (
            ("encoding", ENCODINGS),
            ("delimiter", DELIMITERS),
            ("quotechar", QUOTECHARS),
        ):
            value = data.get(name, "")
            if value in {v for v, _ in known}:
                chosen[name] = value
    return chosen


def _group(job: ImportJob, data: QueryDict | None, groups: QuerySet[Group]) -> Group | None:
    if data is None:
        return job.group
    group_id = parse_id(data.get("group", ""))
    return groups.filter(pk=group_id).first() if group_id else None


def mapping_page(
    *, job: ImportJob, user: User, data: QueryDict | None = None, bound: bool = False
) -> MappingPage:
    """The form of the mapping page: unbound (first visit, or after "Show the file again"),
    or bound to what the user sent (Validate, Import)."""
    groups = groups_manageable_by(user)
    dialect = _dialect(job, data)
    problem = ""
    try:
        preview = import_preview(job, **dialect)
        header, rows = list(preview.header), list(preview.rows)
        problem = preview.problem or ""
    except ImportFileError as exc:
        header, rows, problem = [], [], exc.message
    group = _group(job, data, groups)
    custom_names, member_names = attribute_names(group=group)
    if header == list(job.header) and data is None:
        suggested = list(job.mapping)
    else:
        suggested = suggest_mapping(header, custom_names=custom_names, member_names=member_names)
    initial: dict[str, Any] = {**dialect, "group": group}
    if data is None:
        initial.update(
            match_on=job.match_on or None,
            mode=job.mode,
            empty_cells=job.empty_cells,
            skip_existing_members=job.skip_existing_members,
            skip_inactive_members=job.skip_inactive_members,
        )
        initial = {key: value for key, value in initial.items() if value is not None}
    elif not bound:
        # "Show the file again": keep what the user chose apart from the columns.
        for name in ("match_on", "mode", "empty_cells"):
            if data.get(name):
                initial[name] = data[name]
        for name in ("skip_existing_members", "skip_inactive_members"):
            initial[name] = bool(data.get(name))
    form = ImportMappingForm(
        data if bound else None,
        initial=initial,
        header=header,
        suggested=suggested,
        custom_names=custom_names,
        member_names=member_names,
        groups=groups,
        can_create_attributes=user.has_perm(CREATE_ATTRIBUTES_PERMISSION),
    )
    return MappingPage(form=form, rows=rows, problem=problem, unrecognised=unrecognised(header))
