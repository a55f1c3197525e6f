"""Property tests (hypothesis).

1. Every form of every app (discovered from the apps' ``forms`` modules), filled with arbitrary values and
   posted through its real view (or, for the few forms only used inside another page's formset or upload
   widget, validated directly): the answer is a saved record (a redirect), or the page again with field
   errors in Chinese, or a refusal message — never a server error.
2. The domain functions of SPEC.md: only their documented results, or ValueError / ValidationError /
   CalendarUnavailable.

``TOTALS`` counts the inputs tried and the server errors found; the last test prints them."""

from __future__ import annotations

import inspect
import re
from datetime import date
from decimal import Decimal

import chinese_calendar
import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import applications.forms
import funding.forms
import qinshui_station.forms
import reviews.forms
from funding.tranches import split
from qinshui_station import workdays
from qinshui_station.validators import credit_code_check_character, validate_credit_code
from reviews import scoring
from reviews.models import Evaluation
from reviews.sheets import Rubric
from tests import factories as core

TOTALS = {"form inputs": 0, "domain inputs": 0, "server errors": 0}
FORM_SETTINGS = settings(max_examples=8, deadline=None, database=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
DOMAIN_SETTINGS = settings(max_examples=400, deadline=None, database=None)
CJK = re.compile(r"[\u4e00-\u9fff]")

NASTY = ["", " ", "0", "-1", "1e309", "NaN", "-Infinity", "99999999999999999999999", "0.005", "-0.01", "1.5",
         "2026-02-30", "0000-00-00", "9999-12-31", "1900-01-01", "2026-13-01", "<script>alert(1)</script>",
         "'; DROP TABLE applications_application;--", "\x00", "１２３", "ｘ" * 300, "a" * 5000, "on", "true",
         "91140521MA0000001X", "../../etc/passwd"]


def value_for(field) -> st.SearchStrategy:
    options = [st.sampled_from(NASTY), st.text(max_size=30), st.integers(-10**12, 10**12).map(str),
               st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
               st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat)]
    choices = getattr(field, "choices", None)
    if choices:
        values = [str(v) for v, _label in list(choices)[:50] if v not in ("", None)]
        if values:
            options.append(st.sampled_from(values))
            options.append(st.lists(st.sampled_from(values), max_size=3))
    return st.one_of(*options)


def all_forms() -> dict[str, type]:
    out = {}
    for module in (qinshui_station.forms, applications.forms, reviews.forms, funding.forms):
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and issubclass(obj, django_forms.BaseForm) and obj.__module__ == module.__name__
                    and obj.__name__ not in ("StepForm",)):  # StepForm: the abstract base of the four step forms
                out[f"{module.__name__.split('.')[0]}.{name}"] = obj
    return out


