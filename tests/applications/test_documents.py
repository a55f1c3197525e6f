"""The applications app's documents: the 申报表 from the real Application (stored at submission), the
publicity notice, the recognition document and the batch workbook. Real WeasyPrint; text via pdftotext."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications import services
from applications.models import Application, Member, RecognitionDocument
from applications.workflow import State
from qinshui_station.documents import latest_rendering, store_rendering
from qinshui_station.models import RenderedDocument
from tests import factories as core
from tests.applications import factories as af
from tests.qinshui_station.test_documents import flat, marked, pdffonts, pdftotext

pytestmark = pytest.mark.django_db

UNIT = "沁水县喆昇煤机修造有限公司"
UNIT_COPY = "application_form.applicant.full"  # the stored copy the unit reads (its account in full)


def _pdf(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def _draft(unit_user, **kwargs) -> Application:
    unit_user.organization.name = UNIT  # the form prints the registered organization's name
    unit_user.organization.save()
    app = af.eligible_application(unit=unit_user.organization, created_by=unit_user, unit_name=UNIT,
                                  leader_name="张喆", **kwargs)
    names = iter(["张喆", "王堃", "李昇"])
    for member in app.members.all():
        member.name = next(names)
        member.save()
    return app


def _submitted(unit_user) -> Application:
    app = _draft(unit_user)
    return services.application_transition(application_id=app.pk, actor=unit_user, to=State.SUBMITTED)


def _form_url(app) -> str:
    return reverse("applications:form_pdf", args=[app.pk])


def test_submitted_form_prints_the_application_and_is_stored_once_unchanged_afterwards(client, unit_user):
    app = _submitted(unit_user)
    client.force_login(unit_user)
    first = _pdf(client.get(_form_url(app)))
    text = flat(pdftotext(first))
    day = timezone.localtime(app.submitted_at)  # the county's day (UTC is the day before until 08:00)
    for expected in (UNIT, "钳工", "沁水县龙港镇", "0356-7021234", "中国工商银行沁水支行", "17.50%",
                     f"{day:%Y}年{day.month}月{day.day}日"):
        assert expected in text, expected
    assert "张喆" in text and "王堃" in text and "李昇" in text
    assert not marked(first, "草稿")
    stored = latest_rendering(app, UNIT_COPY)
    assert stored.size == len(first)
    # The record's data changes afterwards (a correction of the snapshot, a member renamed): the copy on file stays.
    Application.objects.filter(pk=app.pk).update(unit_name="改名后的单位", staff_total=999)
    Member.objects.filter(application=app, name="王堃").update(name="赵六")
    again = _pdf(client.get(_form_url(app)))
    assert again == first
    assert RenderedDocument.objects.filter(object_id=app.pk, kind=UNIT_COPY).count() == 1


def test_the_form_embeds_the_shipped_font_as_a_subset(client, unit_user):
    app = _submitted(unit_user)
    client.force_login(unit_user)
    fonts = pdffonts(_pdf(client.get(_form_url(app))))
    names = [row[0] for row in fonts]
    assert any(name.endswith("+Qinshui-Sans-CJK") for name in names), names  # the regular face: record data
    # emb, sub: embedded, as a subset
    assert all(row[-5:-3] == ["yes", "yes"] and re_subset(row[0]) for row in fonts if "Qinshui" in row[0]), fonts


def re_subset(name: str) -> bool:
    """A subset font's name starts with six capitals and a plus sign (ABCDEF+Name)."""
    return len(name) > 7 and name[6] == "+" and name[:6].isalpha() and name[:6].isupper()


def test_a_draft_renders_on_demand_with_the_watermark_and_is_not_stored(client, unit_user):
    app = _draft(unit_user)
    client.force_login(unit_user)
    pdf = _pdf(client.get(_form_url(app)))
    assert marked(pdf, "草稿")
    assert UNIT in flat(pdftotext(pdf))
    assert latest_rendering(app, UNIT_COPY) is None


def test_a_resubmission_after_return_stores_a_new_copy(client, unit_user, department_user):
    app = _submitted(unit_user)
    first = store_rendering(app, UNIT_COPY, b"%PDF-1.7 first submission", unit_user)
    services.application_transition(application_id=app.pk, actor=department_user, to=State.RETURNED,
                                    reason="请补充设备清单。")
    Application.objects.filter(pk=app.pk).update(equipment="补充后的设备清单：数控车床3台。")
    app = services.application_transition(application_id=app.pk, actor=unit_user, to=State.SUBMITTED)
    client.force_login(unit_user)
    pdf = _pdf(client.get(_form_url(app)))
    assert "补充后的设备清单" in flat(pdftotext(pdf))
    copies = RenderedDocument.objects.filter(object_id=app.pk, kind=UNIT_COPY).order_by("pk")
    assert [c.pk for c in copies][0] == first.pk and copies.count() == 2
    assert latest_rendering(app, UNIT_COPY).size == len(pdf)  # served: the new copy; the first stays


@pytest.mark.parametrize("who", ["other_unit_user", "other_department_user", "expert"])
def test_only_people_who_may_see_the_application_get_its_form(client, unit_user, who, request):
    app = af.application_in(State.EXPERT_REVIEW, unit=unit_user.organization, created_by=unit_user)
    client.force_login(request.getfixturevalue(who))  # the expert is not assigned to it
    assert client.get(_form_url(app)).status_code == 404
    assert latest_rendering(app, UNIT_COPY) is None


def test_the_sector_department_does_not_see_a_draft_form(client, unit_user, department_user):
    app = _draft(unit_user)
    client.force_login(department_user)
    assert client.get(_form_url(app)).status_code == 404


def test_the_application_page_links_its_form(client, unit_user):
    app = _draft(unit_user)
    client.force_login(unit_user)
    assert _form_url(app) in client.get(app.get_absolute_url()).content.decode()


