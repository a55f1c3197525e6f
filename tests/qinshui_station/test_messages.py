"""Messages read as natural Chinese and name their field (issue 14, item 16). Password-validator messages
are issue 15's."""


import pytest
from django.urls import reverse
from django.utils import timezone

from applications.workflow import State
from tests.applications.factories import application_in

pytestmark = pytest.mark.django_db


def test_an_empty_objection_names_each_missing_field(client):
    app = application_in(State.PUBLICITY, publicity_starts=timezone.localdate())
    response = client.post(reverse("applications:publicity_detail", args=[app.batch.year]),
                           {"application": "", "name": "", "phone": "", "content": ""})
    errors = response.context["form"].errors
    assert errors == {"application": ["请选择“异议对象（工作站）”。"], "name": ["请填写“您的姓名”。"],
                      "phone": ["请填写“您的联系电话”。"], "content": ["请填写“异议内容”。"]}
    html = response.content.decode()
    assert "这个字段是必填项" not in html and "具有" not in html


def test_django_stock_messages_read_naturally():
    from django import forms

    class F(forms.Form):
        email = forms.EmailField()
        n = forms.IntegerField(min_value=1)

    form = F({"email": "x", "n": "0"})
    assert form.errors == {"email": ["请输入有效的邮箱地址，如 name@example.cn。"], "n": ["不能小于1。"]}
