"""In English, the portal's own text has no Chinese punctuation (：（），；、。): every page of every role's menu
and the main detail pages, over the demo data. What people typed or the county named (a station, a unit, a
description: any text stored in the database) may be Chinese and is taken out before looking."""

import html
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models

from qinshui_station.models import User

pytestmark = pytest.mark.django_db
ROLES = ("unit1", "dept1", "expert1", "hr", "finance", "orgdept")
CJK_PUNCTUATION = re.compile(r"[\u3001\u3002\u3008-\u3011\u3016-\u301b\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def stored_texts() -> list[str]:
    """Every text stored in the database (names, descriptions, reasons…), longest first."""
    found = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if fields:
            for row in model.objects.values_list(*fields):
                found.update(v for v in row if isinstance(v, str) and CJK_PUNCTUATION.search(v))
    return sorted(found, key=len, reverse=True)


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def pages_of(client) -> list[str]:
    home = client.get("/home/").content.decode()
    nav = re.search(r'<nav class="navbar.*?</nav>', home, re.S).group(0)
    links = re.findall(r'href="(/[^"#]*)"', nav)
    return list(dict.fromkeys(["/home/"] + [u for u in links if not u.split("?")[0].endswith((".zip", ".pdf",
                                                                                               ".xlsx"))]))


def details() -> list[str]:
    """The first of each object's page, from the demo data."""
    from applications.models import Application, Batch, Publicity
    from funding.models import Expenditure, Tranche
    from qinshui_station.models import Workstation
    from reviews.models import Evaluation

    station = Workstation.objects.order_by("pk").first()
    return [Application.objects.exclude(state="draft").order_by("pk").first().get_absolute_url(),
            Batch.objects.order_by("pk").first().get_absolute_url(),
            Evaluation.objects.order_by("pk").first().get_absolute_url(),
            station.get_absolute_url(), f"/funding/stations/{station.pk}/",
            Tranche.objects.order_by("pk").first().get_absolute_url(),
            Expenditure.objects.order_by("pk").first().get_absolute_url(),
            f"/applications/publicity/{Publicity.objects.order_by('pk').first().batch.year}/"]


def test_english_pages_have_no_chinese_punctuation_outside_stored_data(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    data = stored_texts()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    found = {}
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        urls = pages_of(client) + (details() if username == "hr" else [])
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            text = visible_text(response.content.decode())
            for value in data:
                text = text.replace(value, " ")
            for line in text.splitlines():
                if CJK_PUNCTUATION.search(line):
                    found.setdefault(f"{username} {url}", []).append(line.strip()[:120])
    assert found == {}


def test_an_english_label_ending_in_a_colon_leaves_a_space_before_what_follows(client):
    """A label written before its value ("同一团队是否同时申报县级技能大师工作室：" then 是/否, "处理理由：" then the
    reason) ends its English with ": " — it read "…studio:No" and "Reason:材料已补正". The e-mail's lines, which
    end at a line break, are left out."""
    po = (Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po").read_text()
    without_space = []
    for entry in po.split("\n\n"):
        msgid = "".join(re.findall(r'"(.*)"', (re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M) or [""])[0]))
        msgstr = "".join(re.findall(r'"(.*)"', (re.search(r'^msgstr ((?:".*"\n?)+)', entry, re.M) or [""])[0]))
        if msgid.endswith("：") and "\\n" not in msgid and not msgstr.endswith(" "):
            without_space.append((msgid, msgstr))
    assert without_space == []


def test_the_application_page_reads_studio_colon_space_no_in_english(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    from applications.models import Application

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.get(username="hr"))
    app = Application.objects.exclude(state="draft").filter(also_applies_master_studio=False).order_by("pk").first()
    text = visible_text(client.get(app.get_absolute_url()).content.decode())
    assert "Does the same team also apply for a county skill-master studio: \nNo" in text


def test_the_marks_kept_per_language_follow_the_language_in_turn():
    from django.utils import translation

    from qinshui_station.punctuation import bracketed, listed

    for _ in range(2):
        with translation.override("zh-hans"):
            assert (bracketed("甲", "乙"), listed(["a", "b"])) == ("甲（乙）", "a、b")
        with translation.override("en"):
            assert (bracketed("A", "B"), listed(["a", "b"])) == ("A (B)", "a, b")
