"""Day one in a bureau (issue 18): HR downloads nothing but the template it already filled, uploads 200 stations
recognized on paper, reads the preview, commits, and finds the stations in the station list, the tranche list and
a station's page; uploading the same file again offers nothing to write."""

import pytest

from qinshui_station.models import Workstation
from tests import factories
from tests.browser.fixtures import screenshot, sign_in
from tests.browser.steps import confirm_step
from tests.records import workbooks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(page, data: bytes) -> None:
    page.get_by_label("填好的导入模板（.xlsx）").set_input_files(
        {"name": "历史工作站.xlsx", "mimeType": XLSX, "buffer": data})
    page.get_by_role("button", name="上传并预览").click()


def test_hr_imports_200_stations_and_finds_them_in_the_lists(page):
    workbooks.departments()
    factories.HRUserFactory(username="hr_day_one")
    data = workbooks.xlsx([workbooks.row(n) for n in range(200)])

    sign_in(page, "hr_day_one", factories.PASSWORD)
    page.get_by_role("button", name="系统管理").or_(page.get_by_role("link", name="系统管理")).first.click()
    page.get_by_role("link", name="历史数据导入").click()
    _upload(page, data)
    assert page.locator(".import-summary").inner_text().startswith("共200行")
    assert page.locator("tr.import-new").count() == 200
    screenshot(page, "import-preview")
    assert Workstation.objects.count() == 0

    form = confirm_step(page, "确认导入")
    form.get_by_label("我已了解上述后果，确认执行").check()
    form.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入完成：新增200个工作站，更新0个，0个无变化。").wait_for()
    assert Workstation.objects.count() == 200
    assert page.get_by_role("link", name="历史工作站.xlsx").count() == 1

    page.goto("/workstations/?q=QSJS-H0004")
    page.get_by_role("link", name="沁水县技师工作站（沁水历史企业4有限公司·焊工）").click()
    body = page.locator("main").inner_text()
    assert "QSJS-H0004" in body and "验收合格" in body
    screenshot(page, "import-station-detail")

    page.goto("/funding/tranches/?state=scheduled&q=沁水历史企业2有限公司")
    assert "沁水历史企业2有限公司" in page.locator("main").inner_text()

    page.goto("/records/import/")
    _upload(page, data)
    page.get_by_text("文件内容与平台数据相同，没有需要导入的内容。").wait_for()
    assert page.locator("tr.import-unchanged").count() == 200
    assert page.locator("form.confirm-step").count() == 0
