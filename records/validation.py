"""Every row of an uploaded workbook checked with the portal's own validators and rules, before anything is
written: each cell parsed to its canonical text (``values``) and typed value, then the row's rules (dates within
the measures' years, the construction period, the split of the amount, grades consistent with the state,
tranches consistent with the revocation), then the row compared with what the portal holds. The outcome of each
row is new, unchanged, changed or refused; each refusal names its cell (row number and column letter)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funding.tranches import split
from funding.workflow import TrancheKind, TrancheState
from qinshui_station.models import Organization, RevocationGround
from qinshui_station.models.workstations import construction_end
from qinshui_station.roles import OrgKind, Role, UnitType
from qinshui_station.validators import check_county_registration, validate_credit_code, validate_phone
from records import template, values
from records.values import text_of_date, text_of_money
from reviews.workflow import Grade

FIRST_DAY = date(2023, 1, 1)  # 沁人社字〔2023〕26号 was issued in 2023; no station was recognized before
MAX_AMOUNT = Decimal("9999999999.99")

NEW, UNCHANGED, CHANGED, REFUSED = "new", "unchanged", "changed", "refused"
STATUS_LABELS = {NEW: gettext_lazy("新增"), UNCHANGED: gettext_lazy("与平台数据相同"), CHANGED: gettext_lazy("有变化"),
                 REFUSED: gettext_lazy("不予导入")}

TEXT_LIMITS = {"unit_name": 120, "contact_person": 40, "contact_phone": 20, "contact_email": 254,
               "bank_account_name": 120, "bank_name": 120, "bank_account_number": 40, "occupation": 60,
               "leader_name": 40, "leader_skill_level": 40, "document_number": 60, "plaque_number": 40,
               "first_voucher": 60, "second_voucher": 60, "revocation_facts": 5000, "credit_code": 18}
REQUIRED = ("credit_code", "unit_name", "unit_type", "department", "occupation", "leader_name", "leader_skill_level",
            "document_number", "recognized_on", "plaque_number", "amount", "first_state")
UNIT_KEYS = ("credit_code", "unit_name", "unit_type", "department", "contact_person", "contact_phone",
             "contact_email", "bank_account_name", "bank_name", "bank_account_number")
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
CONTROL = {chr(c) for c in range(32)} - {"\n", "\t"}


@dataclass
class Row:
    number: int
    values: dict[str, str] = field(default_factory=dict)  # canonical text per column
    typed: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (cell, message)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # headers of the columns that differ from the portal
    status: str = NEW
    station: object = None  # the portal's station with this plaque number, if any
    organization: object = None  # the portal's unit with this credit code, if any

    def refuse(self, key: str | None, message: str) -> None:
        cell = f"{template.BY_KEY[key].letter}{self.number}" if key else str(self.number)
        self.errors.append((cell, message))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def state(self) -> str:
        if self.typed.get("revocation_ground"):
            return "revoked"
        return "accepted" if self.typed.get("final_passed") else "construction"


@dataclass
class Check:
    rows: list[Row]

    @property
    def refused(self) -> list[Row]:
        return [r for r in self.rows if r.status == REFUSED]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def writes_anything(self) -> bool:
        return any(r.status in (NEW, CHANGED) for r in self.rows)


def check(raw_rows: list[tuple[int, list]], *, today: date | None = None) -> Check:
    today = today or timezone.localdate()
    rows = [_parse(number, cells, today) for number, cells in raw_rows]
    context = _Context(rows)
    seen_plaques: dict[str, int] = {}
    seen_units: dict[str, Row] = {}
    seen_names: dict[str, str] = {}
    for row in rows:
        plaque, code = row.values.get("plaque_number"), row.values.get("credit_code")
        if plaque:
            if plaque in seen_plaques:
                row.refuse("plaque_number", _("牌匾编号“%(plaque)s”与第%(row)d行重复：每个工作站填写一行。")
                           % {"plaque": plaque, "row": seen_plaques[plaque]})
            seen_plaques.setdefault(plaque, row.number)
        if code and not _has_error(row, "credit_code"):
            first = seen_units.setdefault(code, row)
            for key in UNIT_KEYS[1:]:
                if first is not row and row.values.get(key) != first.values.get(key):
                    row.refuse(key, _("同一单位（%(code)s）在第%(row)d行填写的%(column)s为“%(value)s”，两行须一致。")
                               % {"code": code, "row": first.number, "column": template.BY_KEY[key].header,
                                  "value": first.values.get(key)})
            name = row.values.get("unit_name")
            if name and seen_names.setdefault(name, code) != code:
                row.refuse("unit_name", _("单位名称“%(name)s”在表中对应两个不同的统一社会信用代码。") % {"name": name})
        context.compare(row)
        row.status = REFUSED if row.errors else row.status
    return Check(rows=rows)


def _has_error(row: Row, key: str) -> bool:
    return any(cell.rstrip("0123456789") == template.BY_KEY[key].letter for cell, _m in row.errors)


# --- Cells ------------------------------------------------------------------------------------------------

def unescape(value: str) -> str:
    """Exports written before 2026-11-29 put a leading apostrophe before text that would read as a formula (they
    now use Excel's quote prefix, which reads back as the text itself); take it off again for those files."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def _text(row: Row, key: str, raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        row.refuse(key, _("应填写文字，文件中为逻辑值。"))
        return ""
    if isinstance(raw, (int, float, Decimal)):
        try:
            raw = format(Decimal(str(raw)).normalize(), "f") if raw == int(raw) else str(raw)
        except (ArithmeticError, ValueError):
            raw = str(raw)
    if isinstance(raw, (datetime, date)):
        raw = raw.date().isoformat() if isinstance(raw, datetime) else raw.isoformat()
    value = unescape(str(raw).strip())
    if any(ch in CONTROL for ch in value):
        row.refuse(key, _("含有不可见的控制字符，请删除后重新填写。"))
        return ""
    limit = TEXT_LIMITS.get(key)
    if limit and len(value) > limit:
        row.refuse(key, _("不能超过%(max)d个字（当前%(n)d个）。") % {"max": limit, "n": len(value)})
    return value


def _date(row: Row, key: str, raw, today: date) -> date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    else:
        match = DATE_RE.match(str(raw).strip()) if isinstance(raw, str) else None
        try:
            value = date(*(int(g) for g in match.groups())) if match else None
        except ValueError:
            value = None
        if value is None:
            row.refuse(key, _("“%(value)s”不是有效日期，请填写如2024-06-18的日期。") % {"value": raw})
            return None
    if value < FIRST_DAY or (value > today and key != "construction_ends_on"):
        row.refuse(key, _("日期%(date)s不在%(first)s至今天（%(today)s）之间：《沁水县技师工作站管理考核办法》2023年印发。")
                   % {"date": value.isoformat(), "first": FIRST_DAY.isoformat(), "today": today.isoformat()})
        return None
    return value


def _money(row: Row, key: str, raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        row.refuse(key, _("应填写金额。"))
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "").replace("，", "").lstrip("¥￥"))
    except InvalidOperation:
        row.refuse(key, _("“%(value)s”不是金额，请填写如100000.00的数字。") % {"value": raw})
        return None
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        row.refuse(key, _("金额须大于零。") if value.is_finite() and value <= 0 else _("金额超出范围。"))
        return None
    if value != value.quantize(Decimal("0.01")):
        row.refuse(key, _("金额须精确到分（最多两位小数）。"))
        return None
    return value.quantize(Decimal("0.01"))


