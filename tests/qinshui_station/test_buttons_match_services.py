"""A person sees an action's button exactly when the service would accept that action from them now: for each
page with action buttons, every role, and the states that matter, the page is read and the service is called
(inside a transaction that is rolled back) — the two must agree."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from applications import services as application_services
from applications import workflow as application_workflow
from applications.models import AttachmentKind
from applications.states import State
from funding import services as funding_services
from qinshui_station.workflow import TransitionRefused
from reviews import services as review_services
from tests import factories
from tests.applications import factories as af
from tests.funding.factories import funded_station
from tests.reviews import factories as rf

ROLES = ("unit_user", "other_unit_user", "department_user", "other_department_user", "expert", "hr_user",
         "finance_user", "org_dept_user")


class _Rollback(Exception):
    pass


def accepts(call) -> bool:
    """Would the service do it? It is done, then undone."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except (PermissionDenied, TransitionRefused, ValidationError):
        return False


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    client.logout()
    return response.content.decode() if response.status_code == 200 else ""


# --- The application page: submit, return, recommend, not recommend, completeness passed -------------------

@pytest.mark.parametrize("state", ["draft", "submitted", "submitted_with_report", "returned", "recommended"])
@pytest.mark.parametrize("role", ROLES)
def test_application_buttons(request, client, unit_user, department_user, state, role):
    app = af.application_in("submitted" if state == "submitted_with_report" else state,
                            unit=unit_user.organization, created_by=unit_user)
    if state == "submitted_with_report":
        af.add_file(app, AttachmentKind.RECOMMENDATION_REPORT, user=department_user)
    user = request.getfixturevalue(role)
    html = page(client, user, app.get_absolute_url())
    for to in application_workflow.BUTTON_TARGETS:
        shown = f'action="/applications/{app.pk}/move/{to}/"' in html
        # The recommendation carries its 推荐报告 in the same form (#14): accepted with the report attached.
        with_report = role == "department_user" and state == "submitted" and to == State.RECOMMENDED

        def call(to=to, with_report=with_report):
            if with_report:
                application_services.upload_attachment(actor=user, application_id=app.pk,
                                                       kind=AttachmentKind.RECOMMENDATION_REPORT,
                                                       uploaded=af.pdf("推荐报告.pdf"))
            application_services.application_transition(application_id=app.pk, actor=user, to=to,
                                                        reason="请补充材料")
        assert shown == accepts(call), (state, role, to)


def test_the_department_is_asked_for_the_report_with_the_recommendation(client, unit_user, department_user):
    app = af.application_in("submitted", unit=unit_user.organization, created_by=unit_user)
    html = page(client, department_user, app.get_absolute_url())
    step = html.split('id="step-recommended"')[1].split("</form>")[0]
    assert 'enctype="multipart/form-data"' in html.split('id="step-recommended"')[1][:80]
    assert "尚未上传推荐报告：推荐上报须附推荐报告。" in step and 'name="report"' in step
    assert "暂不能“同意推荐，上报县人社局”" not in html


@pytest.mark.parametrize("state", ["submitted", "recommended"])
@pytest.mark.parametrize("role", ROLES)
def test_recommendation_report_upload_form(request, client, unit_user, state, role):
    app = af.application_in(state, unit=unit_user.organization, created_by=unit_user)
    user = request.getfixturevalue(role)
    html = page(client, user, app.get_absolute_url())
    shown = 'name="report"' in html  # in the recommendation step (#14), not a separate upload form
    accepted = accepts(lambda: application_services.upload_attachment(
        actor=user, application_id=app.pk, kind=AttachmentKind.RECOMMENDATION_REPORT, uploaded=af.pdf("推荐报告.pdf")))
    assert shown == accepted, (state, role)


# --- The application's expert panel: 撤销分配 -------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("state", ["assigned", "submitted", "withdrawn", "after_conclusion"])
@pytest.mark.parametrize("role", ROLES)
def test_assignment_removal_button(request, client, state, role):
    app = af.application_in(State.EXPERT_REVIEW)
    kept = af.assign(app, submitted=state in ("submitted", "after_conclusion"))
    if state == "withdrawn":
        application_services.remove_assignment(actor=factories.HRUserFactory(), assignment_id=kept.pk)
    if state == "after_conclusion":
        assignment = af.assign(app, submitted=False)  # a second expert still waiting when the state moved on
        app.state = State.PROPOSED
        app.save(update_fields=["state"])
    else:
        assignment = kept
    user = request.getfixturevalue(role)
    html = page(client, user, app.get_absolute_url())
    shown = f'action="/applications/assignments/{assignment.pk}/remove/"' in html
    accepted = accepts(lambda: application_services.remove_assignment(actor=user, assignment_id=assignment.pk))
    assert shown == accepted, (state, role)
    assert accepted == (state == "assigned" and role == "hr_user")


