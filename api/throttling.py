"""A rate per token (per user for the session), answered by 429 with Retry-After."""

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from core.client_ip import client_ip

if TYPE_CHECKING:  # DRF's views import the permission and throttle classes of the settings
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)


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
        # Not DRF's get_ident: it trusts the client's own X-Forwarded-For, a new address
        # for every guess of a token.
        return f"api-throttle:ip:{client_ip(request._request)}"

    def allow_request(self, request: Request, view: "APIView") -> bool:
        # Redis down must not take the API down with it: the rate is not kept meanwhile.
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("API throttle counters unavailable; request let through")
            return True
