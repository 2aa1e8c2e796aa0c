"""API tokens (under the user menu): the user's tokens, create one (shown once), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from api import selectors
from api.forms import TokenCreateForm
from api.services import token_create, token_revoke
from core.views import AppRequest, require_safe_or_post


@require_safe_or_post
def token_list(request: AppRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, created = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                read_only=form.cleaned_data["access"] == "read_only",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenCreateForm()
    context = {"form": form, "created": created, "tokens": selectors.tokens_of(request.user)}
    status = 201 if created else 200
    return render(request, "api/token_list.html", context, status=status)


@require_POST
def token_revoke_view(request: AppRequest, token_id: int) -> HttpResponse:
    if token_revoke(actor=request.user, token_id=token_id):
        messages.success(request, "The token was revoked; it no longer works.")
    else:
        messages.warning(request, "This token does not exist or was revoked already.")
    return redirect("api_tokens:list")
