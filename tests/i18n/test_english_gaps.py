"""English gaps (issue 14, item 11): dates on English pages and in the English grade PDF read "March 2, 2026",
not "2026年3月2日"; the measures' expenditure categories are translated on the charts; words in narrow PDF
columns do not break inside ("Bonu/s", "Qualifie/d")."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from applications.workflow import State
from reviews import services as review_services
from tests.applications.factories import application_in
from tests.qinshui_station.test_documents import pdftotext
from tests.reviews.test_documents import _pdf, _scored

pytestmark = pytest.mark.django_db

CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_public_notice_prints_english_dates_in_english(client):
    app = application_in(State.PUBLICITY, publicity_starts=date(2026, 3, 2))
    _english(client)
    html = client.get(reverse("applications:publicity_detail", args=[app.batch.year])).content.decode()
    assert "Publicity period: March 2, 2026 to March 6, 2026 (5 working days)." in html
    assert not CHINESE_DATE.search(html)


def test_the_english_grade_pdf_has_english_dates_and_whole_words(client, hr_user):
    from tests.reviews.factories import open_round, rubric_2023

    rubric = rubric_2023()
    round_ = open_round(hr_user)
    _scored(round_, rubric, hr_user)
    review_services.finalize_round(actor=hr_user, round_id=round_.pk)
    client.force_login(hr_user)
    _english(client)
    pdf = _pdf(client.get(reverse("reviews:round_grades_pdf", args=[round_.pk])))
    text = pdftotext(pdf, "-layout")
    assert not CHINESE_DATE.search(text)
    words = text.split()
    assert {"Rank", "Bonus", "Total", "Grade", "Qualified"} <= set(words)
    assert "Excellent 0 stations; Qualified 1 station; Unqualified 0 stations" in " ".join(words)


def test_the_charts_name_the_categories_in_english(client, finance_user):
    client.force_login(finance_user)
    _english(client)
    html = client.get("/dashboards/").content.decode()
    assert "Equipment purchase, upgrade and maintenance" in html
    assert "仪器设备购置改造与维护" not in html
