"""第四条 "registered in the county" (SPEC.md): characters 3–8 of the credit code are the registering
authority's division. 140521 passes; another Shanxi division is accepted and flagged; outside Shanxi is
refused at the field, naming 第四条."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qinshui_station.models import Organization
from qinshui_station.validators import check_county_registration, credit_code_check_character
from tests import factories

COUNTY = "91140521M000100Y4K"  # 沁水县
CITY = "91140500M000100Y46"  # 晋城市 (Shanxi, not the county)
BEIJING = "91110105M000100Y4D"  # 北京市朝阳区


def test_the_three_codes_are_valid_credit_codes():
    for code in (COUNTY, CITY, BEIJING):
        assert credit_code_check_character(code[:17]) == code[17]


def test_a_county_code_is_county():
    assert check_county_registration(COUNTY) == "county"


def test_another_shanxi_code_is_shanxi():
    assert check_county_registration(CITY) == "shanxi"


def test_a_code_outside_shanxi_is_refused_naming_article_four():
    with pytest.raises(ValidationError) as raised:
        check_county_registration(BEIJING)
    assert raised.value.messages == [
        "统一社会信用代码显示登记机关的行政区划代码为110105，不在山西省。按《沁水县技师工作站管理考核办法》"
        "第四条，申报单位须在沁水县注册。"]


def test_an_invalid_code_is_refused():
    with pytest.raises(ValidationError, match="校验位不正确"):
        check_county_registration(COUNTY[:17] + "0")


def _registration(dept, **over):
    data = {
        "name": "沁水县新材料有限公司", "credit_code": COUNTY, "unit_type": "enterprise",
        "department": dept.pk, "ownership": "有限责任公司", "address": "沁水县龙港镇", "legal_representative": "王五",
        "legal_representative_phone": "0356-7021234", "contact_person": "赵六", "contact_phone": "13835600002",
        "contact_email": "zl@example.cn", "username": "newunit", "full_name": "赵六", "email": "zl@example.cn",
        "phone": "13835600002", "password1": "Qinshui#Station#91", "password2": "Qinshui#Station#91",
    }
    data.update(over)
    return data


@pytest.mark.django_db
def test_registration_outside_shanxi_is_refused_at_the_code_field_keeping_the_input(client):
    dept = factories.DepartmentFactory()
    response = client.post(reverse("register"), _registration(dept, credit_code=BEIJING))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["credit_code"] == [
        "统一社会信用代码显示登记机关的行政区划代码为110105，不在山西省。按《沁水县技师工作站管理考核办法》"
        "第四条，申报单位须在沁水县注册。"]
    assert 'value="沁水县新材料有限公司"' in response.content.decode()
    assert not Organization.objects.filter(credit_code=BEIJING).exists()


@pytest.mark.django_db
def test_registration_with_a_city_code_is_accepted_and_flagged(client):
    dept = factories.DepartmentFactory()
    response = client.post(reverse("register"), _registration(dept, credit_code=CITY))
    assert response.status_code == 302
    assert Organization.objects.get(credit_code=CITY).registration_region == "shanxi"


@pytest.mark.django_db
def test_a_code_already_registered_gets_a_message_naming_the_code(client):
    dept = factories.DepartmentFactory()
    factories.UnitFactory(credit_code=COUNTY)
    response = client.post(reverse("register"), _registration(dept))
    assert response.context["form"].errors["credit_code"] == [
        "该统一社会信用代码已注册。如需开通账号，请联系本单位已注册的经办人或县人社局。"]
