"""One bad cell of each kind: the row is refused with a Chinese message at its cell (row number and column
letter), the other rows are still checked, and nothing is written, by the preview or by a commit."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qinshui_station.models import AuditEntry, Organization, Workstation
from qinshui_station.validators import credit_code_check_character
from records import services
from records.models import ImportFile
from tests.records import workbooks

pytestmark = pytest.mark.django_db


def _code(division: str) -> str:
    body = f"91{division}MA0000001"
    return body + credit_code_check_character(body)


def _refusals(rows, edit=None):
    data = workbooks.xlsx(rows, edit=edit)
    result = services.preview(data=data, name="坏单元格.xlsx")
    return data, {r.number: r.errors for r in result.check.rows if r.status == "refused"}


TOMORROW = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()

# (column, value, row kind, the message)
BAD_CELLS = [
    ("credit_code", "91140521MA0000001X", 2, "统一社会信用代码校验位不正确，请核对后重新输入。"),
    ("credit_code", "91140521MA00001", 2, "统一社会信用代码应为18位，当前为15位。"),
    ("credit_code", _code("110105"), 2,
     "统一社会信用代码显示登记机关的行政区划代码为110105，不在山西省。按《沁水县技师工作站管理考核办法》第四条，申报单位须在沁水县注册。"),
    ("unit_name", "", 2, "必填，不能为空。"),
    ("unit_type", "个体工商户", 2,
     "“个体工商户”不是可选值之一：企业、行业协会、科研生产型事业单位、公共技能实训基地、高技能人才培训基地。"),
    ("department", "县教育局", 2, "平台中没有名为“县教育局”的行业主管部门，请从“可选值”中选择。"),
    ("contact_email", "not-an-email", 2, "请输入有效的电子邮箱。"),
    ("contact_phone", "12345", 2, "请输入有效的电话号码：11位手机号，或区号-号码形式的固定电话（如0356-7021234）。"),
    ("occupation", "焊" * 61, 2, "不能超过60个字（当前61个）。"),
    ("recognized_on", "2025-02-30", 2, "“2025-02-30”不是有效日期，请填写如2024-06-18的日期。"),
    ("recognized_on", "2022-12-31", 2,
     "日期2022-12-31不在2023-01-01至今天（%s）之间：《沁水县技师工作站管理考核办法》2023年印发。"),
    ("construction_ends_on", "2027-06-18", 2, "建设期自认定日期2025-06-03起两年，截止日期应为2027-06-02，表中为2027-06-18。"),
    ("amount", "十万元", 2, "“十万元”不是金额，请填写如100000.00的数字。"),
    ("amount", "100000.005", 2, "金额须精确到分（最多两位小数）。"),
    ("amount", "0", 2, "金额须大于零。"),
    ("first_amount", "30000.00", 2, "应为补助金额按40%/60%拆分后的40000.00元，表中为30000.00元。"),
    ("first_state", "已发放", 2, "“已发放”不是可选值之一：待审批、已审批待拨付、已拨付、已取消。"),
    ("first_voucher", "记-1", 2, "只有已拨付的批次填写凭证号。"),
    ("grade1_year", "2030", 1, "2030年不是该工作站的评估年度：认定于2024-07-02，应在2025至2026年间评估（第九条）。"),
    ("grade1", "良好", 1, "“良好”不是可选值之一：优秀、合格、不合格。"),
    ("second_state", "待审批", 1,
     "尚无合格的建设期满验收评估等级，第二批资金不应安排：请留空，或在评估年度和等级中填写建设期截止之年的评估结果。"),
    ("revocation_ground", "", 3, "2024年评估不合格，应撤销称号（第九条）：请填写撤销情形“年度评估不合格（第九条）”、撤销日期和事实与依据。"),
    ("revoked_on", "2023-01-02", 3, "撤销日期2023-01-02早于认定日期2023-05-04。"),
]


@pytest.mark.parametrize("key,value,kind,message", BAD_CELLS, ids=[f"{k}-{i}" for i, (k, *_r) in enumerate(BAD_CELLS)])
def test_one_bad_cell_refuses_its_row_at_its_cell_and_nothing_is_written(departments, hr, key, value, kind, message):
    rows = [workbooks.row(1), workbooks.row(2), workbooks.row(3)]
    target = {1: 0, 2: 1, 3: 2}[kind]
    rows[target] = {**rows[target], key: value}
    data, refused = _refusals(rows)
    letter = __import__("records.template", fromlist=["BY_KEY"]).BY_KEY[key].letter
    expected = message % timezone.localdate().isoformat() if "%s" in message else message
    assert refused == {target + 2: [(f"{letter}{target + 2}", expected)]}
    with pytest.raises(ValidationError):
        services.commit(actor=hr, data=data, name="坏单元格.xlsx")
    assert (Workstation.objects.count(), Organization.objects.filter(kind="unit").count(), ImportFile.objects.count(),
            AuditEntry.objects.count()) == (0, 0, 0, 0)


def test_a_date_in_the_future_is_refused(departments):
    _data, refused = _refusals([workbooks.row(2, recognized_on=TOMORROW)])
    assert refused[2][0][0] == "O2"
    assert refused[2][0][1].startswith(f"日期{TOMORROW}不在2023-01-01至今天")


def test_a_paid_tranche_needs_its_voucher_and_the_account_paid_into(departments):
    _data, refused = _refusals([workbooks.row(1, first_voucher="", bank_account_number="")])
    assert refused == {2: [("V2", "已拨付的批次须填写凭证号。"), ("J2", "有已拨付的批次，须填写收款的银行开户账号。")]}


def test_a_revoked_station_cannot_keep_a_tranche_waiting(departments):
    _data, refused = _refusals([workbooks.row(3, first_state="待审批", first_paid_on="", first_voucher="")])
    assert refused == {2: [("T2", "工作站已撤销，未拨付的批次应为“已取消”（第九条、第十条）。")]}


def test_a_final_acceptance_passed_needs_the_second_tranche(departments):
    _data, refused = _refusals([workbooks.row(0, second_state="", second_paid_on="", second_voucher="")])
    assert refused == {2: [("X2", "建设期满验收合格，第二批资金应已安排：请填写第二批状态。")]}


def test_the_same_plaque_number_twice_is_refused_at_the_second_row(departments):
    _data, refused = _refusals([workbooks.row(1), workbooks.row(2, plaque_number="QSJS-H0001")])
    assert refused == {3: [("Q3", "牌匾编号“QSJS-H0001”与第2行重复：每个工作站填写一行。")]}


def test_a_unit_outside_the_county_but_in_shanxi_is_imported_with_a_flag(departments):
    row = workbooks.row(2, credit_code=_code("140500"))
    result = services.preview(data=workbooks.xlsx([row]), name="a.xlsx")
    (only,) = result.check.rows
    assert only.status == "new"
    assert only.warnings == ["A2：统一社会信用代码的登记机关在山西省内、沁水县外（140500），导入后请行业主管部门确认其注册地址在沁水县（第四条）。"]


def test_dates_typed_as_excel_dates_read_the_same_as_text(departments):
    data = workbooks.xlsx([workbooks.row(2)], edit=workbooks.set_cell("recognized_on", 2, datetime(2025, 6, 3)))
    result = services.preview(data=data, name="a.xlsx")
    assert result.check.rows[0].status == "new"
    assert result.check.rows[0].typed["recognized_on"] == date(2025, 6, 3)


def test_a_unit_without_an_account_needs_an_email_for_the_invitation(departments):
    _data, refused = _refusals([workbooks.row(2, contact_email="")])
    assert refused == {2: [("G2", "该单位尚无平台账号：须填写电子邮箱，平台向此邮箱发送设置密码的邀请。")]}


def test_a_period_ended_without_a_final_acceptance_grade_is_imported_with_a_warning(departments):
    row = workbooks.row(4, kind=0, grade2_year="", grade2="", second_state="", second_paid_on="", second_voucher="")
    result = services.preview(data=workbooks.xlsx([row]), name="a.xlsx")
    (only,) = result.check.rows
    assert (only.status, only.state) == ("new", "construction")
    assert only.warnings == ["第2行：建设期已于2025-06-04届满，但没有建设期满验收（2025年度）的评估等级，"
                             "导入后仍处于建设期，待平台内的年度评估验收。"]
