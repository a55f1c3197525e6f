"""Django's ModelBackend, with what every signed-in page shows of the person loaded in the same query: the
organization (in the menu) and how many notifications are unread (the menu's badge, counted up to
``UNREAD_SHOWN`` + 1 as ``notifications.unread_count`` counts them) — each cost a query of its own on every request
(docs/performance.md). The read runs on every signed-in request, so its SQL is compiled once a process
(``qinshui_station.prepared``)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Func, IntegerField, OuterRef

from qinshui_station.models import Notification, User
from qinshui_station.notifications import UNREAD_SHOWN
from qinshui_station.prepared import Rows

_UNREAD = (Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True).order_by()
           .values("pk")[: UNREAD_SHOWN + 1])  # the index's first entries, no sort (as unread_count reads them)

_PERSON = Rows(lambda *, pk: User._default_manager.select_related("organization").annotate(
    _unread_notifications=Func(ArraySubquery(_UNREAD), function="cardinality", output_field=IntegerField()),
).filter(pk=pk)[:1], pk=int)


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = _PERSON.first(pk=user_id)
        except (TypeError, ValueError):  # a session naming no number
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
