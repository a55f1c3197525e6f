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


@pytest.mark.parametrize(("form_class", "expected"), [
    ("applications.forms.BatchForm", {"year": "请填写“年度”。"}),
    ("reviews.forms.WindowForm", {"opens_on": "请选择“申报开始日期”。", "closes_on": "请选择“申报截止日期”。"}),
    ("funding.forms.DisburseForm", {"disbursed_on": "请选择“拨付日期”。", "voucher_number": "请填写“记账凭证号”。"}),
    ("funding.forms.UpholdForm", {"recovery_amount": "请填写“应追回金额（元）”。"}),
    ("funding.forms.RecoveredForm", {"recovered_on": "请选择“追回日期”。", "voucher_number": "请填写“缴款凭证号”。"}),
])
def test_the_offices_forms_name_each_empty_box(form_class, expected):
    """The forms of the county's offices said Django's 请填写此项。 for an empty box (a choice or a date too)."""
    from django.utils.module_loading import import_string

    form = import_string(form_class)(data={})
    form.is_valid()
    assert {field: form.errors[field][0] for field in expected} == expected
