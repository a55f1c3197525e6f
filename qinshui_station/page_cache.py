"""Rendered pages kept under the database's data version (``qinshui_station.data_version``).

A page is served from the cache only when nothing it could show has changed: the key holds the data version
(changed by PostgreSQL at the commit of any write), the person (id, role, organization), the full path with its
query, the language and today's date in Asia/Shanghai (deadlines and "days left" move at midnight). Entries
also expire after ``PAGE_CACHE_SECONDS`` so that relative times ("3 天前") never drift far.

What differs between two requests of the same person for the same data is put back on every hit: the CSRF
token of each form is stored as a placeholder and replaced by a fresh token for this request's secret. A page
that has messages to show, sets a cookie, or answers anything but 200 is never stored; a request whose own
transaction has written something is never served from or into the cache.

Only views whose GET has no side effect and whose page depends on nothing else (no session data, no time of
day) take the decorator; it goes inside ``role_required`` so that a cached page never skips the role check."""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from qinshui_station import data_version

CACHE_ALIAS = "pages"
_UNREAD = object()
PLACEHOLDER = b"\x00qs-csrf\x00"
CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
# Memory stays bounded whatever URLs are asked for (anyone can vary ?q= on the public pages): at most
# PAGE_CACHE_ENTRIES pages (settings) of at most LARGEST bytes each per worker process, 128 MB with the defaults.
# Pages here are 20–60 KB; a bigger one is rendered each time.
LARGEST = 256 * 1024


def _key(request, view_name: str, version: str) -> str:
    user = request.user
    person = (user.pk, user.role, user.organization_id) if user.is_authenticated else (None, None, None)
    parts = (view_name, request.get_full_path(), person, translation.get_language(),
             timezone.localdate().isoformat(), version)
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _has_messages(request) -> bool:
    return len(messages.get_messages(request)) > 0  # counting does not mark them as shown


def cached_page(view):
    view_name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD") or _has_messages(request)):
            return view(request, *args, **kwargs)
        # read with the person at the start of this request (auth_backend.py), before any of the page's data
        version = getattr(request.user, "data_version_seen", _UNREAD)
        if version is _UNREAD:
            version = data_version.current()
        if version is None:
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _key(request, view_name, version)
        stored = cache.get(key)
        if stored is not None:
            body, content_type = stored
            return HttpResponse(body.replace(PLACEHOLDER, get_token(request).encode()), content_type=content_type)
        response = view(request, *args, **kwargs)
        if (response.status_code == 200 and isinstance(response, HttpResponse) and not response.cookies
                and len(response.content) <= LARGEST and not _has_messages(request)):
            body = CSRF_VALUE.sub(rb"\1" + PLACEHOLDER + rb"\3", response.content)
            cache.set(key, (body, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
