"""``{% load i18n_kept %}`` (qinshui_station/templatetags/i18n_kept.py): a literal ``{% translate %}`` keeps what it
rendered per language, and renders exactly what Django's tag renders, in each language, in any order."""

import re
from pathlib import Path

from django.template import Context, Engine, engines
from django.templatetags.i18n import TranslateNode
from django.test import override_settings
from django.utils import translation

from qinshui_station.templatetags.i18n_kept import KeptTranslateNode

SOURCE = ('{% load i18n_kept %}[{% trans "跳到正文" %}|{% translate "关闭" %}|{% trans "、" context "punctuation" %}'
          '|{% trans "关闭" as shut %}{{ shut }}|{% trans "关闭"|upper %}|{% trans word %}|{% trans "a<b & 100%%" %}'
          '|{% trans "关闭" noop %}]')


def _render(language: str, word: str = "关闭", autoescape: bool = True, engine=None) -> str:
    template = (engine or engines["django"].engine).from_string(SOURCE)
    with translation.override(language):
        return template.render(Context({"word": word}, autoescape=autoescape))


def test_load_i18n_kept_gives_the_kept_translate_tag():
    template = engines["django"].from_string('{% load i18n_kept %}{% trans "关闭" %}{% trans word %}')
    nodes = template.template.nodelist.get_nodes_by_type(TranslateNode)
    assert [type(node) for node in nodes] == [KeptTranslateNode, KeptTranslateNode]
    assert [node.constant for node in nodes] == [True, False]


def test_same_text_as_djangos_tag_in_both_languages_in_turn():
    django_tags = Engine(libraries={"i18n_kept": "django.templatetags.i18n"})  # the same source, Django's tags
    zh = "[跳到正文|关闭|、|关闭|关闭|关闭|a<b & 100%%|关闭]"
    en = "[Skip to content|Close|, |Close|CLOSE|Close|a<b & 100%%|关闭]"
    assert (_render("zh-hans", engine=django_tags), _render("en", engine=django_tags)) == (zh, en)
    template = engines["django"].engine.from_string(SOURCE)  # one template: its nodes keep what they rendered
    for _round in range(2):
        for language, expected in (("zh-hans", zh), ("en", en)):
            for autoescape in (True, False):
                with translation.override(language):
                    assert template.render(Context({"word": "关闭"}, autoescape=autoescape)) == expected
    # a variable's message is translated each time, never kept
    with translation.override("en"):
        assert template.render(Context({"word": "跳到正文"})) == en.replace("CLOSE|Close", "CLOSE|Skip to content")


def test_the_english_page_after_the_chinese_one_and_back(client):
    """Pages through the cached loader: each language's own text, whichever was rendered first."""
    for _round in range(2):
        assert "跳到正文" in client.get("/accounts/login/").content.decode()
        client.cookies["django_language"] = "en"
        assert "Skip to content" in client.get("/accounts/login/").content.decode()
        client.cookies["django_language"] = "zh-hans"


def test_a_changed_setting_forgets_what_was_kept():
    template = engines["django"].engine.from_string('{% load i18n_kept %}{% trans "关闭" %}')
    node = template.nodelist.get_nodes_by_type(KeptTranslateNode)[0]
    def english():
        with translation.override("en"):
            return template.render(Context())

    assert english() == "Close"
    with override_settings(LOCALE_PATHS=[]):  # no project catalog: the source text
        assert english() == "关闭"
    assert english() == "Close"
    assert len(node.kept) == 3  # one per settings generation


def test_the_project_templates_load_the_kept_tags():
    """A template that loads Django's i18n still works, only slower: the project's own all load i18n_kept."""
    root = Path(__file__).resolve().parents[2] / "templates"
    plain = [str(path.relative_to(root)) for path in root.rglob("*.*")
             if re.search(r"\{% load [^%]*\bi18n\b", path.read_text(encoding="utf-8", errors="replace"))]
    assert plain == []
