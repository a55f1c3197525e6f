"""``{% overlap_warnings %}`` (applications/templatetags/application_tags.py) writes, byte for byte and in both
languages, what the templates wrote through ``{% blocktrans %}`` for each pair, every value escaped — the people
listed as the language lists them (the template joined them with 、 in English too)."""

import pytest
from django.utils import translation

from applications.rules import Named
from tests.rendering import render as _render

TEMPLATE = ('{% load i18n_kept %}{% for o in overlaps %}<div class="alert alert-warning overlap-warning" role="alert">'
            '{% blocktrans with a=o.first b=o.second names=o.members|join:sep %}成员重复提示：“{{ a }}”与“{{ b }}”的'
            '拟入站人员有相同人员（{{ names }}）。同一团队原则上只申报技师工作站或技能大师工作室其中一项，请核实。'
            '{% endblocktrans %}</div>{% endfor %}')


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_warnings_read_as_the_template_wrote_them(language):
    overlaps = [
        {"first": Named(1, '<b>"甲"</b>·电工&钳工'), "second": Named(2, "乙公司·焊工"),
         "members": ["张三（技师）", "<i>李四</i>（高级技师）"]},
        {"first": Named(3, "丙·车工"), "second": Named(4, "丁·铣工 100%"), "members": ["王五（技术技能带头人）"]},
    ]
    with translation.override(language):
        written = _render("{% load application_tags %}{% overlap_warnings overlaps %}", {"overlaps": overlaps})
        assert written == _render(TEMPLATE, {"overlaps": overlaps, "sep": "、" if language == "zh-hans" else ", "})
        assert _render("{% load application_tags %}{% overlap_warnings overlaps %}", {"overlaps": []}) == ""
    assert "&lt;b&gt;&quot;甲&quot;&lt;/b&gt;·电工&amp;钳工" in written
    assert ("张三（技师）、&lt;i&gt;李四&lt;/i&gt;（高级技师）" if language == "zh-hans"
            else "张三（技师）, &lt;i&gt;李四&lt;/i&gt;（高级技师）") in written
