from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render


class MethodNotAllowedPage:
    """Give a 405 the app's error page: Django's own 405 has an empty body.

    The `Allow` header of the original answer is kept; it says which methods would work.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # A plain, empty 405 only: not a streamed answer, nor one with a body of its own.
        if (
            response.status_code != 405
            or not isinstance(response, HttpResponse)
            or response.content
        ):
            return response
        page = render(request, "405.html", status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page
