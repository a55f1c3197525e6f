"""Passwords are checked exactly as by Django's ModelBackend. Loading the signed-in person on each request also
reads the data version in the same statement, so a page served from the cache (qinshui_station/page_cache.py)
costs one round trip to the database, not two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models.expressions import RawSQL

from qinshui_station import data_version


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            data_version_seen=RawSQL(data_version.CURRENT_SQL, ()))
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
