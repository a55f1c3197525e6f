"""The 公示 names the county's measures by their title and number, and says how to object: the notice's web
address, HR's office address and phone from the settings HR keeps. The page and the PDF print one text
(issue 14, item 3)."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from applications.workflow import State
from qinshui_station import services as core_services
from qinshui_station.models import AuditEntry, OfficeContact
from tests.applications.factories import application_in
from tests.qinshui_station.test_documents import flat, pdftotext

pytestmark = pytest.mark.django_db

MEASURES = "根据《沁水县技师工作站管理考核办法》（沁人社字〔2023〕26号）第五条"
ADDRESS = "沁水县龙港镇新建东街12号人社局三楼305室"
PHONE = "0356-7022345"


@pytest.fixture
def notice(hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=date(2026, 3, 2))
    core_services.update_office_contact(actor=hr_user, office_name="职业能力建设股", address=ADDRESS, phone=PHONE)
    return app.batch.publicity


def _visible_text(html: str) -> str:
    return flat(re.sub(r"<[^>]+>", "", html))


def test_the_pdf_names_the_measures_and_how_to_object(client, notice):
    response = client.get(reverse("applications:publicity_pdf", args=[notice.batch.year]))
    text = flat(pdftotext(b"".join(response.streaming_content)))
    url = f"{settings.SITE_URL}/applications/publicity/{notice.batch.year}/"
    assert MEASURES in text
    assert "建设管理办法" not in text
    assert f"网上实名提出：{url}" in text
    assert f"书面或来电反映：沁水县人力资源和社会保障局职业能力建设股，地址：{ADDRESS}，电话：{PHONE}。" in text


def test_the_page_prints_the_same_text(client, notice):
    html = client.get(reverse("applications:publicity_detail", args=[notice.batch.year])).content.decode()
    text = _visible_text(html)
    url = f"{settings.SITE_URL}/applications/publicity/{notice.batch.year}/"
    assert MEASURES in text
    assert f"网上实名提出：{url}" in text
    assert f"书面或来电反映：沁水县人力资源和社会保障局职业能力建设股，地址：{ADDRESS}，电话：{PHONE}。" in text


def test_hr_keeps_the_office_on_its_page(client, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("staff_office"), {"office_name": "职业能力建设股", "address": ADDRESS,
                                                     "phone": PHONE})
    assert response.status_code == 302
    office = OfficeContact.current()
    assert (office.address, office.phone, office.updated_by) == (ADDRESS, PHONE, hr_user)
    assert AuditEntry.objects.filter(action="update_office_contact", actor=hr_user).count() == 1


def test_a_bad_phone_is_refused_at_the_field_keeping_the_address(client, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("staff_office"), {"office_name": "", "address": ADDRESS, "phone": "12"})
    assert response.status_code == 400
    assert response.context["form"].errors["phone"] == [
        "请输入有效的电话号码：11位手机号，或区号-号码形式的固定电话（如0356-7021234）。"]
    assert ADDRESS in response.content.decode()
    assert not OfficeContact.objects.exists()


@pytest.mark.parametrize("who", ["unit_user", "department_user", "expert", "finance_user", "org_dept_user"])
def test_only_hr_keeps_the_office(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("staff_office"), {"address": "x", "phone": PHONE}).status_code == 403
    assert not OfficeContact.objects.exists()


def test_how_to_object_prints_in_the_readers_language_whoever_published(client, hr_user):
    from django.utils import timezone

    from applications import services
    from tests.applications.factories import application_in as in_state

    app = in_state(State.PROPOSED)
    app.batch.state = "closed"
    app.batch.save()
    with translation.override("en"):  # HR publishes from the English pages, leaving the words to the default
        services.publish_publicity(actor=hr_user, batch_id=app.batch_id, starts_on=timezone.localdate())
    address = reverse("applications:publicity_detail", args=[app.batch.year])
    chinese = _visible_text(client.get(address).content.decode())
    client.cookies["django_language"] = "en"
    english = _visible_text(client.get(address).content.decode())
    assert "可通过本页面实名提出（须填写真实姓名和联系电话），也可书面向沁水县人力资源和社会保障局反映。匿名异议不予受理。" in chinese
    assert flat("may file a named objection on this page (real name and phone number required) or write to the "
                "Qinshui County Human Resources and Social Security Bureau. Anonymous objections are not accepted.") in english
    assert "匿名异议不予受理" not in english


def test_one_station_is_one_unit_in_english(client, notice):
    client.cookies["django_language"] = "en"
    text = _visible_text(client.get(reverse("applications:publicity_detail", args=[notice.batch.year])).content.decode())
    assert flat(f"the technician workstation of the following unit is proposed as a {notice.batch.year} Qinshui "
                "County technician workstation and is hereby made public.") in text
    assert flat("following 1 units") not in text


def test_two_stations_are_two_units_in_english(client, notice):
    application_in(State.PUBLICITY, batch=notice.batch)
    client.cookies["django_language"] = "en"
    text = _visible_text(client.get(reverse("applications:publicity_detail", args=[notice.batch.year])).content.decode())
    assert flat(f"the technician workstations of the following 2 units are proposed as {notice.batch.year} Qinshui "
                "County technician workstations and are hereby made public.") in text
