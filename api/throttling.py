"""A rate per token (per user for the session), answered by 429 with Retry-After."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken

if TYPE_CHECKING:  # DRF's views import the permission and throttle classes of the settings
    from rest_framework.views import APIView


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self) -> None:
        self.cache = caches["api"]
        super().__init__()

    def get_rate(self) -> str:
        return str(settings.API_THROTTLE_RATE)

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if isinstance(request.auth, ApiToken):
            return f"api-throttle:token:{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"api-throttle:user:{request.user.pk}"
        return f"api-throttle:ip:{self.get_ident(request)}"
