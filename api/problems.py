"""RFC 9457 problem details (application/problem+json) for every error of the API.

One shape: `type`, `title`, `status`, `detail`, and for invalid input `errors`, which maps
each field (a dotted path for nested ones; "__all__" for the request as a whole) to its
messages.
"""

import logging
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.uploads import multipart_problem

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Server error",
}


class ProblemSerializer(serializers.Serializer[Any]):
    """The error shape (for the schema)."""

    type = serializers.CharField(help_text="A URI naming the kind of problem.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    # The metaclass takes declared fields out of the class: Serializer.errors stays.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Invalid input: messages per field ("__all__": the request as a whole).',
    )
    existing_id = serializers.IntegerField(
        required=False, help_text="409 on create: the Contact ID that holds the identifier."
    )


def problem_body(code: int, detail: str, **extra: Any) -> dict[str, Any]:
    slug = TITLES.get(code, "Error").lower().replace(" ", "-")
    return {
        "type": f"/api/v1/problems/{slug}/",
        "title": TITLES.get(code, "Error"),
        "status": code,
        "detail": detail,
        **extra,
    }


def problem(code: int, detail: str, **extra: Any) -> Response:
    return Response(problem_body(code, detail, **extra), status=code, content_type=PROBLEM_TYPE)


def field_errors(detail: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail (or a Django ValidationError's dict) as {path: [messages]}."""
    errors: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = "__all__" if key in ("non_field_errors", "__all__", None) else str(key)
            for sub, messages in field_errors(value, f"{path}.{name}" if path else name).items():
                errors.setdefault(sub, []).extend(messages)
    elif isinstance(detail, list) and detail and not all(isinstance(d, str) for d in detail):
        for index, value in enumerate(detail):
            for sub, messages in field_errors(
                value, f"{path}.{index}" if path else str(index)
            ).items():
                errors.setdefault(sub, []).extend(messages)
    elif isinstance(detail, list):
        errors[path or "__all__"] = [str(d) for d in detail]
    elif detail:
        errors[path or "__all__"] = [str(detail)]
    return errors


def invalid(errors: Mapping[str, list[str]]) -> Response:
    first = next(iter(errors.values()), ["The input is not valid."])
    return problem(422, first[0] if first else "The input is not valid.", errors=dict(errors))


def django_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if k in ("__all__", None) else k): [str(m) for e in v for m in e.messages]
            for k, v in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response:
    """DRF's exception handler: every error becomes a problem (and nothing is kept)."""
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        return invalid(field_errors(exc.detail))
    if isinstance(exc, ValidationError):
        return invalid(django_errors(exc))
    if isinstance(exc, RequestDataTooBig):
        return problem(413, "The request body is too large.")
    if isinstance(exc, Http404):
        return problem(404, str(exc) or "Not found.")
    if isinstance(exc, PermissionDenied):
        return problem(403, str(exc) or "Your role does not allow this.")
    if isinstance(exc, exceptions.APIException):
        code = exc.status_code
        if code == status.HTTP_400_BAD_REQUEST and isinstance(exc, exceptions.ParseError):
            detail = _parse_problem(str(exc.detail), context)
        else:
            detail = str(exc.detail) if not isinstance(exc.detail, dict | list) else TITLES[code]
        response = problem(code, detail)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]  # set by DRF's view
        wait = getattr(exc, "wait", None)  # Throttled's seconds to wait (not in the stubs)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            response["Retry-After"] = str(max(1, int(wait + 0.999)))
        return response
    logger.exception("API request failed", exc_info=exc)
    return problem(500, "Something went wrong on our side; nothing was changed. Try again later.")


def _parse_problem(error: str, context: Mapping[str, Any]) -> str:
    """A body that could not be parsed, described as what it is: JSON or a multipart form."""
    request = context.get("request")
    content_type = str(getattr(request, "content_type", "") or "")
    if content_type.startswith("multipart/"):
        # DRF's "Multipart form parse error - <Django's message>".
        return multipart_problem(error.removeprefix("Multipart form parse error - "))
    return f"The body is not valid JSON: {error}"


@csrf_exempt
@login_not_required
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other URL under /api/: a problem, not the HTML page."""
    detail = "There is no API endpoint at this URL."
    if not request.path.endswith("/"):
        match = resolve(f"{request.path}/")
        if match.func is not not_found:
            detail += f" Did you mean {request.path}/ (with the slash at the end)?"
    return JsonResponse(
        problem_body(404, detail),
        status=404,
        content_type=PROBLEM_TYPE,
    )