def targets(w) -> dict[str, tuple]:
    """form → (role, method, url, fixed data). Irreversible steps carry the confirmation tick."""
    a = w.a
    step = {"UnitStepForm": "unit", "StationStepForm": "station", "NarrativeStepForm": "narrative",
            "PlanStepForm": "plan"}
    out = {
        "qinshui_station.UnitRegistrationForm": ("anonymous", "post", reverse("register"), {}),
        "qinshui_station.ThrottledPasswordResetForm": ("anonymous", "post", reverse("password_reset"), {}),
        "qinshui_station.UnitProfileForm": ("unit", "post", reverse("unit_profile"), {}),
        "qinshui_station.StaffUserForm": ("hr", "post", reverse("staff_users"), {}),
        "qinshui_station.OrganizationForm": ("hr", "post", reverse("staff_organizations"), {}),
        "qinshui_station.CalendarArrangementForm": ("hr", "post", reverse("staff_calendar"), {}),
        "qinshui_station.AuditFilterForm": ("hr", "get", reverse("audit_log"), {}),
        "qinshui_station.OfficeContactForm": ("hr", "post", reverse("staff_office"), {}),
        "applications.BatchForm": ("hr", "post", reverse("applications:batch_list"), {}),
        "applications.NewApplicationForm": ("unit", "post", reverse("applications:create"), {}),
        "applications.AssignExpertForm": ("hr", "post", reverse("applications:assign_expert", args=[a.app.pk]), {}),
        "applications.ExpertReviewForm": ("expert_assigned", "post",
                                          reverse("applications:assignment_review", args=[a.assignment.pk]), {}),
        "applications.PanelConclusionForm": ("hr", "post", reverse("applications:panel_conclusion", args=[a.app.pk]),
                                             {"confirm": "1"}),
        "applications.PublicityForm": ("hr", "post", reverse("applications:batch_publish", args=[w.batch.pk]),
                                       {"confirm": "1"}),
        "applications.ObjectionForm": ("anonymous", "post",
                                       reverse("applications:publicity_detail", args=[w.public_batch.year]), {}),
        "applications.ResolveObjectionForm": ("hr", "post",
                                              reverse("applications:objection_resolve", args=[w.objection.pk]),
                                              {"confirm": "1"}),
        "applications.RecognitionForm": ("hr", "post", reverse("applications:batch_recognize", args=[w.public_batch.pk]),
                                         {"confirm": "1"}),
        "reviews.RoundForm": ("hr", "post", reverse("reviews:round_create"), {}),
        "reviews.WindowForm": ("hr", "post", reverse("reviews:round_window", args=[w.round.pk]), {}),
        "reviews.ScoreForm": ("expert_assigned", "post", reverse("reviews:score", args=[a.eval_assignment.pk]), {}),
        "reviews.AssignForm": ("hr", "post", reverse("reviews:assign", args=[a.evaluation.pk]), {}),
        "reviews.TieForm": ("hr", "post", reverse("reviews:round_tie", args=[w.round.pk]), {}),
        "reviews.LedgerForm": ("unit", "post", reverse("reviews:ledger", args=[a.station.pk]), {}),
        "reviews.RevocationForm": ("hr", "post", reverse("reviews:revoke", args=[a.station.pk]), {"confirm": "1"}),
        "reviews.EvaluationForm": ("unit", "post", reverse("reviews:evaluation_edit", args=[w.draft_evaluation.pk]), {}),
        "funding.ExpenditureForm": ("unit", "post", reverse("funding:expenditure_create", args=[a.station.pk]), {}),
        "funding.DisburseForm": ("finance", "post", reverse("funding:tranche_disburse", args=[w.approved_tranche.pk]),
                                 {"confirm": "1"}),
        "funding.UpholdForm": ("hr", "post", reverse("funding:expenditure_uphold", args=[a.expenditure.pk]),
                               {"confirm": "1"}),
        "funding.RecoveredForm": ("finance", "post", reverse("funding:recovery_recovered", args=[a.recovery.pk]),
                                  {"confirm": "1"}),
        "funding.LedgerFilterForm": ("hr", "get", reverse("funding:ledger"), {}),
    }
    for name, slug in step.items():
        out[f"applications.{name}"] = ("unit", "post", reverse("applications:edit", args=[a.draft.pk, slug]), {})
    return out


def direct_kwargs(w) -> dict[str, dict]:
    """Forms used only inside another page (the members formset, upload widgets, reason boxes): validated
    directly with what their view passes."""
    rubric = Rubric.load(w.round.rubric_id)
    return {"applications.MemberForm": {}, "applications.AttachmentForm": {}, "applications.ReasonForm": {},
            "applications.PhotoForm": {}, "reviews.AttachmentForm": {"rubric": rubric}}


@pytest.fixture
def prop_world(world_media):
    w = world_media
    from tests.funding import factories as ff
    _ws, grant = ff.funded_station(hr=w.hr, unit=w.b.unit)
    w.approved_tranche = ff.first_tranche(grant)
    from funding import services as fs
    fs.approve_tranche(tranche_id=w.approved_tranche.pk, actor=w.hr)
    w.draft_evaluation = Evaluation.objects.create(
        round=w.round, workstation=core.WorkstationFactory(unit=w.a.unit, recognized_on=w.a.station.recognized_on))
    return w


