"""Deactivating an account ends all its sessions (issue 15, finding 9): after HR deactivated and later
reactivated an account, the old session cookie opened /home/ again."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from qinshui_station import services
from qinshui_station.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    return client


def test_the_old_session_does_not_come_back_after_reactivation(client, hr_user):
    user = factories.DepartmentUserFactory()
    laptop, phone = _signed_in(user), _signed_in(user)
    bystander = _signed_in(factories.DepartmentUserFactory())
    client.force_login(hr_user)
    client.post(reverse("staff_user_toggle", args=[user.pk]))  # deactivate
    client.post(reverse("staff_user_toggle", args=[user.pk]))  # reactivate
    user.refresh_from_db()
    assert user.is_active
    for old in (laptop, phone):
        response = old.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert bystander.get(reverse("home")).status_code == 200
    entry = AuditEntry.objects.get(action="deactivate", object_id=str(user.pk))
    assert entry.data == {"sessions_ended": 2}


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.db",
                                    "django.contrib.sessions.backends.cached_db"])
def test_deactivation_deletes_the_sessions_whatever_the_database_engine(settings, hr_user, engine):
    settings.SESSION_ENGINE = engine
    user = factories.ExpertFactory()
    _signed_in(user)
    _signed_in(user)
    assert Session.objects.count() == 2
    services.set_user_active(actor=hr_user, user_id=user.pk, active=False)
    assert Session.objects.count() == 0


def test_an_engine_without_a_table_is_refused_by_the_checks(settings):
    from qinshui_station.sessions import check_engine

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    assert [e.id for e in check_engine()] == ["qinshui_station.E001"]
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert check_engine() == []
