"""All Contacts: one listing view (full page or the results partial for htmx) and bulk delete."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contacts.filters import DEFAULT_SORT, SORTS, ContactFilter
from contacts.forms import ContactSelectionForm
from contacts.models import Contact
from contacts.services import contacts_delete
from contacts.views.helpers import list_url, page_size, paginate

SORTABLE_COLUMNS = [
    ("id", "ID"),
    ("email", "Email"),
    ("mobile", "Mobile Number"),
    (None, "Mobile App Alias"),
    ("first_name", "First Name"),
    ("last_name", "Last Name"),
    ("created", "Created"),
]


@permission_required("contacts.view_contact", raise_exception=True)
def contact_list(request: HttpRequest) -> HttpResponse:
    filterset = ContactFilter(request.GET, queryset=Contact.objects.all())
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    per_page = page_size(request)
    contacts = filterset.qs if filterset.is_valid() else Contact.objects.none()
    page = paginate(
        contacts.order_by(*SORTS[sort]), per_page=per_page, number=request.GET.get("page")
    )
    filter_query = request.GET.copy()
    filter_query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "sort": sort,
        "per_page": per_page,
        "page_sizes": settings.CONTACTS_PAGE_SIZES,
        "columns": [_column(key, label, sort) for key, label in SORTABLE_COLUMNS],
        "filter_query": filter_query.urlencode(),
        "max_id": Contact.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        "filtered": any(filterset.form.cleaned_data.values()) if filterset.is_valid() else True,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "contacts/_contact_list_results.html", context)
    return render(request, "contacts/contact_list.html", context)


def _column(key: str | None, label: str, current: str) -> dict:
    if key is None:
        return {"label": label, "sortable": False}
    direction = "ascending" if current == key else "descending" if current == f"-{key}" else None
    return {
        "label": label,
        "sortable": True,
        "direction": direction,
        "next_sort": f"-{key}" if current == key else key,
    }


@require_POST
@permission_required("contacts.delete_contact", raise_exception=True)
def contact_bulk_delete(request: HttpRequest) -> HttpResponse:
    form = ContactSelectionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(list_url(request.POST.get("filter_query", "")))
    selection = form.selection()
    back = list_url(form.cleaned_data["filter_query"])
    if not form.cleaned_data["confirmed"]:
        return render(
            request,
            "contacts/contact_bulk_delete_confirm.html",
            {"form": form, "count": selection.count(), "back": back},
        )
    deleted = contacts_delete(actor=request.user, contacts=selection)
    if deleted:
        noun = "contact" if deleted == 1 else "contacts"
        messages.success(request, f"{deleted:,} {noun} deleted.")
    else:
        messages.warning(request, "The selected contacts no longer exist; nothing was deleted.")
    return redirect(back)
