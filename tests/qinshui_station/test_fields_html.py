"""The steps' fields written by ``qinshui_station.fields_html`` read exactly as crispy-forms writes
them: label and required mark, control with its value, classes and aria attributes, errors, help text."""

import re

import pytest
from django import forms
from django.template import Context, Template

from applications.forms import PublicityForm, RecognitionForm, ResolveObjectionForm
from qinshui_station.fields_html import fields_html


def _same_markup(html: str) -> str:
    """Whitespace between tags and the order of attributes do not change what a browser reads."""
    html = re.sub(r"\s*<\s*", "<", re.sub(r"\s*>\s*", ">", re.sub(r"\s+", " ", html))).strip()
    return re.sub(r"<(\w+)([^>]*)>", lambda m: "<" + m.group(1) + " " + " ".join(
        sorted(re.findall(r'[\w-]+(?:="[^"]*")?', m.group(2)))) + ">", html)


def _both(make):
    crispy = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": make()}))
    return _same_markup(crispy), _same_markup(fields_html(make()))


class Several(forms.Form):
    name = forms.CharField(label="名称 <b>", max_length=20, help_text="<em>必填</em>")
    count = forms.IntegerField(label="人数", required=False, min_value=1)
    email = forms.EmailField(label="邮箱", required=False, widget=forms.EmailInput(attrs={"class": "wide"}))
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


@pytest.mark.parametrize("make", [
    lambda: PublicityForm(initial={"starts_on": "2028-01-02"}),
    lambda: PublicityForm({"starts_on": "x", "how_to_object": '<b>"异议"</b> & 电话'}),
    lambda: PublicityForm({"starts_on": "2028-01-02", "how_to_object": "书面提出"}),
    lambda: Several(),
    lambda: Several({"name": "", "count": "0", "email": "no", "notes": "<script>"}),
    lambda: Several({"name": "甲" * 21, "count": "3", "email": "a@b.cn", "notes": ""}),
])
def test_text_date_number_and_text_area_fields_read_as_crispy_writes_them(make):
    crispy, plain = _both(make)
    assert plain == crispy


def test_a_bound_form_keeps_what_was_typed_and_says_what_is_wrong_at_the_field():
    form = Several({"name": "", "count": "0", "email": "no", "notes": "<script>"})
    form.is_valid()
    html = str(fields_html(form))
    assert '<textarea name="notes" cols="40" rows="2" class="textarea form-control" id="id_notes">\n&lt;script&gt;' in html
    assert ('<input type="number" name="count" value="0" min="1" class="numberinput form-control is-invalid" '
            'aria-invalid="true" aria-describedby="id_count_error" id="id_count">') in html
    assert 'class="wide emailinput form-control is-invalid"' in html
    assert '<label for="id_name" class="form-label requiredField">名称 &lt;b&gt;<span class="asteriskField">*</span>' \
        in html


@pytest.mark.parametrize("make", [lambda: RecognitionForm(), lambda: ResolveObjectionForm(auto_id="objection7_%s")])
def test_a_form_with_other_fields_goes_through_crispy(make):
    crispy, plain = _both(make)
    assert plain == crispy
    assert 'type="checkbox"' in plain or 'type="radio"' in plain
