"""``{% station_rows %}`` and ``{% audit_rows %}`` (qinshui_station/templatetags/portal.py) write the rows the
templates' loops wrote, byte for byte, every value escaped; the pages show data escaped, in both languages."""

import pytest
from django.template import Context, engines

from qinshui_station import audit
from tests import factories

NASTY = ['<script>"甲"</script>', "a & b's", "普通", "&amp;", "", "100%"]

OLD_STATIONS = ('{% for plaque, name, unit, occupation, leader, day in page %}<tr><td>{{ plaque }}</td><td>{{ name }}'
                '</td><td>{{ unit }}</td><td>{{ occupation }}</td><td>{{ leader }}</td><td>{{ day }}</td></tr>\n'
                '{% endfor %}')
OLD_AUDIT = ('{% for at, shown, sentence in entries %}<li class="border-bottom py-2"><time class="small text-muted '
             'd-block" datetime="{{ at }}">{{ shown }}</time>{{ sentence }}</li>\n{% endfor %}')


def _render(source: str, **context) -> str:
    return engines["django"].engine.from_string(source).render(Context(context))


def test_station_rows_as_the_loop_wrote_them():
    rows = [tuple(NASTY[(k + n) % len(NASTY)] for n in range(6)) for k in range(len(NASTY))]
    written = _render("{% load portal %}{% station_rows rows %}", rows=rows)
    assert written == _render(OLD_STATIONS, page=rows)
    assert "<script>" not in written and "&lt;script&gt;&quot;甲&quot;" in written and "a &amp; b&#x27;s" in written


def test_audit_rows_as_the_loop_wrote_them():
    entries = [("2030-01-02T03:04:05+08:00", "2030-01-02 03:04:05", text) for text in NASTY]
    written = _render("{% load portal %}{% audit_rows entries %}", entries=entries)
    assert written == _render(OLD_AUDIT, entries=entries)
    assert "<script>" not in written and "&amp;amp;" in written


def test_the_pages_show_data_escaped_in_both_languages(client):
    hr = factories.HRUserFactory(full_name='<b>"人社"</b>')
    station = factories.WorkstationFactory(name='<i>站&"一"</i>')
    audit.record(actor=hr, obj=station, action="station_note", reason="<script>x</script>")
    client.force_login(hr)
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        log = client.get("/staff/audit/").content.decode()
        assert "&lt;i&gt;站&amp;&quot;一&quot;&lt;/i&gt;" in log and "<i>站" not in log
        assert "&lt;script&gt;x&lt;/script&gt;" in log and "<script>x" not in log
        stations = client.get("/public/workstations/").content.decode()
        assert "&lt;i&gt;站&amp;&quot;一&quot;&lt;/i&gt;" in stations and "<i>站" not in stations


@pytest.fixture(autouse=True)
def _db(db):
    pass
