"""qinshui_station.session_store: Django's database sessions with the read compiled once; the same sessions."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_reads_its_session_and_person_once_each(client):
    person = factories.HRUserFactory()
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notifications/").status_code == 200
    sessions = [q["sql"] for q in queries if '"django_session"' in q["sql"]]
    people = [q["sql"] for q in queries if q["sql"].startswith('SELECT "qinshui_station_user"."id"')]
    assert (len(sessions), len(people)) == (1, 1)


def test_an_expired_or_deleted_session_signs_nobody_in(client):
    client.force_login(factories.HRUserFactory())
    assert client.get("/home/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/home/")
    assert (response.status_code, response.url.split("?")[0]) == (302, "/accounts/login/")
    client.force_login(factories.HRUserFactory())
    Session.objects.all().delete()
    assert client.get("/home/").status_code == 302


def test_an_unknown_session_key_signs_nobody_in_and_signing_in_issues_a_new_one(client):
    person = factories.HRUserFactory()
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/home/")
    assert (response.status_code, response.url.split("?")[0]) == (302, "/accounts/login/")
    response = client.post("/accounts/login/", {"username": person.username, "password": factories.PASSWORD})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert key != "x" * 32 and Session.objects.filter(session_key=key).exists()
    assert not Session.objects.filter(session_key="x" * 32).exists()
    assert client.get("/home/").status_code == 200
