"""Validators with messages in Chinese, raised at the field that caused them."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100-2015: the 31 characters a unified social credit code may use (no I, O, Z, S, V).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless ``value`` is a valid 18-character unified social credit code."""
    if not isinstance(value, str):
        raise ValidationError(_("统一社会信用代码应为18位字符。"), code="credit_code_type")
    if len(value) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(value)}, code="credit_code_length"
        )
    bad = sorted({c for c in value if c not in CREDIT_CODE_CHARSET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（只可使用数字和除I、O、Z、S、V以外的大写字母）。")
            % {"chars": "、".join(bad)},
            code="credit_code_charset",
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新输入。"), code="credit_code_check_digit"
        )


# 第四条: the unit is registered in the county. Characters 3–8 of the code are the registering
# authority's administrative division (GB/T 2260).
COUNTY_DIVISION = "140521"  # 沁水县
PROVINCE_PREFIX = "14"  # 山西省


def check_county_registration(code: str) -> str:
    """``"county"`` for a code registered in 沁水县 (division 140521), ``"shanxi"`` for another Shanxi
    division (accepted; the sector department confirms the registered address is in the county);
    ValidationError for an invalid code or one registered outside Shanxi (第四条)."""
    validate_credit_code(code)
    division = code[2:8]
    if division == COUNTY_DIVISION:
        return "county"
    if division.startswith(PROVINCE_PREFIX):
        return "shanxi"
    raise ValidationError(
        _("统一社会信用代码显示登记机关的行政区划代码为%(division)s，不在山西省。按《沁水县技师工作站管理考核办法》"
          "第四条，申报单位须在沁水县注册。") % {"division": division},
        code="credit_code_outside_county",
    )


def validate_county_registration(value: str) -> None:
    """The model field's validator: refuses a code registered outside Shanxi (第四条)."""
    if isinstance(value, str) and len(value) == 18:
        check_county_registration(value)


PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value.replace(" ", "")):
        raise ValidationError(
            _("请输入有效的电话号码：11位手机号，或区号-号码形式的固定电话（如0356-7021234）。"), code="phone"
        )


from django.contrib.auth import password_validation  # noqa: E402


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 changed this validator's message id ("… at least %d character.") and its zh_Hans catalogue
    has no translation for the new id, so the message came out in English: the portal's own, in Chinese."""

    def get_error_message(self):
        return _("密码太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length}


def conflicted_unit(expert_organization_id: int) -> int:
    """The unit whose applications and evaluations an expert may not review (conflict of interest): his employer.
    ``validate_expert_for`` refuses by it; a page listing many pairs looks the unit up by it."""
    return expert_organization_id


def validate_expert_for(expert, *, unit_id: int, evaluation: bool = False) -> None:
    """An expert may review a unit's application (or, ``evaluation``, its station's annual evaluation): an active
    expert account, not employed by the unit (conflict of interest). One check for both reviews, each refusal
    naming what is reviewed; the error is at the form's ``expert`` field."""
    from qinshui_station.roles import Role

    if expert.role != Role.EXPERT or not expert.is_active:
        raise ValidationError({"expert": _("所选用户不是在册评审专家。")})
    if conflicted_unit(expert.organization_id) == unit_id:
        message = (_("专家%(expert)s任职于工作站所在单位%(unit)s，存在利益冲突，不能评审该工作站的年度评估。") if evaluation
                   else _("专家%(expert)s任职于申报单位%(unit)s，存在利益冲突，不能评审该申报。"))
        raise ValidationError({"expert": message % {"expert": expert, "unit": expert.organization}})
