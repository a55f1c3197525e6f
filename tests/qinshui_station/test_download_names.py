"""Download names keep their whole meaning (issue 14, item 12): unsafe characters become their full-width
twins; nothing before a "/" is lost."""

import pytest
from django.urls import reverse

from applications.workflow import State
from qinshui_station.documents.names import download_name
from tests.applications.factories import application_in


@pytest.mark.parametrize("name,expected", [
    ("申报表-沁水A/B<精密>有限公司-数控车工.pdf", "申报表-沁水A／B＜精密＞有限公司-数控车工.pdf"),
    ('a\\b:c"d|e?f*g.xlsx', "a＼b：c＂d｜e？f＊g.xlsx"),
    ("名称\x00\x1f带控制字符.pdf", "名称带控制字符.pdf"),
    ("../../etc/passwd", "／..／etc／passwd"),  # a leading dot would hide the file
    ("", "download"),
])
def test_download_name(name, expected):
    assert download_name(name) == expected


@pytest.mark.django_db
def test_the_form_of_a_unit_named_with_slash_and_brackets_downloads_under_the_whole_name(client):
    app = application_in(State.SUBMITTED)
    app.unit.name = "沁水A/B<i>有限公司"
    app.unit.save()
    type(app).objects.filter(pk=app.pk).update(unit_name="沁水A/B<i>有限公司", occupation="数控车工")
    client.force_login(app.created_by)
    response = client.get(reverse("applications:form_pdf", args=[app.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E7%94%B3%E6%8A%A5%E8%A1%A8-%E6%B2%81%E6%B0%B4A%EF%BC%8FB%EF%BC%9Ci%EF%BC%9E"
        "%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8-%E6%95%B0%E6%8E%A7%E8%BD%A6%E5%B7%A5.pdf")
