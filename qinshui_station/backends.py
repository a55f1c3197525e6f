"""Django's ModelBackend, with the signed-in person's organization loaded in the same query: every page shows it in
the menu, which cost a second query on every request (docs/performance.md). The read runs on every signed-in
request, so its SQL is compiled once a process (``qinshui_station.prepared``)."""

from django.contrib.auth.backends import ModelBackend

from qinshui_station.models import User
from qinshui_station.prepared import Rows

_PERSON = Rows(lambda *, pk: User._default_manager.select_related("organization").filter(pk=pk)[:1], pk=int)


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = _PERSON.first(pk=user_id)
        except (TypeError, ValueError):  # a session naming no number
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
