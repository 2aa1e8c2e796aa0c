"""DRF's content negotiation, with an unknown `?format=` answered 406 naming the formats
there are (DRF answered 404 "Not found.", as if the URL did not exist)."""

from collections.abc import Iterable

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class ContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(
        self, renderers: Iterable[BaseRenderer], format: str
    ) -> list[BaseRenderer]:
        renderers = list(renderers)
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise NotAcceptable(
                f"There is no format “{format[:40]}” here; format is one of: {formats} "
                "(or leave it out)."
            )
        return matching
