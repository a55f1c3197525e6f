"""Limits on what a request may carry (SPEC.md "Limits"; docs/security.md, issue 15 findings 3 and 4).

- The body: ``REQUEST_MAX_BYTES`` in all (uploads included; Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds
  the part that is not files). A larger request is answered 413 before anything reads it.
- The query string: a parameter holding a NUL byte or another control character, or longer than
  ``QUERY_VALUE_MAX_CHARS``, is answered 400. PostgreSQL cannot store or compare a NUL byte, so such a value
  used to reach the database and end as a server error on every list page with a search box.
- A posted field holding a NUL byte is answered 400 too (a form would refuse it at the field, but some
  reasons are read straight from the request).

Year parameters are bounded by :func:`year_param` (SPEC.md: 2023–2100), where the view reads them.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.shortcuts import render

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
QUERY_VALUE_MAX_CHARS = 500
FIRST_YEAR, LAST_YEAR = 2023, 2100


def _refuse(request, status: int):
    return render(request, f"errors/{status}.html", {"limit_mb": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                  status=status)


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(request, 400)
        if length > settings.REQUEST_MAX_BYTES:
            return _refuse(request, 413)
        for key, values in request.GET.lists():
            for text in (key, *values):
                if CONTROL.search(text) or len(text) > QUERY_VALUE_MAX_CHARS:
                    return _refuse(request, 400)
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                 "multipart/form-data"):
            for key, values in request.POST.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return _refuse(request, 400)
        return self.get_response(request)


def year_param(request, name: str = "year", default: int | None = None) -> int | None:
    """The year in ``request.GET[name]`` when it is one the portal knows (2023–2100), else ``default``."""
    text = request.GET.get(name, "")
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return default
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else default