def _year(row: Row, key: str, raw) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = Decimal(str(raw).strip().rstrip("年"))
        if number != int(number):
            raise InvalidOperation
        return int(number)
    except (InvalidOperation, ValueError):
        row.refuse(key, _("“%(value)s”不是年度，请填写如2024的四位数字。") % {"value": raw})
        return None


def _choice(row: Row, key: str, raw, options: dict[str, str]) -> str:
    """``options`` maps each allowed label to its stored value; returns the value ("" when blank or refused)."""
    text = _text(row, key, raw)
    if not text:
        return ""
    if text not in options:
        row.refuse(key, _("“%(value)s”不是可选值之一：%(options)s。") % {"value": text, "options": "、".join(options)})
        return ""
    return options[text]


def _parse(number: int, cells: list, today: date) -> Row:
    row = Row(number=number)
    raw = dict(zip((c.key for c in template.COLUMNS), cells, strict=True))
    typed, out = row.typed, row.values
    unit_types = {label: value for value, label in values.labels(UnitType).items()}
    states = {label: value for value, label in values.labels(TrancheState).items()}
    grades = {label: value for value, label in values.labels(Grade).items()}
    grounds = {label: value for value, label in values.labels(RevocationGround).items()}
    for key in TEXT_LIMITS:
        out[key] = _text(row, key, raw[key])
    out["credit_code"] = out["credit_code"].upper()
    typed["unit_type"] = _choice(row, "unit_type", raw["unit_type"], unit_types)
    out["department"] = _text(row, "department", raw["department"])
    for key in ("recognized_on", "construction_ends_on", "first_paid_on", "second_paid_on", "revoked_on"):
        typed[key] = _date(row, key, raw[key], today)
    for key in ("amount", "first_amount", "second_amount"):
        typed[key] = _money(row, key, raw[key])
    for key in ("first_state", "second_state"):
        typed[key] = _choice(row, key, raw[key], states)
    for index in (1, 2):
        typed[f"grade{index}_year"] = _year(row, f"grade{index}_year", raw[f"grade{index}_year"])
        typed[f"grade{index}"] = _choice(row, f"grade{index}", raw[f"grade{index}"], grades)
    typed["revocation_ground"] = _choice(row, "revocation_ground", raw["revocation_ground"], grounds)
    for key in REQUIRED:
        if raw[key] is None or (isinstance(raw[key], str) and not raw[key].strip()):
            row.refuse(key, _("必填，不能为空。"))
    _single_cells(row)
    _row_rules(row, today)
    _canonical(row)
    return row


