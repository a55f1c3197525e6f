"""The import page (upload → preview → commit), the downloads, and who may open them."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import AttachmentKind
from qinshui_station.models import Workstation
from reviews import services as review_services
from tests import factories
from tests.applications import factories as app_factories
from tests.funding import factories as funding_factories
from tests.records import workbooks

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, data: bytes, name: str = "历史工作站.xlsx"):
    return client.post(reverse("records:import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


@pytest.mark.parametrize("fixture", ["unit_user", "department_user", "finance_user", "org_dept_user", "expert"])
def test_only_hr_opens_the_import_page_and_downloads(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    for name in ("records:import", "records:template", "records:export"):
        assert client.get(reverse(name)).status_code == 403


def test_the_template_download_has_the_three_sheets_and_the_version(client, hr, departments):
    client.force_login(hr)
    response = client.get(reverse("records:template"))
    assert response["Content-Type"] == XLSX and response["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["工作站", "填写说明", "可选值"]
    assert book["填写说明"]["A2"].value == "模板版本" and book["填写说明"]["B2"].value == 1
    assert [c.value for c in book["可选值"]["B"] if c.value] == ["行业主管部门", "县农业农村局", "县工信局", "县能源局"]


def test_upload_shows_the_preview_and_commit_writes(client, hr, departments):
    client.force_login(hr)
    page = _upload(client, workbooks.xlsx([workbooks.row(n) for n in range(5)]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="import-row import-new"') == 5
    assert Workstation.objects.count() == 0
    token = page.context["token_field"].split('value="')[1].split('"')[0]
    refused = client.post(reverse("records:import_commit"), {"token": token})
    assert refused.status_code == 302 and Workstation.objects.count() == 0
    page = _upload(client, workbooks.xlsx([workbooks.row(n) for n in range(5)]))
    token = page.context["token_field"].split('value="')[1].split('"')[0]
    done = client.post(reverse("records:import_commit"), {"token": token, "confirm": "1"}, follow=True)
    assert "导入完成：新增5个工作站，更新0个，0个无变化。" in done.content.decode()
    assert Workstation.objects.count() == 5


def test_a_refused_row_is_shown_at_its_cell_and_no_commit_is_offered(client, hr, departments):
    client.force_login(hr)
    page = _upload(client, workbooks.xlsx([workbooks.row(1), workbooks.row(2, amount="十万")]))
    html = page.content.decode()
    assert "<strong>R3</strong>：“十万”不是金额，请填写如100000.00的数字。" in html
    assert "有1行不予导入，未写入任何数据。" in html
    assert reverse("records:import_commit") not in html


def test_a_non_excel_file_gets_the_message_at_the_field(client, hr, departments):
    client.force_login(hr)
    page = _upload(client, b"%PDF-1.4 not a workbook")
    assert page.context["form"].errors["file"] == [
        "文件“历史工作站.xlsx”不是Excel工作簿（.xlsx）：系统按文件内容识别，不看扩展名。"
        "请在平台下载导入模板，填写后以.xlsx格式保存再上传。"]


def test_imported_stations_appear_in_the_station_and_tranche_lists(client, hr, departments):
    from records import services

    services.commit(actor=hr, data=workbooks.xlsx([workbooks.row(n) for n in range(4)]), name="a.xlsx")
    client.force_login(hr)
    stations = client.get(reverse("workstation_list")).content.decode()
    assert all(f"QSJS-H{n:04d}" in stations for n in range(4))
    tranches = client.get(reverse("funding:tranche_list")).content.decode()
    assert "沁水历史企业2有限公司" in tranches


def test_a_unit_downloads_its_own_records_as_one_archive(client, hr, departments):
    from records import services

    services.commit(actor=hr, data=workbooks.xlsx([workbooks.row(1), workbooks.row(5)]), name="a.xlsx")
    station = Workstation.objects.get(plaque_number="QSJS-H0001")
    unit_user = factories.UnitUserFactory(organization=station.unit)
    other = Workstation.objects.get(plaque_number="QSJS-H0005")
    review_services.add_ledger_entry(actor=unit_user, workstation_id=station.pk, kind="project",
                                     occurred_on=date(2025, 5, 6), title="焊接工艺改进",
                                     files=[app_factories.pdf("台账照片.pdf")])
    funding_factories.spend(station, unit_user, Decimal("1200.00"), on=date(2025, 6, 1))
    application = app_factories.ApplicationFactory(unit=station.unit, created_by=unit_user)
    app_factories.add_file(application, AttachmentKind.APPLICATION_REPORT, name="申请报告.pdf")
    other_user = factories.UnitUserFactory(organization=other.unit)
    funding_factories.spend(other, other_user, Decimal("800.00"), on=date(2025, 6, 1))
    client.force_login(unit_user)
    response = client.get(reverse("records:unit_archive"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 4 and "本单位档案.xlsx" in names
    assert [n.split("/")[0] for n in names if n != "本单位档案.xlsx"] == ["工作台账", "支出凭证", "申报材料"]
    book = load_workbook(io.BytesIO(archive.read("本单位档案.xlsx")))
    assert book.sheetnames == ["申报", "工作站", "年度评估", "工作台账", "补助拨付", "补助支出", "附件清单"]
    assert [r[0] for r in book["工作站"].iter_rows(min_row=2, values_only=True)] == ["QSJS-H0001"]
    assert [r[3] for r in book["补助支出"].iter_rows(min_row=2, values_only=True)] == ["1200.00"]
    assert [(r[1], r[6], r[7]) for r in book["年度评估"].iter_rows(min_row=2, values_only=True)] == [
        (2025, "合格", "纸面评估（导入）")]


def test_an_imported_station_page_shows_its_paper_grades_and_for_hr_the_file(client, hr, departments):
    from records import services

    services.commit(actor=hr, data=workbooks.xlsx([workbooks.row(4)]), name="纸质档案.xlsx")
    station = Workstation.objects.get()
    client.force_login(hr)
    html = client.get(station.get_absolute_url()).content.decode()
    assert "平台启用前的记录（导入）" in html and "导入文件：纸质档案.xlsx" in html
    assert html.count("纸面评估") == 2
    unit_user = factories.UnitUserFactory(organization=station.unit)
    client.force_login(unit_user)
    html = client.get(station.get_absolute_url()).content.decode()
    assert "平台启用前的记录（导入）" in html and "纸质档案.xlsx" not in html


def test_hr_downloads_the_kept_file_as_committed(client, hr, departments):
    from records import services
    from records.models import ImportFile

    data = workbooks.xlsx([workbooks.row(1)])
    services.commit(actor=hr, data=data, name="纸质档案.xlsx")
    kept = ImportFile.objects.get()
    client.force_login(hr)
    response = client.get(reverse("records:import_file", args=[kept.pk]))
    assert b"".join(response.streaming_content) == data
    assert "attachment" in response["Content-Disposition"]
    page = client.get(reverse("records:import")).content.decode()
    assert kept.sha256 in page and "纸质档案.xlsx" in page
