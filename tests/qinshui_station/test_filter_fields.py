"""The filter forms' fields written by one function (qinshui_station/fields_html.py) read exactly as crispy-forms
writes them: label, control, selected option, the errors with aria-invalid and aria-describedby."""

import re

import pytest
from django import forms
from django.template import Context, Template

from funding.forms import LedgerFilterForm
from qinshui_station.forms import AuditFilterForm
from tests import factories


def _same_markup(html: str) -> str:
    """Whitespace between tags and the order of attributes do not change what a browser reads."""
    html = re.sub(r"\s*<\s*", "<", re.sub(r"\s*>\s*", ">", re.sub(r"\s+", " ", html))).strip()
    return re.sub(r"<(\w+)([^>]*)>", lambda m: "<" + m.group(1) + " " + " ".join(
        sorted(re.findall(r'[\w-]+(?:="[^"]*")?', m.group(2)))) + ">", html)


def _both(form):
    crispy = Template("{% load crispy_forms_tags %}{% for f in form %}{{ f|as_crispy_field }}{% endfor %}")
    plain = Template("{% load form_fields %}{% for f in form %}{{ f|form_field }}{% endfor %}")
    return (_same_markup(crispy.render(Context({"form": form}))),
            _same_markup(plain.render(Context({"form": form}))))


@pytest.mark.parametrize("data", [None, {"object_type": "funding.grant", "q": "<b>水</b>", "actor": "expert"},
                                  {"object_type": "nothing", "actor": "999999"}])
def test_the_audit_filter_reads_as_crispy_writes_it(db, data):
    expert = factories.ExpertFactory(full_name="专家甲")
    if data and data["actor"] == "expert":
        data = {**data, "actor": str(expert.pk)}
    crispy, plain = _both(AuditFilterForm(data))
    assert plain == crispy
    assert "专家甲" in plain
    if data and data["actor"] == "999999":
        assert plain.count('aria-invalid="true"') == 2 and "invalid-feedback" in plain
    elif data:
        assert f'<option selected value="{expert.pk}">' in plain


@pytest.mark.parametrize("data", [None, {"batch": "2024", "state": "approved"}, {"batch": "1999", "department": "x"}])
def test_the_ledger_filter_reads_as_crispy_writes_it(db, data):
    factories.DepartmentFactory(name="能源局")
    crispy, plain = _both(LedgerFilterForm(data, years=[2025, 2024]))
    assert plain == crispy
    if data and data.get("batch") == "2024":
        assert '<option selected value="2024">' in plain


def test_a_field_it_does_not_write_goes_through_crispy():
    class Required(forms.Form):
        name = forms.CharField(label="名称", help_text="必填")

    crispy, plain = _both(Required())
    assert plain == crispy


def test_the_audit_filters_kinds_are_named_in_each_language(db):
    """对象类型 offered the score rows by their class names (accepted count, self score…) in the Chinese page."""
    from django.utils import translation

    with translation.override("zh-hans"):
        zh = dict(AuditFilterForm().fields["object_type"].choices)
    with translation.override("en"):
        en = dict(AuditFilterForm().fields["object_type"].choices)
    assert [label for label in zh.values() if not re.search(r"[\u4e00-\u9fff]", label)] == []
    assert [label for label in en.values() if re.search(r"[\u4e00-\u9fff]", label)] == []
    assert (zh["reviews.acceptedcount"], en["reviews.acceptedcount"]) == ("专家认定数量", "count accepted by the expert")