def _single_cells(row: Row) -> None:
    out = row.values
    if out["credit_code"] and not _has_error(row, "credit_code"):
        try:
            validate_credit_code(out["credit_code"])
            if check_county_registration(out["credit_code"]) == "shanxi":
                row.warnings.append(_("%(cell)s：统一社会信用代码的登记机关在山西省内、沁水县外（%(division)s），"
                                      "导入后请行业主管部门确认其注册地址在沁水县（第四条）。")
                                    % {"cell": f"{template.BY_KEY['credit_code'].letter}{row.number}",
                                       "division": out["credit_code"][2:8]})
        except ValidationError as error:
            row.refuse("credit_code", " ".join(error.messages))
    for key, check_value in (("contact_phone", validate_phone), ("contact_email", validate_email)):
        if out[key]:
            try:
                check_value(out[key])
            except ValidationError as error:
                row.refuse(key, _("请输入有效的电子邮箱。") if key == "contact_email" else " ".join(error.messages))


def _row_rules(row: Row, today: date) -> None:
    typed = row.typed
    recognized = typed.get("recognized_on")
    if recognized:
        typed["construction_ends_on_computed"] = end = construction_end(recognized)
        given = typed.get("construction_ends_on")
        if given and given != end:
            row.refuse("construction_ends_on", _("建设期自认定日期%(start)s起两年，截止日期应为%(end)s，表中为%(given)s。")
                       % {"start": recognized.isoformat(), "end": end.isoformat(), "given": given.isoformat()})
    amount = typed.get("amount")
    parts = None
    if amount is not None:
        parts = split(amount)
        if parts[0] <= 0:
            row.refuse("amount", _("补助金额过小：按40%计算的第一批资金为¥0.00。"))
            parts = None
    for index, prefix in enumerate(("first", "second")):
        _tranche_cells(row, prefix, parts[index] if parts else None, recognized)
    _grades(row, recognized, today)
    _revocation(row, recognized)
    _tranches_and_state(row)
    if recognized and not row.errors and row.state == "construction" and construction_end(recognized) < today:
        row.warnings.append(_("第%(row)d行：建设期已于%(end)s届满，但没有建设期满验收（%(year)d年度）的评估等级，"
                              "导入后仍处于建设期，待平台内的年度评估验收。")
                            % {"row": row.number, "end": construction_end(recognized).isoformat(),
                               "year": construction_end(recognized).year})


