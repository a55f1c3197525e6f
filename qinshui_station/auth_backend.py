"""Passwords are checked exactly as by Django's ModelBackend. Loading the signed-in person, which every page does,
is one SQL statement that also reads the data version, so a page served from the cache
(qinshui_station/page_cache.py) costs one round trip to the database, not two. The statement is written from the
model's own fields (so a new field is loaded too) and built once per process: the ORM's query compilation took
longer than the database did."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from qinshui_station import data_version


@cache
def _statement() -> tuple[str, list[str]] | None:
    model = get_user_model()
    fields = model._meta.concrete_fields
    if any(f.get_db_converters(connection) or connection.ops.get_db_converters(f.get_col(model._meta.db_table))
           for f in fields):
        return None  # a field whose database value needs converting: let the ORM load the person
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (f"SELECT {columns}, ({data_version.CURRENT_SQL}) FROM {quote(model._meta.db_table)} "
           f"WHERE {quote(model._meta.pk.column)} = %s")
    return sql, [f.attname for f in fields]


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        if _statement() is None:
            user = super().get_user(user_id)
            if user is not None:
                user.data_version_seen = data_version.current()
            return user
        sql, attnames = _statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = get_user_model().from_db(connection.alias, attnames, row[:-1])
        user.data_version_seen = row[-1]
        return user if self.user_can_authenticate(user) else None
