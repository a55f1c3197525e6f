"""``{% application_form %}`` (applications/templatetags/application_tags.py) writes, byte for byte and in both
languages, what ``applications/_form_view.html`` writes: every field filled, empty or absent, texts with markup,
ampersands and line breaks, members or none, each declaration ticked or not, the master-studio answer each way."""

import pytest
from django.utils import translation

from applications import rules
from applications.models import Application, Member, Qualification
from applications.workflow import State
from tests.applications.factories import MemberFactory, application_in
from tests.rendering import render as _render

pytestmark = pytest.mark.django_db

NASTY = '<b>"甲"</b> & 乙\r\n第二行\n第三行 100%'


def _context(app, account) -> dict:
    app = Application.objects.prefetch_related("members").get(pk=app.pk)
    return {"app": app, "shown_account": account,
            "declarations": [(getattr(app, n), Application._meta.get_field(n).verbose_name) for n in rules.DECLARATIONS]}


def _applications():
    full = application_in(State.SUBMITTED)
    MemberFactory(application=full, name=NASTY[:20], qualification=Qualification.OTHER, post="<i>班长</i>",
                  specialty=NASTY)
    Application.objects.filter(pk=full.pk).update(
        training_system=NASTY, projects="一\n二", leader_skill_level="高级技师&", address=NASTY, ownership="民营",
        staff_total=100, also_applies_master_studio=True, declares_sound_operation=False)
    bare = application_in(State.SUBMITTED)
    Member.objects.filter(application=bare).delete()
    Application.objects.filter(pk=bare.pk).update(
        unit_type="", ownership="", staff_total=None, address="", legal_representative="", contact_email="",
        leader_name="", leader_skill_level="", training_system="", equipment="", post_establishment_plan="",
        also_applies_master_studio=None, declares_truthful=False)
    counted = application_in(State.SUBMITTED)
    Application.objects.filter(pk=counted.pk).update(staff_total=126, also_applies_master_studio=False)
    return [(full, "6222 0000 <1>"), (bare, ""), (counted, None)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_form_reads_as_the_template_wrote_it(language):
    written = []
    for app, account in _applications():
        context = _context(app, account)
        with translation.override(language):
            written.append(_render("{% load application_tags %}{% application_form %}", context))
            assert written[-1] == _render('{% include "applications/_form_view.html" %}', context), app.pk
    assert "&lt;b&gt;&quot;甲&quot;&lt;/b&gt; &amp; 乙<br>第二行<br>第三行 100%" in written[0]
    assert "<td>6222 0000 &lt;1&gt;</td>" not in written[0] and "6222 0000 &lt;1&gt;</dd>" in written[0]
    share = context["app"].talent_share
    assert share is not None and share != share.to_integral_value()  # a share with decimals, as 技术技能人才占比 is
    assert f"<tr><td>{share}%</td>" in written[2]