def _tranche_cells(row: Row, prefix: str, due: Decimal | None, recognized: date | None) -> None:
    typed = row.typed
    state, given = typed.get(f"{prefix}_state"), typed.get(f"{prefix}_amount")
    header = template.BY_KEY[f"{prefix}_state"].header
    if given is not None and due is not None and given != due:
        row.refuse(f"{prefix}_amount", _("应为补助金额按40%%/60%%拆分后的%(due)s元，表中为%(given)s元。")
                   % {"due": text_of_money(due), "given": text_of_money(given)})
    if given is not None and not state and not _has_error(row, f"{prefix}_state"):
        row.refuse(f"{prefix}_amount", _("%(column)s为空（未安排），不应填写金额。") % {"column": header})
    paid_on, voucher = typed.get(f"{prefix}_paid_on"), row.values.get(f"{prefix}_voucher")
    if state == TrancheState.DISBURSED:
        if paid_on is None and not _has_error(row, f"{prefix}_paid_on"):
            row.refuse(f"{prefix}_paid_on", _("已拨付的批次须填写拨付日期。"))
        if not voucher:
            row.refuse(f"{prefix}_voucher", _("已拨付的批次须填写凭证号。"))
        if paid_on and recognized and paid_on < recognized:
            row.refuse(f"{prefix}_paid_on", _("拨付日期%(date)s早于认定日期%(start)s。")
                       % {"date": paid_on.isoformat(), "start": recognized.isoformat()})
        if not row.values.get("bank_account_number"):
            row.refuse("bank_account_number", _("有已拨付的批次，须填写收款的银行开户账号。"))
        if not row.values.get("bank_account_name"):
            row.refuse("bank_account_name", _("有已拨付的批次，须填写收款的银行开户名称。"))
    else:
        if paid_on:
            row.refuse(f"{prefix}_paid_on", _("只有已拨付的批次填写拨付日期。"))
        if voucher:
            row.refuse(f"{prefix}_voucher", _("只有已拨付的批次填写凭证号。"))


def _grades(row: Row, recognized: date | None, today: date) -> None:
    typed = row.typed
    results: list[tuple[int, str, int]] = []
    for index in (1, 2):
        year, grade = typed.get(f"grade{index}_year"), typed.get(f"grade{index}")
        if year is None and not grade:
            continue
        if year is None:
            if not _has_error(row, f"grade{index}_year"):
                row.refuse(f"grade{index}_year", _("填写了评估等级，须同时填写评估年度。"))
            continue
        if not grade:
            if not _has_error(row, f"grade{index}"):
                row.refuse(f"grade{index}", _("填写了评估年度，须同时填写评估等级。"))
            continue
        if recognized:
            first, last = recognized.year + 1, construction_end(recognized).year
            if not first <= year <= last:
                row.refuse(f"grade{index}_year", _("%(year)d年不是该工作站的评估年度：认定于%(start)s，"
                                                   "应在%(first)d至%(last)d年间评估（第九条）。")
                           % {"year": year, "start": recognized.isoformat(), "first": first, "last": last})
                continue
        if year > today.year:
            row.refuse(f"grade{index}_year", _("%(year)d年的评估尚未进行。") % {"year": year})
            continue
        if any(y == year for y, _g, _i in results):
            row.refuse(f"grade{index}_year", _("%(year)d年的评估等级填写了两次。") % {"year": year})
            continue
        results.append((year, grade, index))
    results.sort()
    typed["grades"] = [(year, grade) for year, grade, _i in results]
    for position, (year, grade, _index) in enumerate(results):
        if grade == Grade.UNQUALIFIED and position < len(results) - 1:
            row.refuse(f"grade{results[-1][2]}_year", _("%(year)d年评估不合格即撤销称号（第九条），此后不再评估。")
                       % {"year": year})
    end_year = construction_end(recognized).year if recognized else None
    typed["final_passed"] = any(year == end_year and grade in (Grade.QUALIFIED, Grade.EXCELLENT)
                                for year, grade in typed["grades"])
    typed["failed_year"] = next((year for year, grade in typed["grades"] if grade == Grade.UNQUALIFIED), None)


