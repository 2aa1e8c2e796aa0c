"""The API's JSON renderer: DRF's, with every answer encodable as UTF-8.

A JSON body may hold a lone UTF-16 surrogate ("\\ud800"); the decoder keeps it in the
string, and an error message echoing the value then failed to encode (a 500 in HTML instead
of the problem). Such an answer is written with \\u escapes: the same JSON, plain ASCII.
"""

from typing import Any

from rest_framework import renderers


class AsciiJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True


class JSONRenderer(renderers.JSONRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            # Only a surrogate cannot be encoded: the rare answer holding one is escaped,
            # the others keep their characters as they are.
            return AsciiJSONRenderer().render(data, accepted_media_type, renderer_context)
