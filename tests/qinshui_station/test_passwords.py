"""New passwords (issue 15, finding 12): the published demo password, a pinyin or word with a simple number,
a run of one letter, and passwords like the person's login name, name, e-mail or unit's name are refused,
in Chinese that names the field. Demo accounts (made with set_password) keep the published password."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qinshui_station.demo import DEMO_PASSWORD
from qinshui_station.models import User
from qinshui_station.passwords import PUBLISHED
from qinshui_station.roles import Role
from tests import factories
from tests.qinshui_station.test_accounts import _registration

pytestmark = pytest.mark.django_db


def _register(client, password, **over):
    dept = factories.DepartmentFactory()
    response = client.post(reverse("register"), _registration(dept, password1=password, password2=password, **over))
    return response


@pytest.mark.parametrize("password,message", [
    ("Qinshui@2026", "这是公开发布过的密码（演示账号的密码），任何人都知道，请换一个。"),
    ("wang12345", "密码由常见的拼音或单词加简单的数字组成（如 wang12345），容易被猜中，请换一个。"),
    ("Zhang@1990", "密码由常见的拼音或单词加简单的数字组成（如 wang12345），容易被猜中，请换一个。"),
    ("aaaaaaaaaaaa", "密码只用了1个不同的字符（如 aaaaaaaa），容易被猜中，请至少用5个不同的字符。"),
])
def test_registration_refuses_published_and_common_passwords(client, password, message):
    response = _register(client, password)
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [message]
    assert not User.objects.filter(username="newunit").exists()


@pytest.mark.parametrize("password,field", [
    ("newunit#2026!", "登录账号"),
    ("李四Hq7#vTz!", "姓名"),
    ("shenbao-mail!9", "邮箱"),
    ("沁水县新材料有限公司", "单位名称"),
])
def test_registration_refuses_a_password_like_the_persons_or_units_name(client, password, field):
    response = _register(client, password, email="shenbao-mail@example.cn", contact_email="shenbao-mail@example.cn")
    assert response.context["form"].errors["password1"] == [f"密码与您的{field}太相似，容易被猜中，请换一个。"]
    assert "太相似了" not in response.content.decode()  # Django's own “密码跟 用户名 太相似了。”
    assert not User.objects.filter(username="newunit").exists()


def test_registration_takes_a_strong_password(client):
    assert _register(client, "Hq7#vTz!m2Lp").status_code == 302
    assert User.objects.get(username="newunit").check_password("Hq7#vTz!m2Lp")


def test_hr_cannot_give_a_new_account_the_demo_password(client, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("staff_users"), {
        "role": Role.DEPARTMENT, "organization": factories.DepartmentFactory().pk, "username": "gyj_chen",
        "full_name": "陈静", "email": "chen@example.cn", "password": "Qinshui@2026"})
    assert response.context["form"].errors["password"] == [
        "这是公开发布过的密码（演示账号的密码），任何人都知道，请换一个。"]
    assert not User.objects.filter(username="gyj_chen").exists()


def test_hr_cannot_give_a_new_account_its_own_name_as_password(client, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("staff_users"), {
        "role": Role.DEPARTMENT, "organization": factories.DepartmentFactory().pk, "username": "gyj_chen",
        "full_name": "陈静", "email": "chen@example.cn", "password": "gyj_chen_2026"})
    assert response.context["form"].errors["password"] == ["密码与您的登录账号太相似，容易被猜中，请换一个。"]


def test_changing_ones_password_to_the_demo_password_is_refused(client, unit_user):
    client.force_login(unit_user)
    response = client.post(reverse("password_change"), {
        "old_password": factories.PASSWORD, "new_password1": "Qinshui@2026", "new_password2": "Qinshui@2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [
        "这是公开发布过的密码（演示账号的密码），任何人都知道，请换一个。"]


def test_the_demo_password_is_the_published_one():
    assert DEMO_PASSWORD.lower() in PUBLISHED