def _revocation(row: Row, recognized: date | None) -> None:
    typed, out = row.typed, row.values
    ground, on, facts = typed.get("revocation_ground"), typed.get("revoked_on"), out.get("revocation_facts")
    failed_year = typed.get("failed_year")
    if not ground:
        if _has_error(row, "revocation_ground"):
            return
        if failed_year:
            row.refuse("revocation_ground", _("%(year)d年评估不合格，应撤销称号（第九条）：请填写撤销情形"
                                              "“年度评估不合格（第九条）”、撤销日期和事实与依据。") % {"year": failed_year})
            return
        if on:
            row.refuse("revoked_on", _("未填写撤销情形，不应填写撤销日期。"))
        if facts:
            row.refuse("revocation_facts", _("未填写撤销情形，不应填写撤销事实与依据。"))
        return
    if on is None and not _has_error(row, "revoked_on"):
        row.refuse("revoked_on", _("已撤销的工作站须填写撤销日期。"))
    if not facts:
        row.refuse("revocation_facts", _("已撤销的工作站须填写撤销事实与依据。"))
    if on and recognized and on < recognized:
        row.refuse("revoked_on", _("撤销日期%(date)s早于认定日期%(start)s。")
                   % {"date": on.isoformat(), "start": recognized.isoformat()})
        on = None  # the one mistake, not its consequences for the grades
    if ground == RevocationGround.FAILED_EVALUATION:
        if not failed_year:
            row.refuse("revocation_ground", _("撤销情形为年度评估不合格，但评估等级中没有“不合格”。"))
        elif on and on.year < failed_year:
            row.refuse("revoked_on", _("撤销日期%(date)s早于%(year)d年的评估。") % {"date": on.isoformat(),
                                                                                   "year": failed_year})
    elif failed_year:
        row.refuse("revocation_ground", _("%(year)d年评估不合格，撤销情形应为“年度评估不合格（第九条）”。")
                   % {"year": failed_year})
    if on:
        for index in (1, 2):
            year = typed.get(f"grade{index}_year")
            if year and year > on.year:
                row.refuse(f"grade{index}_year", _("工作站已于%(date)s撤销，%(year)d年不再评估。")
                           % {"date": on.isoformat(), "year": year})


def _tranches_and_state(row: Row) -> None:
    typed = row.typed
    revoked = bool(typed.get("revocation_ground"))
    open_states = (TrancheState.SCHEDULED, TrancheState.APPROVED)
    for prefix in ("first", "second"):
        state = typed.get(f"{prefix}_state")
        if revoked and state in open_states:
            row.refuse(f"{prefix}_state", _("工作站已撤销，未拨付的批次应为“已取消”（第九条、第十条）。"))
        if not revoked and state == TrancheState.CANCELLED:
            row.refuse(f"{prefix}_state", _("只有撤销称号的工作站才会取消拨付：请填写撤销情形，或改为其他状态。"))
    second = typed.get("second_state")
    if typed.get("final_passed"):
        if not second and not _has_error(row, "second_state"):
            row.refuse("second_state", _("建设期满验收合格，第二批资金应已安排：请填写第二批状态。"))
    elif second:
        row.refuse("second_state", _("尚无合格的建设期满验收评估等级，第二批资金不应安排：请留空，"
                                     "或在评估年度和等级中填写建设期截止之年的评估结果。"))
    first = typed.get("first_state")
    if second == TrancheState.DISBURSED and first and first != TrancheState.DISBURSED and not revoked:
        row.refuse("first_state", _("第二批已拨付，第一批应已拨付。"))