# --- A tranche: approve, disburse, cancel ------------------------------------------------------------------

TRANCHE_ROLES = ("hr_user", "finance_user", "org_dept_user")


@pytest.mark.parametrize("state", ["scheduled", "approved", "disbursed", "cancelled", "revoked_station"])
@pytest.mark.parametrize("role", TRANCHE_ROLES)
def test_tranche_buttons(request, client, hr_user, finance_user, state, role):
    _ws, grant = funded_station(hr=hr_user)
    tranche = grant.tranches.get(kind="first")
    if state in ("approved", "disbursed"):
        funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    if state == "disbursed":
        funding_services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user,
                                          disbursed_on=timezone.localdate(), voucher_number="记-1")
    if state == "cancelled":
        funding_services.cancel_tranche(tranche_id=tranche.pk, actor=hr_user, reason="暂缓")
    if state == "revoked_station":
        from qinshui_station.services import revoke_workstation

        revoke_workstation(workstation_id=grant.workstation_id, actor=hr_user, ground="fraud", facts="造假")
    user = request.getfixturevalue(role)
    html = page(client, user, tranche.get_absolute_url())
    calls = {
        "approve": lambda: funding_services.approve_tranche(tranche_id=tranche.pk, actor=user),
        "disburse": lambda: funding_services.disburse_tranche(tranche_id=tranche.pk, actor=user,
                                                              disbursed_on=timezone.localdate(), voucher_number="记-2"),
        "cancel": lambda: funding_services.cancel_tranche(tranche_id=tranche.pk, actor=user, reason="暂缓"),
    }
    for name, call in calls.items():
        shown = f'action="/funding/tranches/{tranche.pk}/{name}/"' in html
        assert shown == accepts(call), (state, role, name)


def test_a_tranche_of_a_unit_without_an_account_says_why_it_cannot_be_paid(client, hr_user, finance_user):
    ws, grant = funded_station(hr=hr_user)
    ws.unit.bank_account_number = ""
    ws.unit.save()
    tranche = grant.tranches.get(kind="first")
    funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    html = page(client, finance_user, tranche.get_absolute_url())
    assert f'action="/funding/tranches/{tranche.pk}/disburse/"' not in html
    assert f"{ws.unit.name}尚未在“单位信息”中填写银行开户账号，不能登记拨付。" in html


# --- An evaluation: submit, return -------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["draft_empty", "draft_complete", "draft_before_window", "submitted", "returned"])
@pytest.mark.parametrize("role", ["station_unit", "other_unit_user", "hr_user", "expert", "department_user"])
def test_evaluation_buttons(request, client, rubric, hr_user, state, role):
    today = timezone.localdate()
    window = {"opens_on": today + timedelta(days=3), "closes_on": today + timedelta(days=30)} \
        if state == "draft_before_window" else {}
    round_ = rf.open_round(hr_user, **window)
    evaluation = rf.evaluation_in_round(round_)
    station_unit = rf.unit_user_of(evaluation.workstation)
    if state != "draft_empty":
        rf.file_evaluation(evaluation, station_unit, submit=state in ("submitted", "returned")
                           and not window)
    if state == "returned":
        review_services.evaluation_transition(evaluation_id=evaluation.pk, actor=hr_user, to="returned",
                                              reason="请补充")
    user = station_unit if role == "station_unit" else request.getfixturevalue(role)
    html = page(client, user, evaluation.get_absolute_url())
    for to in ("submitted", "returned"):
        shown = f'name="to" value="{to}"' in html
        accepted = accepts(lambda to=to: review_services.evaluation_transition(
            evaluation_id=evaluation.pk, actor=user, to=to, reason="请补充"))
        assert shown == accepted, (state, role, to)


@pytest.fixture
def rubric(db):
    return rf.rubric_2023()


# --- Recording: the ledger, an expenditure -----------------------------------------------------------------

