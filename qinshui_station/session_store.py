"""The session engine (``SESSION_ENGINE``): Django's database sessions, the session read on every signed-in
request compiled once a process (``qinshui_station.prepared``, docs/performance.md "Compiled once"). Everything else
— saving, rotating, deleting, expiry — is Django's ``db`` engine unchanged; the row read is the same row."""

import datetime as dt

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from qinshui_station.prepared import Rows

_CURRENT = Rows(lambda *, key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
                key=str, now=dt.datetime)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        row = _CURRENT.first(key=self.session_key, now=timezone.now())
        if row is None:
            self._session_key = None
        return row