def _canonical(row: Row) -> None:
    """The row as ``values.station_values`` writes a station: optional check columns left blank take the
    computed value, so leaving them out is not a change."""
    out, typed = row.values, row.typed
    unit_types, states = values.labels(UnitType), values.labels(TrancheState)
    out["unit_type"] = unit_types.get(typed.get("unit_type"), "")
    for key in ("recognized_on", "first_paid_on", "second_paid_on", "revoked_on"):
        out[key] = text_of_date(typed.get(key))
    out["construction_ends_on"] = text_of_date(typed.get("construction_ends_on_computed"))
    amount = typed.get("amount")
    out["amount"] = text_of_money(amount)
    parts = split(amount) if amount is not None and split(amount)[0] > 0 else (None, None)
    for index, prefix in enumerate(("first", "second")):
        state = typed.get(f"{prefix}_state")
        out[f"{prefix}_state"] = states.get(state, "")
        out[f"{prefix}_amount"] = text_of_money(parts[index]) if state else ""
    grades, grade_labels = typed.get("grades", []), values.labels(Grade)
    for index in (1, 2):
        year, grade = grades[index - 1] if len(grades) >= index else (None, "")
        out[f"grade{index}_year"] = str(year) if year else ""
        out[f"grade{index}"] = grade_labels.get(grade, "")
    out["revocation_ground"] = values.labels(RevocationGround).get(typed.get("revocation_ground"), "")


# --- The row against the portal --------------------------------------------------------------------------

class _Context:
    """What the portal holds for the file's plaque numbers, credit codes and departments: a few queries for the
    whole file."""

    def __init__(self, rows: list[Row]):
        plaques = {r.values.get("plaque_number") for r in rows} - {""}
        codes = {r.values.get("credit_code") for r in rows} - {""}
        names = {r.values.get("unit_name") for r in rows} - {""}
        self.stations = {s.plaque_number: s for s in values.stations_for_export().filter(plaque_number__in=plaques)}
        self.departments = {o.name: o for o in Organization.objects.filter(kind=OrgKind.DEPARTMENT)}
        self.units = {o.credit_code: o for o in Organization.objects.filter(credit_code__in=codes)
                      .select_related("department")}
        self.unit_names = dict(Organization.objects.filter(kind=OrgKind.UNIT, name__in=names)
                               .values_list("name", "credit_code"))
        user_model = get_user_model()
        self.usernames = set(user_model.objects.filter(username__in=codes).values_list("username", flat=True))
        self.with_users = set(user_model.objects.filter(role=Role.UNIT, organization__credit_code__in=codes)
                              .values_list("organization__credit_code", flat=True))
        self.correctable = self._correctable_units(codes)

    @staticmethod
    def _correctable_units(codes) -> set[str]:
        """Units the import created and nobody of which has signed in yet: HR's file may correct their details."""
        from records.models import ImportedUnit

        signed_in = set(get_user_model().objects.filter(organization__credit_code__in=codes, last_login__isnull=False)
                        .values_list("organization__credit_code", flat=True))
        return set(ImportedUnit.objects.filter(organization__credit_code__in=codes)
                   .values_list("organization__credit_code", flat=True)) - signed_in

    def compare(self, row: Row) -> None:
        out = row.values
        department = self.departments.get(out.get("department"))
        if out.get("department") and department is None:
            row.refuse("department", _("平台中没有名为“%(name)s”的行业主管部门，请从“可选值”中选择。")
                       % {"name": out["department"]})
        row.typed["department"] = department
        code = out.get("credit_code")
        org = self.units.get(code) if code else None
        row.organization = org
        if org is not None and org.kind != OrgKind.UNIT:
            row.refuse("credit_code", _("该统一社会信用代码已属于平台中的非申报单位机构“%(name)s”。") % {"name": org.name})
            return
        name = out.get("unit_name")
        if name and self.unit_names.get(name, code) != code:
            row.refuse("unit_name", _("平台中已有名为“%(name)s”的单位，但其统一社会信用代码为%(code)s。")
                       % {"name": name, "code": self.unit_names[name]})
        has_account = code in self.with_users
        row.typed["needs_account"] = bool(code) and not has_account
        if row.typed["needs_account"]:
            if code in self.usernames:
                row.refuse("credit_code", _("已有用户名为%(code)s的账号，但不属于该单位。") % {"code": code})
            if not out.get("contact_email") and not _has_error(row, "contact_email"):
                row.refuse("contact_email", _("该单位尚无平台账号：须填写电子邮箱，平台向此邮箱发送设置密码的邀请。"))
            if not out.get("contact_person"):
                row.refuse("contact_person", _("该单位尚无平台账号：须填写联系人（账号的姓名）。"))
        station = self.stations.get(out.get("plaque_number"))
        row.station = station
        row.typed["unit_correctable"] = code in self.correctable
        if org is not None and code not in self.correctable:
            portal = _unit_values(org)
            for key in UNIT_KEYS:
                if out.get(key) != portal[key]:
                    row.refuse(key, _("该单位已在平台登记，%(column)s为“%(value)s”：单位信息由单位在平台内维护，"
                                      "请按平台登记的内容填写。") % {"column": template.BY_KEY[key].header,
                                                                   "value": portal[key]})
        if station is None:
            row.status = NEW
            return
        portal = values.station_values(station)
        differing = [c.key for c in template.COLUMNS if out.get(c.key, "") != portal.get(c.key, "")]
        if not differing:
            row.status = UNCHANGED
            return
        row.changes = [str(template.BY_KEY[key].header) for key in differing]
        row.status = CHANGED
        if getattr(station, "import_record", None) is None:
            row.refuse(differing[0], _("牌匾编号%(plaque)s的工作站由平台办理认定，其记录只能在平台内变更；"
                                       "与平台不同的列：%(columns)s。") % {"plaque": station.plaque_number,
                                                                        "columns": "、".join(row.changes)})
            return
        if station.unit.credit_code != code:
            row.refuse("credit_code", _("牌匾编号%(plaque)s的工作站属于统一社会信用代码为%(code)s的单位，"
                                        "不能通过导入改到其他单位。") % {"plaque": station.plaque_number,
                                                                        "code": station.unit.credit_code})
        _portal_made(row, station, portal)