def test_every_form_is_covered():
    names = set(all_forms())
    covered = set(TARGET_NAMES) | set(DIRECT_NAMES)
    assert sorted(names - covered) == [] and sorted(covered - names) == []


TARGET_NAMES = [
    "qinshui_station.UnitRegistrationForm", "qinshui_station.ThrottledPasswordResetForm",
    "qinshui_station.UnitProfileForm", "qinshui_station.StaffUserForm",
    "qinshui_station.OrganizationForm", "qinshui_station.CalendarArrangementForm", "qinshui_station.AuditFilterForm",
    "qinshui_station.OfficeContactForm",
    "applications.BatchForm", "applications.NewApplicationForm", "applications.UnitStepForm",
    "applications.StationStepForm", "applications.NarrativeStepForm", "applications.PlanStepForm",
    "applications.AssignExpertForm", "applications.ExpertReviewForm", "applications.PanelConclusionForm",
    "applications.PublicityForm", "applications.ObjectionForm", "applications.ResolveObjectionForm",
    "applications.RecognitionForm", "reviews.RoundForm", "reviews.WindowForm", "reviews.EvaluationForm",
    "reviews.ScoreForm", "reviews.AssignForm", "reviews.TieForm", "reviews.LedgerForm", "reviews.RevocationForm",
    "funding.ExpenditureForm", "funding.DisburseForm", "funding.UpholdForm", "funding.RecoveredForm",
    "funding.LedgerFilterForm",
]
DIRECT_NAMES = ["applications.MemberForm", "applications.AttachmentForm", "applications.ReasonForm",
                "applications.PhotoForm", "reviews.AttachmentForm"]


def field_names(cls, w) -> dict[str, object]:
    """The fields of the form as its view builds it (forms that take a rubric get the round's)."""
    rubric = Rubric.load(w.round.rubric_id)
    for kwargs in ({}, {"rubric": rubric}, {"stations": w.public_app.batch.applications.all()}):
        try:
            return dict(cls(**kwargs).fields)
        except TypeError:
            continue
    raise AssertionError(f"cannot build {cls}")


def errors_in_chinese(html: str) -> list[str]:
    """Texts of field errors and error messages that contain no Chinese character."""
    found = re.findall(r'class="invalid-feedback"[^>]*>(.*?)</div>', html, re.S)
    found += re.findall(r'class="alert alert-danger[^"]*"[^>]*>(.*?)</div>', html, re.S)
    texts = [re.sub(r"<[^>]+>", " ", t).strip() for t in found]
    return [t for t in texts if t and not CJK.search(t)]


@pytest.mark.django_db
@pytest.mark.parametrize("name", TARGET_NAMES)
def test_any_values_posted_through_the_view_give_a_record_or_chinese_errors_never_a_500(prop_world, name):
    w = prop_world
    cls = all_forms()[name]
    role, method, url, fixed = targets(w)[name]
    fields = field_names(cls, w)
    client = Client(raise_request_exception=False)
    if w.users[role] is not None:
        client.force_login(w.users[role])

    @FORM_SETTINGS
    @given(st.fixed_dictionaries({f: value_for(field) for f, field in fields.items()}))
    def run(values):
        TOTALS["form inputs"] += 1
        data = {**values, **fixed}
        response = getattr(client, method)(url, data)
        if response.status_code >= 500:
            TOTALS["server errors"] += 1
        assert response.status_code < 500, (name, data)
        if response.status_code in (200, 400) and response.get("Content-Type", "").startswith("text/html"):
            assert errors_in_chinese(response.content.decode()) == [], (name, data)

    run()


