"""The workbook HR fills and the portal exports (docs/import.md describes it column by column): a data sheet with
one row per station, a sheet of instructions carrying the template's version, and a sheet of allowed values that
the data sheet's drop-downs read. Export and import share these definitions, so a workbook the portal wrote is
read back to the same values."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

# The version this portal writes and reads. A later template (more or other columns) carries a higher number;
# a file with a number above this one is refused as a whole (docs/import.md, "Template versions").
VERSION = 1

DATA_SHEET = gettext_lazy("工作站")
INFO_SHEET = gettext_lazy("填写说明")
VALUES_SHEET = gettext_lazy("可选值")
VERSION_LABEL = gettext_lazy("模板版本")
VERSION_CELL = "B2"  # on the instructions sheet; A2 holds VERSION_LABEL

MAX_ROWS = 2000  # data rows; the county has a few hundred stations at most


@dataclass(frozen=True)
class Column:
    key: str
    header: object  # lazy string
    help: object
    width: int = 16
    choices: str = ""  # the allowed-values list the cell's drop-down reads

    @property
    def letter(self) -> str:
        return get_column_letter(COLUMN_INDEX[self.key] + 1)


COLUMNS: tuple[Column, ...] = (
    Column("credit_code", gettext_lazy("统一社会信用代码"),
           gettext_lazy("必填。18位，按GB 32100-2015校验；第3–8位为登记机关行政区划代码：140521（沁水县）直接通过，山西省内"
                        "其他代码标注待主管部门确认，省外代码不予导入（第四条）。"), 22),
    Column("unit_name", gettext_lazy("单位名称"), gettext_lazy("必填。营业执照或批准文件上的登记名称，120字以内。"), 30),
    Column("unit_type", gettext_lazy("单位类型"), gettext_lazy("必填。从“可选值”中选择（第四条的五类单位）。"), 18,
           "unit_types"),
    Column("department", gettext_lazy("行业主管部门"), gettext_lazy("必填。须为平台中已有的行业主管部门，从“可选值”中选择。"),
           18, "departments"),
    Column("contact_person", gettext_lazy("联系人"), gettext_lazy("单位尚无平台账号时必填：账号以此人为姓名。"), 12),
    Column("contact_phone", gettext_lazy("联系电话"), gettext_lazy("选填。11位手机号或区号-号码形式的固定电话。"), 16),
    Column("contact_email", gettext_lazy("电子邮箱"),
           gettext_lazy("单位尚无平台账号时必填：平台向此邮箱发送设置密码的邀请，账号的用户名为统一社会信用代码。"), 24),
    Column("bank_account_name", gettext_lazy("银行开户名称"), gettext_lazy("有已拨付批次时必填（收款户名）。"), 26),
    Column("bank_name", gettext_lazy("开户银行"), gettext_lazy("有已拨付批次时必填（收款银行）。"), 22),
    Column("bank_account_number", gettext_lazy("银行开户账号"), gettext_lazy("有已拨付批次时必填（收款账号），40字以内。"), 24),
    Column("occupation", gettext_lazy("职业（工种）"), gettext_lazy("必填，60字以内。"), 16),
    Column("leader_name", gettext_lazy("领办人"), gettext_lazy("必填，40字以内。"), 12),
    Column("leader_skill_level", gettext_lazy("领办人职业技能等级"), gettext_lazy("必填，如：高级技师，40字以内。"), 16),
    Column("document_number", gettext_lazy("认定文号"), gettext_lazy("必填。联合认定文件的文号，60字以内。"), 22),
    Column("recognized_on", gettext_lazy("认定日期"),
           gettext_lazy("必填。日期（如2024-06-18），不早于2023年1月1日（办法印发之年），不晚于今天。"), 14),
    Column("construction_ends_on", gettext_lazy("建设期截止日期"),
           gettext_lazy("选填，由平台按认定日期计算（两年，至满两年的前一日）；填写时须与计算结果一致。"), 14),
    Column("plaque_number", gettext_lazy("牌匾编号"), gettext_lazy("必填，全表唯一：平台以牌匾编号识别工作站。40字以内。"), 16),
    Column("amount", gettext_lazy("补助金额（元）"), gettext_lazy("必填。大于零，精确到分，如100000.00。"), 14),
    Column("first_amount", gettext_lazy("第一批金额（元）"),
           gettext_lazy("选填；填写时须等于补助金额的40%（四舍五入到分）。"), 14),
    Column("first_state", gettext_lazy("第一批状态"), gettext_lazy("必填。待审批、已审批待拨付、已拨付或已取消。"), 14,
           "tranche_states"),
    Column("first_paid_on", gettext_lazy("第一批拨付日期"), gettext_lazy("已拨付时必填，其他状态不填。"), 14),
    Column("first_voucher", gettext_lazy("第一批凭证号"), gettext_lazy("已拨付时必填，其他状态不填。"), 16),
    Column("second_amount", gettext_lazy("第二批金额（元）"),
           gettext_lazy("选填；填写时须等于补助金额减去第一批金额。"), 14),
    Column("second_state", gettext_lazy("第二批状态"),
           gettext_lazy("建设期满验收合格后必填，此前留空（未安排）。可选值同第一批。"), 14, "tranche_states"),
    Column("second_paid_on", gettext_lazy("第二批拨付日期"), gettext_lazy("已拨付时必填，其他状态不填。"), 14),
    Column("second_voucher", gettext_lazy("第二批凭证号"), gettext_lazy("已拨付时必填，其他状态不填。"), 16),
    Column("grade1_year", gettext_lazy("评估年度（一）"),
           gettext_lazy("已在纸面完成的年度评估：年度须在认定次年至建设期截止之年之间，且不晚于今年。"), 12),
    Column("grade1", gettext_lazy("评估等级（一）"), gettext_lazy("优秀、合格或不合格；与评估年度（一）同时填写。"), 12,
           "grades"),
    Column("grade2_year", gettext_lazy("评估年度（二）"), gettext_lazy("同上，另一年度。"), 12),
    Column("grade2", gettext_lazy("评估等级（二）"), gettext_lazy("同上。建设期截止之年的评估即建设期满验收。"), 12, "grades"),
    Column("revocation_ground", gettext_lazy("撤销情形"),
           gettext_lazy("已撤销时填写，从“可选值”中选择；年度评估不合格的，撤销情形为“年度评估不合格（第九条）”。"), 30,
           "grounds"),
    Column("revoked_on", gettext_lazy("撤销日期"), gettext_lazy("已撤销时必填，不早于认定日期，不晚于今天。"), 14),
    Column("revocation_facts", gettext_lazy("撤销事实与依据"), gettext_lazy("已撤销时必填，5000字以内。"), 30),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
BY_KEY = {c.key: c for c in COLUMNS}


def headers() -> list[str]:
    return [str(c.header) for c in COLUMNS]


def instructions() -> list[str]:
    return [
        _("每个工作站填写一行，从第2行起；第1行的列标题不要修改、不要增删列。"),
        _("单元格只填数值或文字，不要使用公式；整张表最多%(n)d行。") % {"n": MAX_ROWS},
        _("上传后平台先逐行校验并列出预览：新增、与平台数据相同、有变化、不予导入（标明行号和列）。"
          "有任何一行不予导入时，不写入任何数据；全部通过后方可确认导入，全部写入或全部不写入。"),
        _("同一文件再次导入不会改变任何数据；修正后的文件只更新有变化的内容，预览中逐项列出。"),
        _("导入的工作站不产生申报、评审或公示记录；历史评估结果只记录年度和等级，不产生专家评分。"),
    ]