def _unit_values(org) -> dict[str, str]:
    return {"credit_code": org.credit_code or "", "unit_name": org.name,
            "unit_type": values.labels(UnitType).get(org.unit_type, ""),
            "department": org.department.name if org.department_id else "",
            **{key: getattr(org, key) for key in UNIT_KEYS[4:]}}


def _portal_made(row: Row, station, portal: dict[str, str]) -> None:
    """An imported station's records the portal has moved on since (a tranche approved or paid in the portal, an
    evaluation graded in a round, a revocation decided in the portal) are not overwritten by a file."""
    out = row.values
    grant = getattr(station, "grant", None)
    for tranche in grant.tranches.all() if grant else []:
        prefix = "first" if tranche.kind == TrancheKind.FIRST else "second"
        moved = tranche.approved_by_id or tranche.disbursed_by_id or (
            tranche.state == TrancheState.CANCELLED and tranche.cancel_event and not row.typed.get("revocation_ground"))
        keys = [f"{prefix}_state", f"{prefix}_paid_on", f"{prefix}_voucher"]
        if moved and any(out[k] != portal[k] for k in keys):
            row.refuse(f"{prefix}_state", _("该批次已在平台内办理（%(state)s），不能通过导入修改。")
                       % {"state": portal[f"{prefix}_state"]})
    portal_grades = {year: grade for year, (grade, source) in values.grades_of(station).items() if source == "portal"}
    file_grades = dict(row.typed.get("grades", []))
    for year, grade in portal_grades.items():
        if file_grades.get(year) != grade:
            row.refuse("grade1_year", _("%(year)d年度评估已在平台内定级，不能通过导入修改。") % {"year": year})
    revocation = getattr(station, "revocation", None)
    if revocation is not None and not station.import_record.revocation_imported:
        if any(out[k] != portal[k] for k in ("revocation_ground", "revoked_on", "revocation_facts")):
            row.refuse("revocation_ground", _("该工作站已在平台内撤销，撤销记录不能通过导入修改。"))
    elif revocation is not None and not row.typed.get("revocation_ground"):
        row.refuse("revocation_ground", _("该工作站已撤销，不能通过导入恢复称号。"))
