"""``{% confirm_step %}`` and ``{% pagination %}`` (qinshui_station/templatetags/portal.py) write what
``includes/confirm.html`` and ``includes/pagination.html`` write, byte for byte, in both languages, every value
escaped as ``{{ value }}`` escapes it (a safe value, such as a form's rendered fields, left as it is)."""

import datetime
import itertools

import pytest
from django.core.paginator import Paginator
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from tests.rendering import render as _render

# Django's own {% csrf_token %} given "NOTPROVIDED" (one of the cases compared) warns of its own deprecation
pytestmark = pytest.mark.filterwarnings("ignore:Calling format_html")

NASTY = '<script>"甲"</script> & b\'s 100%'
LANGUAGES = ("zh-hans", "en")

INCLUDE = ('{% include "includes/confirm.html" with action=action title=title consequences=consequences '
           'button=button slug=slug style=style in_form=in_form multipart=multipart error=error blockers=blockers '
           'reason_required=reason_required reason_value=reason_value reason_error=reason_error '
           'extra_fields=extra_fields confirm_error=confirm_error %}')
WRITER = ('{% load portal %}{% confirm_step action=action title=title consequences=consequences '
          'button=button slug=slug style=style in_form=in_form multipart=multipart error=error blockers=blockers '
          'reason_required=reason_required reason_value=reason_value reason_error=reason_error '
          'extra_fields=extra_fields confirm_error=confirm_error %}')


