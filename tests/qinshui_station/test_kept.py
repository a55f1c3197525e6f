"""``{% kept %}`` (qinshui_station/templatetags/kept.py): the piece is rendered once per language and key, and each
request's slots hold that request's values, escaped as ``{{ }}`` escapes them; base.html's head, header and
footer kept: each person's own name, organization, badge and token, in each language."""

import re

import pytest
from django.template import Context, TemplateSyntaxError, engines
from django.test import override_settings
from django.utils import translation

from tests.factories import HRUserFactory, UnitUserFactory

PIECE = ('{% load i18n_kept kept %}{% kept signed_in %}<a href="{% url "index" %}">{% trans "关闭" %}</a>'
         '{% if signed_in %}[{% slot name %}|{% slot name|upper %}]{% endif %}<{% slot number %}>'
         '{% csrf_token %}{% endkept %}')


def _template():
    return engines["django"].engine.from_string(PIECE)


def _render(template, language="zh-hans", **values):
    with translation.override(language):
        return template.render(Context(values))


def test_each_request_its_own_slots_escaped():
    template = _template()
    first = _render(template, signed_in=True, name='<b>"甲"&', number=1234, csrf_token="tok1")
    assert first == ('<a href="/">关闭</a>[&lt;b&gt;&quot;甲&quot;&amp;|&lt;B&gt;&quot;甲&quot;&amp;]<1234>'
                     '<input type="hidden" name="csrfmiddlewaretoken" value="tok1">')
    second = _render(template, signed_in=True, name="乙", number=5, csrf_token='t"2')
    assert second == ('<a href="/">关闭</a>[乙|乙]<5>'
                      '<input type="hidden" name="csrfmiddlewaretoken" value="t&quot;2">')
    assert len(template.nodelist[1].kept) == 1


@pytest.mark.filterwarnings("ignore:Calling format_html")  # Django's csrf_token tag, given "NOTPROVIDED"
def test_keyed_on_language_and_the_named_expressions():
    template = _template()
    assert _render(template, "en", signed_in=False, number=1) == '<a href="/">Close</a><1>'
    assert _render(template, "zh-hans", signed_in=False, number=2) == '<a href="/">关闭</a><2>'
    assert _render(template, "en", signed_in=True, name="x", number=3) == '<a href="/">Close</a>[x|X]<3>'
    assert _render(template, "en", signed_in=False, number=4, csrf_token="NOTPROVIDED") == '<a href="/">Close</a><4>'
    assert len(template.nodelist[1].kept) == 4


def test_kept_for_a_script_prefix_and_settings_of_its_own():
    template = _template()
    assert _render(template, signed_in=False, number=1).startswith('<a href="/">')
    with override_settings(FORCE_SCRIPT_NAME="/portal/"):
        from django.urls import set_script_prefix

        set_script_prefix("/portal/")
        try:
            assert _render(template, signed_in=False, number=1).startswith('<a href="/portal/">')
        finally:
            set_script_prefix("/")
    assert _render(template, signed_in=False, number=1).startswith('<a href="/">')


def test_a_slot_outside_kept_is_a_variable_and_kept_holds_no_kept_nor_block():
    slot = engines["django"].engine.from_string("{% load kept %}{% slot name|default:'无' %}")
    assert slot.render(Context({"name": "<i>"})) == "&lt;i&gt;"
    assert slot.render(Context({})) == "无"
    with pytest.raises(TemplateSyntaxError):
        engines["django"].engine.from_string("{% load kept %}{% kept %}{% kept %}{% endkept %}{% endkept %}")
    with pytest.raises(TemplateSyntaxError):
        engines["django"].engine.from_string("{% load kept %}{% kept %}{% block b %}{% endblock %}{% endkept %}")


def _header(html: str) -> str:
    return html[html.index("<header>"):html.index("</header>")]


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_base_html_each_person_their_own_header_in_each_language(client):
    odd = UnitUserFactory(full_name='<script>"单位"&', organization__name="<b>某单位</b>")
    hr = HRUserFactory(full_name="人社甲")
    for language, role in (("zh-hans", "申报单位"), ("en", "Applicant unit"), ("zh-hans", "申报单位")):
        client.cookies["django_language"] = language
        client.force_login(odd)
        html = client.get("/home/").content.decode()
        header = _header(html)
        assert "&lt;script&gt;&quot;单位&quot;&amp;" in header and "<script>\"单位" not in header
        assert "&lt;b&gt;某单位&lt;/b&gt;" in header
        assert role in header
        assert html.count(_token(html)) == 2  # the language form's and the sign-out form's, this request's
        client.force_login(hr)
        html2 = client.get("/home/").content.decode()
        assert "人社甲" in _header(html2) and "单位&quot;" not in _header(html2)
        assert _token(html2) != _token(html)
        client.logout()
        client.cookies["django_language"] = language
        anonymous = _header(client.get("/public/workstations/").content.decode())
        assert ("登录" if language == "zh-hans" else "Sign in") in anonymous and "人社甲" not in anonymous


def test_under_the_suite_a_piece_that_depends_on_an_unnamed_value_fails(monkeypatch):
    """The suite sets kept.VERIFY: a piece rendering a variable that is neither a slot nor named in the tag (here
    a person's name written as {{ }}) would show one person's value to the next; it fails the request that
    renders it otherwise."""
    from qinshui_station.templatetags import kept

    assert kept.VERIFY is True
    template = engines["django"].engine.from_string("{% load kept %}{% kept %}<p>{{ name }}</p>{% endkept %}")
    assert _render(template, name="甲") == "<p>甲</p>"
    assert _render(template, name="甲") == "<p>甲</p>"
    with pytest.raises(AssertionError, match="neither a slot nor named"):
        _render(template, name="乙")
    monkeypatch.setattr(kept, "VERIFY", False)
    assert _render(template, name="乙") == "<p>甲</p>"  # what VERIFY is there to catch