# --- 公示 and the recognition document -------------------------------------------------------------------

def test_the_publicity_notice_lists_the_stations_dates_and_how_to_object_without_personal_data(client, unit_user):
    app = af.application_in(State.PUBLICITY, publicity_starts=date(2026, 3, 2), unit=unit_user.organization,
                            created_by=unit_user, unit_name=UNIT, leader_name="李昇")
    publicity = app.batch.publicity
    objection = af.ObjectionFactory(publicity=publicity, application=app, name="欧阳喆", phone="13935612345")
    pdf = _pdf(client.get(reverse("applications:publicity_pdf", args=[app.batch.year])))  # not signed in
    text = flat(pdftotext(pdf))
    assert f"沁水县技师工作站（{UNIT}·钳工）" in text and "李昇" in text
    assert "2026年3月2日" in text and f"{publicity.ends_on:%Y}年{publicity.ends_on.month}月{publicity.ends_on.day}日" in text
    assert "异议受理方式" in text and "实名提出" in text
    for private in (app.contact_phone, app.legal_representative_phone, app.bank_account_number, app.legal_representative,
                    objection.name, objection.phone):
        assert private not in text


def test_no_notice_before_the_list_is_published(client):
    batch = af.BatchFactory()
    assert client.get(reverse("applications:publicity_pdf", args=[batch.year])).status_code == 404


def test_the_recognition_document_names_its_number_date_issuers_and_stations(client, hr_user):
    station = core.WorkstationFactory(name=f"{UNIT}钳工技师工作站", plaque_number="QSJS-2031-001", leader_name="王堃")
    app = af.application_in(State.PUBLICITY, unit=station.unit, unit_name=UNIT)
    Application.objects.filter(pk=app.pk).update(state=State.RECOGNIZED, workstation=station)
    RecognitionDocument.objects.create(batch=app.batch, number="沁人社字〔2031〕40号", issued_on=date(2031, 12, 10),
                                       issuers=["org_dept", "hr_bureau", "finance_bureau"], recorded_by=hr_user)
    client.force_login(hr_user)
    text = flat(pdftotext(_pdf(client.get(reverse("applications:recognition_pdf", args=[app.batch.pk])))))
    for expected in ("沁人社字〔2031〕40号", "2031年12月10日", "中共沁水县委组织部", "沁水县人力资源和社会保障局",
                     "沁水县财政局", f"{UNIT}钳工技师工作站", "QSJS-2031-001", "王堃"):
        assert expected in text, expected


def test_the_recognition_document_is_for_the_issuing_bodies_only(client, unit_user, hr_user):
    batch = af.BatchFactory()
    RecognitionDocument.objects.create(batch=batch, number="沁人社字〔2031〕41号", issued_on=date(2031, 12, 10),
                                       issuers=["org_dept", "hr_bureau", "finance_bureau"], recorded_by=hr_user)
    client.force_login(unit_user)
    assert client.get(reverse("applications:recognition_pdf", args=[batch.pk])).status_code == 403
    client.force_login(hr_user)
    assert client.get(reverse("applications:recognition_pdf", args=[af.BatchFactory().pk])).status_code == 404


# --- the batch workbook --------------------------------------------------------------------------------

def test_the_batch_workbook_lists_the_batch_page_rows_with_the_same_figures(client, hr_user, unit_user):
    submitted = _submitted(unit_user)
    af.application_in(State.RECOMMENDED, batch=submitted.batch, occupation="焊工", staff_total=400)
    af.ApplicationFactory(batch=submitted.batch)  # a draft: not on the batch page, not in the workbook
    client.force_login(hr_user)
    response = client.get(reverse("applications:batch_xlsx", args=[submitted.batch.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
                .iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header[:4] == ("序号", "申报单位", "职业（工种）", "领办人")
    assert sorted((r["职业（工种）"], r["状态"]) for r in body) == [("焊工", "已推荐，待人社局审核"), ("钳工", "待主管部门初审")]
    mine = next(r for r in body if r["申报单位"] == UNIT)
    assert mine["员工总人数"] == 200 and mine["技术技能人才"] == 35 and str(mine["技术技能人才占比（%）"]) == "17.5"
    assert mine["拟入站人员"] == 3 and mine["领办人"] == "张喆"
    page = client.get(reverse("applications:batch_detail", args=[submitted.batch.pk])).content.decode()
    assert all(r["申报单位"] in page for r in body) and len(body) == 2


def test_the_batch_workbook_is_hrs(client, department_user):
    batch = af.BatchFactory()
    client.force_login(department_user)
    assert client.get(reverse("applications:batch_xlsx", args=[batch.pk])).status_code == 403


def test_the_recognition_document_reads_its_stations_in_the_same_number_of_queries_for_1_or_4(hr_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.documents import recognition_context

    batch = af.BatchFactory()
    RecognitionDocument.objects.create(batch=batch, number="沁人社字〔2031〕41号", issued_on=date(2031, 12, 10),
                                       issuers=["hr_bureau"], recorded_by=hr_user)
    counts = []
    for n in (1, 3):
        for _ in range(n):
            station = core.WorkstationFactory()
            app = af.application_in(State.PUBLICITY, batch=batch, unit=station.unit)
            Application.objects.filter(pk=app.pk).update(state=State.RECOGNIZED, workstation=station)
        batch = type(batch).objects.get(pk=batch.pk)
        with CaptureQueriesContext(connection) as queries:
            units = [s.unit.name for s in recognition_context(batch)["stations"]]  # as the template prints them
        counts.append((len(units), len(queries)))
    assert [n for n, _q in counts] == [1, 4]
    assert counts[0][1] == counts[1][1]