@pytest.mark.django_db
@pytest.mark.parametrize("name", DIRECT_NAMES)
def test_forms_validated_inside_other_pages_give_chinese_errors(prop_world, name):
    w = prop_world
    cls = all_forms()[name]
    kwargs = direct_kwargs(w)[name]
    fields = dict(cls(**kwargs).fields)

    @FORM_SETTINGS
    @given(st.fixed_dictionaries({f: value_for(field) for f, field in fields.items()}))
    def run(values):
        TOTALS["form inputs"] += 1
        form = cls(data=values, **kwargs)
        if not form.is_valid():
            for errors in form.errors.values():
                assert all(CJK.search(str(e)) for e in errors), errors

    run()


# --- domain functions ------------------------------------------------------------------------------------

COVERED = st.dates(date(2023, 1, 1), date(2026, 12, 31))


@DOMAIN_SETTINGS
@given(COVERED)
def test_is_working_day_answers_a_bool_for_covered_years(day):
    TOTALS["domain inputs"] += 1
    assert workdays.is_working_day(day) in (True, False)


@pytest.mark.django_db
@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(date(1, 1, 1), date(9999, 12, 31)))
def test_is_working_day_outside_the_covered_years_raises_calendar_unavailable_naming_the_year(day):
    TOTALS["domain inputs"] += 1
    if _state_council_published(day.year):  # no HR-entered arrangement exists in this test
        assert workdays.is_working_day(day) in (True, False)
    else:
        with pytest.raises(workdays.CalendarUnavailable, match=str(day.year)):
            workdays.is_working_day(day)