@pytest.mark.parametrize("revoked", [False, True])
@pytest.mark.parametrize("role", ["station_unit", "other_unit_user", "hr_user", "finance_user"])
def test_record_buttons(request, client, hr_user, revoked, role):
    ws, _grant = funded_station(hr=hr_user)
    station_unit = factories.UnitUserFactory(organization=ws.unit)
    if revoked:
        from qinshui_station.services import revoke_workstation

        revoke_workstation(workstation_id=ws.pk, actor=hr_user, ground="fraud", facts="造假")
    user = station_unit if role == "station_unit" else request.getfixturevalue(role)
    ledger_html = page(client, user, f"/reviews/stations/{ws.pk}/ledger/")
    statement_html = page(client, user, f"/funding/stations/{ws.pk}/")
    ledger_ok = accepts(lambda: review_services.add_ledger_entry(
        actor=user, workstation_id=ws.pk, kind="trained", occurred_on=timezone.localdate(), title="",
        person_name="李明", occupation="钳工", result="晋升技师", description=""))
    assert ('name="person_name"' in ledger_html) == ledger_ok, (revoked, role)
    expenditure_ok = accepts(lambda: funding_services.record_expenditure(
        workstation_id=ws.pk, actor=user, spent_on=timezone.localdate(), category=None, amount=Decimal("1.00"),
        description="x", documents=[]))
    # A unit allowed to record is refused only for the missing category and invoice (field errors): allowed.
    assert (f'href="/funding/stations/{ws.pk}/expenditures/new/"' in statement_html) == (
        expenditure_ok or _refused_at_fields(lambda: funding_services.record_expenditure(
            workstation_id=ws.pk, actor=user, spent_on=timezone.localdate(), category=None, amount=Decimal("1.00"),
            description="x", documents=[]))), (revoked, role)


def _refused_at_fields(call) -> bool:
    try:
        with transaction.atomic():
            call()
    except ValidationError as error:
        return hasattr(error, "error_dict")
    except (PermissionDenied, TransitionRefused):
        return False
    return True


# --- The comparisons above also see buttons that are there (the pages are read, not empty) ------------------

def test_the_buttons_are_found_where_they_are_expected(client, rubric, unit_user, department_user, hr_user,
                                                       finance_user):
    app = af.application_in("submitted", unit=unit_user.organization, created_by=unit_user)
    af.add_file(app, AttachmentKind.RECOMMENDATION_REPORT, user=department_user)
    assert f'action="/applications/{app.pk}/move/recommended/"' in page(client, department_user,
                                                                         app.get_absolute_url())
    _ws, grant = funded_station(hr=hr_user)
    tranche = grant.tranches.get(kind="first")
    assert f'action="/funding/tranches/{tranche.pk}/approve/"' in page(client, hr_user, tranche.get_absolute_url())
    funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    assert f'action="/funding/tranches/{tranche.pk}/disburse/"' in page(client, finance_user,
                                                                         tranche.get_absolute_url())
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    station_unit = rf.unit_user_of(evaluation.workstation)
    rf.file_evaluation(evaluation, station_unit, submit=False)
    assert 'name="to" value="submitted"' in page(client, station_unit, evaluation.get_absolute_url())
    review_services.evaluation_transition(evaluation_id=evaluation.pk, actor=station_unit, to="submitted")
    assert 'name="to" value="returned"' in page(client, hr_user, evaluation.get_absolute_url())
    ws = evaluation.workstation
    rf.grant(ws, hr_user)
    assert 'name="person_name"' in page(client, station_unit, f"/reviews/stations/{ws.pk}/ledger/")
    assert f'href="/funding/stations/{ws.pk}/expenditures/new/"' in page(client, station_unit,
                                                                         f"/funding/stations/{ws.pk}/")


@pytest.mark.parametrize("eligible", [True, False])
def test_the_submit_step_of_the_form(client, unit_user, eligible):
    app = (af.eligible_application if eligible else af.ApplicationFactory)(unit=unit_user.organization,
                                                                           created_by=unit_user)
    html = page(client, unit_user, f"/applications/{app.pk}/edit/attachments/")
    accepted = accepts(lambda: application_services.application_transition(application_id=app.pk, actor=unit_user,
                                                                           to="submitted"))
    assert accepted is eligible
    assert (f'action="/applications/{app.pk}/move/submitted/"' in html) is eligible
