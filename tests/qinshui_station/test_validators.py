import pytest
from django.core.exceptions import ValidationError

from qinshui_station.validators import validate_credit_code, validate_phone


def test_published_example_is_valid():
    assert validate_credit_code("91350100M000100Y43") is None


def test_demo_code_computed_by_the_standard_is_valid():
    from qinshui_station.validators import credit_code_check_character

    assert credit_code_check_character("91350100M000100Y4") == "3"
    assert credit_code_check_character("91140521MA0K12301") == "G"
    assert validate_credit_code("91140521MA0K12301G") is None
    assert validate_credit_code("91110108551385082Q") is None  # a published company's code


def test_check_digit_zero_case():
    # sum % 31 == 0 gives check value 0, not 31
    from qinshui_station.validators import CREDIT_CODE_CHARSET, CREDIT_CODE_WEIGHTS

    body = "00000000000000000"
    assert sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS, strict=True)) % 31 == 0
    assert validate_credit_code(body + "0") is None


def test_wrong_check_digit_is_refused_with_message():
    with pytest.raises(ValidationError) as info:
        validate_credit_code("91350100M000100Y44")
    assert info.value.messages == ["统一社会信用代码校验位不正确，请核对后重新输入。"]
    assert info.value.code == "credit_code_check_digit"


@pytest.mark.parametrize("code,n", [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("", 0)])
def test_wrong_length_is_refused(code, n):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert info.value.messages == [f"统一社会信用代码应为18位，当前为{n}位。"]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_illegal_letters_are_refused(letter):
    code = "91350100M000100Y4" + letter
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert info.value.code == "credit_code_charset"
    assert letter in info.value.messages[0]


def test_lower_case_is_refused():
    with pytest.raises(ValidationError) as info:
        validate_credit_code("91350100m000100y43")
    assert info.value.code == "credit_code_charset"


@pytest.mark.parametrize("phone", ["13835600001", "0356-7021234", "03567021234"])
def test_phone_numbers_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "abc", "2383560000"])
def test_phone_numbers_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)
