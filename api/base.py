"""The base of every API view: authentication, permissions, throttling and errors come
from the settings (REST_FRAMEWORK); this adds Idempotency-Key and the documented errors."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import idempotency
from api.problems import PROBLEM_TYPE, ProblemSerializer

# Every operation may answer these (authentication, role, throttle, negotiation, a bug).
COMMON_ERRORS = (400, 401, 403, 406, 429, 500)
WRITE_ERRORS = (413, 415, 422)

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Retry safely: the same key and body within 24 hours return the first answer.",
)


def problems(*codes: int) -> dict[tuple[int, str], OpenApiResponse]:
    """The documented error answers of an operation: COMMON_ERRORS and `codes`."""
    return {
        (code, PROBLEM_TYPE): OpenApiResponse(ProblemSerializer, description="A problem.")
        for code in sorted({*COMMON_ERRORS, *codes})
    }


class _Answered(Exception):
    """The answer is known before the handler runs (a replay of an Idempotency-Key)."""

    def __init__(self, response: Response) -> None:
        self.response = response


class ApiView(APIView):
    """`required_permissions`: {method: [Django permission, ...]} (see RolePermission)."""

    required_permissions: dict[str, list[str]] = {}
    _claim: idempotency.Claim | None = None

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        # DRF authenticates; LoginRequiredMiddleware would send a client to the login page.
        return login_not_required(super().as_view(**initkwargs))

    @property
    def user(self) -> User:
        """The authenticated user (the permission check ran before any handler)."""
        user: User = self.request.user  # type: ignore[assignment]  # see the docstring
        return user

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.AuthenticationFailed, exceptions.NotAuthenticated):
            # DRF throttles after it authenticates and checks the role, so a refused
            # request was never counted: guesses of a token had no limit. They count
            # against the caller's address, and past the rate the answer is 429.
            self.check_throttles(request)
            raise
        except exceptions.PermissionDenied:
            self.check_throttles(request)  # the token's (or session's) own bucket
            raise
        self._claim = idempotency.claim(request)
        if self._claim is not None and self._claim.answer is not None:
            raise _Answered(self._claim.answer)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _Answered):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        claim = self._claim
        if claim is not None and claim.row is not None and isinstance(response, Response):
            idempotency.store(claim.row, response)
        return super().finalize_response(request, response, *args, **kwargs)
