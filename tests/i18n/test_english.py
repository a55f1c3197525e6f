"""The English catalogue is complete, compiled, and the pages speak English when English is chosen."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests import factories

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def entries(text: str):
    """(msgid, [msgstr…], fuzzy) for each entry of a .po file."""
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.splitlines():
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            yield (fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")],
                   "fuzzy" in block.split("msgid")[0])


def test_every_msgid_has_an_english_msgstr():
    found = list(entries(PO.read_text(encoding="utf-8")))
    assert len(found) > 1000
    untranslated = [msgid for msgid, strs, fuzzy in found if fuzzy or not all(s.strip() for s in strs)]
    assert untranslated == []


def test_the_compiled_catalogue_is_current():
    """The committed .mo is what msgfmt makes of the committed .po (a fresh machine needs no gettext tools)."""
    if subprocess.run(["which", "msgfmt"], capture_output=True).returncode:
        pytest.skip("msgfmt not installed")
    fresh = subprocess.run(["msgfmt", "--check", "-o", "-", str(PO)], capture_output=True, check=True).stdout
    assert fresh == MO.read_bytes()


def test_translations_are_loaded():
    with translation.override("en"):
        assert translation.gettext("年度评估") == "Annual evaluation"
        assert translation.gettext("我已了解上述后果，确认执行") == "I understand the consequences and confirm"


def ui_text(html: str) -> str:
    """The navigation and the h1, without data: the signed-in user's name and organization, and the
    language list (each language's name is written in that language)."""
    nav = re.search(r'<nav class="navbar.*?</nav>', html, re.S).group(0)
    nav = re.sub(r'<a class="nav-link dropdown-toggle"[^>]*id="user-menu".*?</a>', "", nav, flags=re.S)
    nav = re.sub(r'<span class="dropdown-item-text.*?</span>', "", nav, flags=re.S)
    nav = re.sub(r"<select.*?</select>", "", nav, flags=re.S)
    h1 = " ".join(re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S))
    return re.sub(r"<[^>]+>", " ", nav + " " + h1)


@pytest.mark.django_db
@pytest.mark.parametrize("role, urls", [
    ("unit", ["/home/", "/applications/", "/reviews/evaluations/", "/funding/expenditures/", "/profile/",
              "/notifications/", "/workstations/"]),
    ("hr", ["/home/", "/applications/batches/", "/reviews/rounds/", "/reviews/rounds/new/", "/funding/",
            "/funding/tranches/", "/dashboards/", "/staff/users/", "/staff/calendar/", "/staff/audit/"]),
    ("finance", ["/home/", "/funding/", "/dashboards/"]),
    ("expert", ["/home/", "/reviews/assignments/", "/applications/assignments/"]),
    (None, ["/accounts/login/", "/accounts/register/", "/applications/publicity/", "/public/workstations/"]),
])
def test_pages_in_english_have_no_chinese_in_navigation_and_headings(client, role, urls):
    maker = {"unit": factories.UnitUserFactory, "hr": factories.HRUserFactory,
             "finance": factories.FinanceUserFactory, "expert": factories.ExpertFactory}.get(role)
    if maker:
        client.force_login(maker())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        assert not CJK.findall(ui_text(html)), (url, CJK.findall(ui_text(html)))


def test_chinese_stays_the_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-Hans">' in html and "登录" in ui_text(html)