def _context(in_form, multipart, error, blockers, reason, confirm_error, csrf, slug) -> dict:
    return {
        "action": f"/a/{NASTY}/?x=1&y=2", "title": NASTY, "consequences": "后果 " + NASTY, "button": NASTY,
        "slug": slug, "style": "primary" if multipart else "", "in_form": in_form, "multipart": multipart,
        "error": NASTY if error else "", "blockers": [NASTY, "二", 3] if blockers else [],
        "reason_required": reason, "reason_value": NASTY if reason else "", "reason_error": NASTY if error else "",
        "extra_fields": mark_safe('<input name="x" value="&lt;">') if blockers else NASTY,
        "confirm_error": NASTY if confirm_error else None, "csrf_token": csrf,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirm_step_writes_what_the_include_writes(language):
    with translation.override(language):
        for flags in itertools.product((False, True), repeat=6):
            for csrf, slug in (("tok<&>en", 'x"<y>'), ("NOTPROVIDED", 12345), (None, "publish")):
                context = _context(*flags, csrf=csrf, slug=slug)
                written = _render(WRITER, context)
                assert written == _render(INCLUDE, context), (flags, csrf, slug)
                assert "<script>" not in written and "&lt;script&gt;&quot;甲&quot;&lt;/script&gt;" in written
        marked = _render(WRITER, _context(True, True, True, True, True, True, "t", "s"))
        assert ("尚需完成" in marked) == (language == "zh-hans")
        assert ("I understand the consequences and confirm" in marked) == (language == "en")


def test_confirm_step_reads_a_name_it_is_not_given_from_the_context():
    context = _context(False, False, True, True, True, True, "t", "close")
    given = ('{% load portal %}{% confirm_step action=action title=title consequences=consequences button=button '
             'slug=slug %}')
    included = ('{% include "includes/confirm.html" with action=action title=title consequences=consequences '
                'button=button slug=slug %}')
    for language in LANGUAGES:
        with translation.override(language):
            assert _render(given, context) == _render(included, context)
            assert _render(given, {"slug": "s", "title": "t"}) == _render(included, {"slug": "s", "title": "t"})


@pytest.mark.parametrize("language", LANGUAGES)
def test_pagination_writes_what_the_include_writes(language):
    request = RequestFactory().get("/list/", {"q": NASTY, "state": "a&b", "page": "2"})
    cases = [(12345, 50, n) for n in (1, 2, 247)] + [(7, 50, 1), (0, 50, 1), (101, 50, 3), (2, 1, 1), (2, 1, 2)]
    with translation.override(language):
        for count, per_page, number in cases:
            page = Paginator(range(count), per_page).get_page(number)
            context = {"page": page, "request": request}
            written = _render("{% load portal %}{% pagination %}", context)
            assert written == _render('{% include "includes/pagination.html" %}', context), (count, number)
            if page.has_next():
                assert "&amp;state=a%26b" in written and "<script>" not in written
        written = _render("{% load portal %}{% pagination %}", {"request": request})
        assert written == _render('{% include "includes/pagination.html" %}', {"request": request}) == "\n"
        # a page of a counted list whose rows went meanwhile: empty, and still with its pager (a page is a
        # sequence: an empty one is falsy)
        paginator = Paginator([], 25)
        paginator.count = 375
        empty = paginator.page(2)
        written = _render("{% load portal %}{% pagination %}", {"page": empty, "request": request})
        assert written == _render('{% include "includes/pagination.html" %}', {"page": empty, "request": request})
        assert 'class="pagination' in written
        page = Paginator(range(12345), 50).get_page(2)
        written = _render("{% load portal %}{% pagination %}", {"page": page, "request": request})
        assert ("Page 2 of 247, 12345 records" in written) == (language == "en")


# what the seven lists wrote, each in its template, before {% state_select %} wrote it for them
STATE_SELECT = (
    '{% load i18n_kept %}<div class="col-auto"><label class="visually-hidden" for="state">{% trans "状态" %}</label>'
    '<select class="form-select{% if state_error %} is-invalid{% endif %}" id="state" name="state"{% if state_error %}'
    ' aria-describedby="state-error" aria-invalid="true"{% endif %}><option value="">{% trans "全部状态" %}</option>'
    '{% for v, l in states %}<option value="{{ v }}"{% if v == state %} selected{% endif %}>{{ l }}</option>'
    '{% endfor %}</select>{% if state_error %}<div id="state-error" class="invalid-feedback d-block">'
    '{{ state_error }}</div>{% endif %}</div>')


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_state_select_writes_what_the_lists_wrote(language):
    states = [("draft", "草稿"), ("a&b", '<b>"标"</b>')]
    with translation.override(language):
        for context in ({"states": states, "state": ""}, {"states": states, "state": "a&b"},
                        {"states": states, "state": "", "state_error": '“zz<i>”不在可选范围内'}, {}):
            written = _render("{% load portal %}{% state_select %}", context)
            assert written == _render(STATE_SELECT, context), context
        written = _render("{% load portal %}{% state_select %}",
                          {"states": states, "state": "a&b", "state_error": "<x>"})
    assert '<option value="a&amp;b" selected>&lt;b&gt;&quot;标&quot;&lt;/b&gt;</option>' in written
    assert '<div id="state-error" class="invalid-feedback d-block">&lt;x&gt;</div>' in written


@pytest.mark.parametrize("language", LANGUAGES)
def test_deadline_writes_what_the_include_writes(language):
    """Every phase and a few days each side of the red badge's three days, in both languages."""
    from django.utils import timezone

    from qinshui_station.templatetags.portal import deadline_phase

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    windows = [(today - 10 * day, today + n * day, state) for n in (0, 1, 3, 4, 30) for state in (None, "open")]
    windows += [(today + n * day, today + 40 * day, None) for n in (1, 2, 15)]  # not yet open
    windows += [(today - 10 * day, today - day, None), (today - 10 * day, today + 5 * day, "closed"),
                (None, today + 2 * day, None), (today, None, None)]
    seen = set()
    with translation.override(language):
        for opens, closes, state in windows:
            context = {"opens": opens, "closes": closes, "state": state}
            written = _render("{% load portal %}{% deadline opens closes state %}", context)
            included = _render('{% include "includes/deadline.html" with phase=w.phase days=w.days %}',
                               {"w": deadline_phase(opens, closes, state)})
            assert written == included, (opens, closes, state)
            seen.add(deadline_phase(opens, closes, state).get("phase"))
    assert seen == {"open", "upcoming", "closed", None}


@pytest.mark.parametrize("language", LANGUAGES)
def test_ymd_writes_what_the_date_filter_writes(language, settings):
    """``|ymd`` and ``|ymd_hm`` are ``|date:"Y-m-d"`` and ``|date:"Y-m-d H:i"``: a UTC moment shown in the county's
    time zone (the evening of the 31st UTC is already the 1st in Shanghai), a date, nothing, or not a date."""
    from datetime import UTC, date, datetime

    values = [datetime(2026, 12, 31, 16, 5, tzinfo=UTC), datetime(2026, 3, 1, 0, 0, tzinfo=UTC), date(2027, 1, 9),
              datetime(2026, 7, 4, 9, 7), None, "", "2026-01-01", 5]
    with translation.override(language):
        for value in values:
            context = {"v": value}
            assert (_render("{% load portal %}{{ v|ymd }}", context)
                    == _render('{{ v|date:"Y-m-d" }}', context)), value
            if not isinstance(value, date) or isinstance(value, datetime):
                assert (_render("{% load portal %}{{ v|ymd_hm }}", context)
                        == _render('{{ v|date:"Y-m-d H:i" }}', context)), value
    assert _render("{% load portal %}{{ v|ymd_hm }}", {"v": values[0]}) == "2027-01-01 00:05"
