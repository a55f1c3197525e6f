"""Ending every session of one account (issue 15, finding 9: after HR deactivated and later reactivated an
account, its old session cookie opened the portal again).

Works with the database-backed session engines (``db`` and ``cached_db``, whichever SESSION_ENGINE names):
the sessions are read from their table and each is deleted through the engine's own store, so a cached copy
goes too. An engine without a table (``cache``, ``signed_cookies``) cannot list an account's sessions and is
refused when the portal starts (see :func:`check_engine`)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import checks
from django.utils import timezone


def _store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_sessions_of(user) -> int:
    """Delete every unexpired session signed in as ``user``; the number ended."""
    store_class = _store_class()
    model = store_class.get_model_class()
    ended = 0
    for key, data in (model.objects.filter(expire_date__gt=timezone.now())
                      .values_list("session_key", "session_data").iterator()):
        if str(store_class().decode(data).get(SESSION_KEY)) == str(user.pk):
            store_class(key).delete()
            ended += 1
    return ended


@checks.register(checks.Tags.security)
def check_engine(app_configs=None, **kwargs):
    if not hasattr(_store_class(), "get_model_class"):
        return [checks.Error("SESSION_ENGINE must keep sessions in the database (db or cached_db): deactivating "
                             "an account ends its sessions by reading them there.", id="qinshui_station.E001")]
    return []
