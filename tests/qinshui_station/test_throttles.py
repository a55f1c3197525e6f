"""Throttles on password-reset mail and registration (issue 15, finding 11: ten resets for one address in a
second sent ten mails). Counted in the database (qinshui_station.throttle), so they hold across worker
processes and parallel requests."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from qinshui_station.forms import (
    REGISTRATIONS_PER_ADDRESS,
    RESET_MAILS_PER_ACCOUNT,
    RESET_REQUESTS_PER_ADDRESS,
)
from qinshui_station.models import ThrottleEvent, User
from tests import factories
from tests.qinshui_station.test_accounts import _registration


def _reset(client, email, address="198.51.100.7"):
    response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")


@pytest.mark.django_db
def test_ten_resets_of_one_account_send_three_mails(client, unit_user, mailoutbox):
    for n in range(10):
        _reset(client, unit_user.email, address=f"198.51.100.{n}")
    assert len(mailoutbox) == RESET_MAILS_PER_ACCOUNT == 3
    assert {m.to[0] for m in mailoutbox} == {unit_user.email}


@pytest.mark.django_db
def test_one_address_asking_for_many_accounts_is_stopped(client, unit_user, mailoutbox):
    for n in range(RESET_REQUESTS_PER_ADDRESS):
        _reset(client, f"nobody{n}@example.cn")
    _reset(client, unit_user.email)
    assert mailoutbox == []
    _reset(client, unit_user.email, address="203.0.113.5")  # another address still gets its mail
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_throttle_keeps_no_address_or_email(client, unit_user):
    _reset(client, unit_user.email)
    keys = list(ThrottleEvent.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all(len(k) == 64 for k in keys)
    assert not ThrottleEvent.objects.filter(key__in=[unit_user.email, "198.51.100.7"]).exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_resets_of_one_account_send_three_mails():
    user = factories.UnitUserFactory()
    mail.outbox = []
    barrier = threading.Barrier(8)

    def run():
        try:
            barrier.wait()
            Client().post(reverse("password_reset"), {"email": user.email}, REMOTE_ADDR="198.51.100.7")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_registrations_from_one_address_are_limited(client):
    dept = factories.DepartmentFactory()
    for n in range(REGISTRATIONS_PER_ADDRESS):
        Client().post(reverse("register"), _registration(
            dept, name=f"沁水县新材料{n}有限公司", credit_code=factories.make_credit_code(), username=f"newunit{n}",
            email=f"u{n}@example.cn", contact_email=f"u{n}@example.cn"), REMOTE_ADDR="198.51.100.7")
    before = User.objects.count()
    assert before == REGISTRATIONS_PER_ADDRESS
    response = client.post(reverse("register"), _registration(dept, username="onemore", email="more@example.cn",
                                                              credit_code=factories.make_credit_code()),
                           REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    assert "同一网络地址一天内最多注册5个单位，请明天再试，或联系县人社局。" in response.content.decode()
    assert 'value="沁水县新材料有限公司"' in response.content.decode()  # what was typed is kept
    assert User.objects.count() == before


@pytest.mark.django_db
def test_one_email_registers_at_most_twice_a_day(client):
    dept = factories.DepartmentFactory()
    for n in range(2):
        Client().post(reverse("register"), _registration(dept, username=f"newunit{n}", name=f"沁水县新材料{n}有限公司",
                                                         credit_code=factories.make_credit_code()),
                      REMOTE_ADDR=f"198.51.100.{n}")
    assert User.objects.filter(username__startswith="newunit").count() == 2
    response = client.post(reverse("register"), _registration(dept, username="third", credit_code=factories.make_credit_code()),
                           REMOTE_ADDR="203.0.113.9")
    assert "该邮箱一天内已用于注册2次，请明天再试，或联系县人社局。" in response.content.decode()
    assert not User.objects.filter(username="third").exists()
