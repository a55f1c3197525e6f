"""``{% assign_experts %}`` (applications/templatetags/application_tags.py) writes, byte for byte and in both
languages, what ``applications/_assign_experts.html`` writes: the batch page's form (application and expert boxes)
and an application's (experts only, those who may not review listed with why), fresh or refused with its messages
at its fieldsets and above, the messages left for the form and not the others, every value escaped."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.http import QueryDict
from django.utils import translation
from django.utils.safestring import mark_safe

from applications.forms import AssignExpertForm
from applications.views.filing import ExpertRow
from applications.workflow import State
from tests.applications.factories import application_in
from tests.rendering import render as _render

# Django's own {% csrf_token %} given "NOTPROVIDED" (one of the cases compared) warns of its own deprecation
pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Calling format_html")]

NASTY = '<b>"甲"</b> & 乙'
INCLUDE = '{% include "applications/_assign_experts.html" with action_app=action_app %}'
WRITER = "{% load application_tags %}{% assign_experts action_app %}"


def _refused(several: bool) -> AssignExpertForm:
    data = QueryDict(mutable=True)
    if several:
        data["several"] = "1"
    form = AssignExpertForm(data)
    assert not form.is_valid()  # no expert ticked (and, from the batch page, no application)
    form.add_error(None, NASTY)
    return form


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_form_reads_as_the_template_wrote_it(language):
    app = application_in(State.EXPERT_REVIEW)
    boxes = mark_safe('<div class="form-check"><input type="checkbox" name="expert" value="1"> 专家</div>')
    messages = [Message(constants.ERROR, NASTY, extra_tags="at-assign-experts"),
                Message(constants.SUCCESS, "已分配", extra_tags="at-assign-experts"),
                Message(constants.INFO, "别处", extra_tags="at-elsewhere"), Message(constants.WARNING, "顶部")]
    unavailable = [(ExpertRow(1, NASTY, "高工", "expert", True, 3, "<单位>"), "任职于申报单位&"),
                   (ExpertRow(2, "李四", "", "expert", True, 4, "乙公司"), "已分配")]
    contexts = [
        {"action_app": {"pk": app.pk}, "batch": app.batch, "application_boxes": boxes, "expert_boxes": boxes},
        {"action_app": {"pk": app.pk}, "batch": app.batch, "application_boxes": boxes, "expert_boxes": boxes,
         "assign_form": _refused(True), "messages": messages, "csrf_token": 'tok"<en>'},
        {"action_app": app, "expert_boxes": boxes, "experts_unavailable": unavailable,
         "assign_form": AssignExpertForm(), "csrf_token": "abc"},
        {"action_app": app, "expert_boxes": "", "experts_unavailable": unavailable, "assign_form": _refused(False),
         "messages": messages},
        {"action_app": app, "expert_boxes": boxes, "assign_form": _refused(False), "csrf_token": "NOTPROVIDED"},
    ]
    with translation.override(language):
        for k, context in enumerate(contexts):
            assert _render(WRITER, context) == _render(INCLUDE, context), k
    written = _render(WRITER, contexts[3])
    assert "&lt;b&gt;&quot;甲&quot;&lt;/b&gt; &amp; 乙" in written and "&lt;单位&gt;" in written
    assert 'id="assign-expert-error"' in written and "别处" not in written