def _state_council_published(year: int) -> bool:
    """Whether chinese-calendar holds the State Council's arrangement for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@DOMAIN_SETTINGS
@given(st.dates(date(2023, 1, 1), date(2026, 10, 31)), st.integers(-3, 40))
def test_nth_working_day(start, n):
    TOTALS["domain inputs"] += 1
    try:
        end = workdays.nth_working_day(start, n)
    except ValueError:
        assert n < 1
        return
    assert end >= start and workdays.is_working_day(end)
    assert workdays.working_days_between(start, end) == n


@DOMAIN_SETTINGS
@given(st.one_of(st.text(max_size=25), st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17)))
def test_validate_credit_code(value):
    TOTALS["domain inputs"] += 1
    well_formed = len(value) == 17 and re.fullmatch(r"[0-9A-HJ-NP-RTUWXY]{17}", value)
    if len(value) == 17:
        value += credit_code_check_character(value) if well_formed else "0"
    if well_formed:  # 17 valid characters and their right check character: accepted
        validate_credit_code(value)
        return
    try:
        validate_credit_code(value)
    except ValidationError as error:
        assert all(CJK.search(m) for m in error.messages)
        return
    assert len(value) == 18 and value[-1] == credit_code_check_character(value[:17])


COUNT = st.integers(-5, 10**6)


def _expect(fn, args, cap):
    TOTALS["domain inputs"] += 1
    try:
        result = fn(*args)
    except ValueError:
        assert any(a < 0 for a in args)
        return
    assert isinstance(result, Decimal) and Decimal(0) <= result <= cap


@DOMAIN_SETTINGS
@given(COUNT, COUNT)
def test_patent_points(inventions, utility):
    _expect(scoring.patent_points, (inventions, utility), Decimal(8))
    if inventions >= 0 and utility >= 0:
        assert scoring.patent_points(inventions, utility) == min(Decimal(8), 3 * inventions + 2 * utility)


@DOMAIN_SETTINGS
@given(COUNT, COUNT, COUNT, COUNT)
def test_award_points(county, city, province, national):
    _expect(scoring.award_points, (county, city, province, national), Decimal(7))
    if min(county, city, province, national) >= 0:
        assert scoring.award_points(county, city, province, national) == min(
            Decimal(7), county + 2 * city + 3 * province + 4 * national)


@DOMAIN_SETTINGS
@given(COUNT)
def test_promotion_points(count):
    _expect(scoring.promotion_points, (count,), Decimal(15))
    if count >= 0:
        assert scoring.promotion_points(count) == min(Decimal(15), 5 * count)


@DOMAIN_SETTINGS
@given(COUNT, COUNT, COUNT)
def test_bonus_points(presentations, county, city):
    _expect(scoring.bonus_points, (presentations, county, city), Decimal(10))
    if min(presentations, county, city) >= 0:
        assert scoring.bonus_points(presentations, county, city) == min(
            Decimal(10), 3 * presentations + 2 * county + 3 * city)


@DOMAIN_SETTINGS
@given(st.decimals(min_value=-10, max_value=120, places=2))
def test_grade_for(total):
    TOTALS["domain inputs"] += 1
    grade = scoring.grade_for(total)
    assert grade == ("unqualified" if total < 60 else "qualified" if total < 90 else "excellent")


@DOMAIN_SETTINGS
@given(st.integers(-5, 10**6), st.integers(-5, 10**6), st.integers(0, 100))
def test_excellent_quota(evaluated, unqualified, percent):
    TOTALS["domain inputs"] += 1
    try:
        quota = scoring.excellent_quota(evaluated, unqualified, percent)
    except ValueError:
        assert evaluated < 0 or unqualified < 0 or unqualified > evaluated
        return
    assert quota == percent * (evaluated - unqualified) // 100


@DOMAIN_SETTINGS
@given(st.one_of(st.decimals(allow_nan=True, allow_infinity=True), st.decimals(min_value=Decimal("0.01"),
                                                                                max_value=Decimal("1e12"), places=2),
                 st.text(max_size=12), st.integers()))
def test_split(amount):
    TOTALS["domain inputs"] += 1
    try:
        first, second = split(amount)
    except ValueError:
        # refused only when it is no amount of money: not a number, not finite, not positive, or not whole fen
        try:
            d = Decimal(amount)
            whole_fen = d.is_finite() and d == d.quantize(Decimal("0.01"))
        except (ArithmeticError, TypeError, ValueError):  # no number, or more digits than any grant has
            return
        assert not d.is_finite() or d <= 0 or not whole_fen
        return
    assert first + second == Decimal(amount) and first >= 0 and second > 0
    assert first == (Decimal(amount) * Decimal("0.40")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@pytest.mark.parametrize("amount", [Decimal("1E+26"), Decimal("100000000000000000000000000"), Decimal("9" * 40)])
def test_split_of_an_amount_beyond_the_decimal_context_is_a_value_error(amount):
    """Regression: ``split`` raised decimal.InvalidOperation (not the documented ValueError) for amounts
    whose quantization to the fen exceeds 28 digits."""
    with pytest.raises(ValueError):
        split(amount)


def test_a_short_password_is_refused_in_chinese():
    """Regression: Django 5.2's minimum-length message has no zh_Hans translation; the portal's validator has."""
    from django.contrib.auth.password_validation import validate_password
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_password("a;1")
    assert error.value.messages == ["密码太短，至少需要8个字符。"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1e309", "-1E+400", "1e28"])
def test_a_huge_score_is_a_field_error_not_a_server_error(value):
    """Regression: DecimalField's step validator raised "math domain error" for 1e309 (HTTP 500)."""
    from reviews.forms import ScoreForm
    from tests.reviews.factories import rubric_2023

    rubric = rubric_2023()
    item = rubric.judged_items[0]
    name = f"item_{item.pk}"
    form = ScoreForm(data={name: value}, rubric=rubric)
    assert not form.is_valid()
    assert form.errors[name][0].startswith(("不能大于", "不能小于"))  # locale/zh_Hans words Django's messages


def test_zz_report(capsys):
    with capsys.disabled():
        print(f"\nproperty tests: {TOTALS['form inputs']} form inputs through the views/forms, "
              f"{TOTALS['domain inputs']} domain-function inputs, {TOTALS['server errors']} server errors")
    assert TOTALS["server errors"] == 0
