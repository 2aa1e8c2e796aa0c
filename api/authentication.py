"""Who calls: a personal access token (`Authorization: Bearer ...`) or the browser session."""

import hmac

from django.contrib.auth.models import User
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.models import ApiToken
from api.services import token_hash, token_split, token_touch

INVALID = "The token is not valid: it is unknown, expired or revoked."


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as: Authorization: Bearer <token>."
            )
        try:
            text = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        parts = token_split(text)
        if parts is None:
            raise exceptions.AuthenticationFailed(INVALID)
        token = ApiToken.objects.select_related("user").filter(prefix=parts[0]).first()
        if (
            token is None
            or not hmac.compare_digest(token.key_hash, token_hash(text))
            or not token.is_active
            or not token.user.is_active
        ):
            raise exceptions.AuthenticationFailed(INVALID)
        token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes an unauthenticated request a 401 (with this challenge), not a 403.
        return f'{self.keyword} realm="api"'


class SessionWithCsrfAuthentication(authentication.SessionAuthentication):
    """The logged-in browser session (the browsable API), with Django's CSRF check."""
