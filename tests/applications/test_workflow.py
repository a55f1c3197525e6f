"""Every move of the TRANSITIONS table, made by the role the table names (allowed) and by each other role
(refused), through the service that makes that move in the portal."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications import services, workflow
from applications.models import ISSUERS, Application, AttachmentKind
from applications.workflow import State
from qinshui_station.models import AuditEntry
from qinshui_station.roles import Role
from qinshui_station.workflow import TransitionRefused
from tests import factories as core
from tests.applications.factories import ObjectionFactory, add_file, application_in

pytestmark = pytest.mark.django_db

PAST_START = date(2026, 9, 28)  # window 2026-09-28 — 2026-10-09, closed by now


def actor_for(role: str, app: Application):
    """A user of ``role`` who is on the right side of the ownership checks for ``app``."""
    match role:
        case Role.UNIT:
            return core.UnitUserFactory(organization=app.unit)
        case Role.DEPARTMENT:
            return core.DepartmentUserFactory(organization=app.unit.department)
        case Role.EXPERT:
            return core.ExpertFactory()
        case Role.HR:
            return core.HRUserFactory()
        case Role.FINANCE:
            return core.FinanceUserFactory()
        case Role.ORG_DEPT:
            return core.OrgDeptUserFactory()


def prepare(src: str, dst: str) -> Application:
    if (src, dst) == (State.PUBLICITY, State.RECOGNIZED):
        return application_in(src, publicity_starts=PAST_START)
    if (src, dst) == (State.PROPOSED, State.PUBLICITY):
        app = application_in(src)
        app.batch.state = "closed"
        app.batch.save()
        return app
    app = application_in(src)
    if (src, dst) == (State.SUBMITTED, State.RECOMMENDED):
        add_file(app, AttachmentKind.RECOMMENDATION_REPORT,
                 user=core.DepartmentUserFactory(organization=app.unit.department))
    return app


def perform(src: str, dst: str, app: Application, actor) -> None:
    """Make the move the way the portal makes it."""
    match (src, dst):
        case (State.EXPERT_REVIEW, State.PROPOSED):
            services.record_panel_conclusion(actor=actor, application_id=app.pk, votes_for=1, votes_against=0,
                                             votes_abstain=0, summary="同意。", held_on=timezone.localdate(),
                                             participants=services.batch_panel(app.batch))
        case (State.EXPERT_REVIEW, State.NOT_RECOGNIZED):
            services.record_panel_conclusion(actor=actor, application_id=app.pk, votes_for=0, votes_against=1,
                                             votes_abstain=0, summary="技师人数不实。", held_on=timezone.localdate(),
                                             participants=services.batch_panel(app.batch))
        case (State.PROPOSED, State.NOT_RECOGNIZED) | (State.NOT_RECOGNIZED, State.PROPOSED):
            agree = 1 if dst == State.PROPOSED else 0
            services.correct_panel_conclusion(actor=actor, application_id=app.pk, votes_for=agree,
                                              votes_against=1 - agree, votes_abstain=0, summary="更正。",
                                              held_on=timezone.localdate(), reason="票数记错。",
                                              participants=services.batch_panel(app.batch))
        case (State.PROPOSED, State.PUBLICITY):
            services.publish_publicity(actor=actor, batch_id=app.batch_id, starts_on=timezone.localdate())
        case (State.PUBLICITY, State.NOT_RECOGNIZED):
            objection = ObjectionFactory(application=app)
            services.resolve_objection(actor=actor, objection_id=objection.pk, upheld=True, reason="经核实属实。")
        case (State.PUBLICITY, State.RECOGNIZED):
            services.recognize_batch(actor=actor, batch_id=app.batch_id, number="沁人社字〔2026〕58号",
                                     issued_on=timezone.localdate(), issuers=[c for c, _l in ISSUERS])
        case _:
            services.application_transition(application_id=app.pk, actor=actor, to=dst, reason="理由。")


ALLOWED = [(src, dst, role) for (src, dst), move in workflow.TRANSITIONS.items() for role in move.roles]
REFUSED = [(src, dst, role) for (src, dst), move in workflow.TRANSITIONS.items() for role in Role.values
           if role not in move.roles]


@pytest.mark.parametrize("src,dst,role", ALLOWED)
def test_move_allowed_for_the_role_the_table_names(src, dst, role):
    app = prepare(src, dst)
    actor = actor_for(role, app)
    perform(src, dst, app, actor)
    app.refresh_from_db()
    assert app.state == dst
    entry = AuditEntry.objects.filter(object_type="applications.application", object_id=str(app.pk),
                                      action="transition").first()
    assert (entry.from_state, entry.to_state, entry.actor_id) == (src, dst, actor.pk)


@pytest.mark.parametrize("src,dst,role", REFUSED)
def test_move_refused_for_every_other_role(src, dst, role):
    app = prepare(src, dst)
    actor = actor_for(role, app)
    with pytest.raises(PermissionDenied):
        perform(src, dst, app, actor)
    app.refresh_from_db()
    assert app.state == src


def test_a_move_not_in_the_table_is_refused_with_its_states_named(unit_user):
    app = application_in(State.SUBMITTED, unit=unit_user.organization)
    hr = core.HRUserFactory()
    with pytest.raises(TransitionRefused, match="当前状态“待主管部门初审”不能转为“专家评审中”"):
        services.application_transition(application_id=app.pk, actor=hr, to=State.EXPERT_REVIEW)


def test_unit_cannot_submit_another_units_application(other_unit_user):
    app = application_in(State.DRAFT)
    with pytest.raises(PermissionDenied, match="只能办理本单位的申报"):
        services.application_transition(application_id=app.pk, actor=other_unit_user, to=State.SUBMITTED)


def test_department_cannot_recommend_another_sectors_application(other_department_user):
    app = application_in(State.SUBMITTED)
    with pytest.raises(PermissionDenied, match="只能办理本部门主管行业单位的申报"):
        services.application_transition(application_id=app.pk, actor=other_department_user, to=State.RECOMMENDED)


def test_return_requires_a_reason():
    app = application_in(State.SUBMITTED)
    department = core.DepartmentUserFactory(organization=app.unit.department)
    with pytest.raises(TransitionRefused, match="请填写理由"):
        services.application_transition(application_id=app.pk, actor=department, to=State.RETURNED, reason="  ")


def test_recommend_requires_the_recommendation_report():
    app = application_in(State.SUBMITTED)
    department = core.DepartmentUserFactory(organization=app.unit.department)
    with pytest.raises(TransitionRefused, match="请先上传行业主管部门出具的推荐报告"):
        services.application_transition(application_id=app.pk, actor=department, to=State.RECOMMENDED)


def test_returned_application_shows_reason_and_clears_it_on_resubmission():
    app = application_in(State.RECOMMENDED)
    hr = core.HRUserFactory()
    services.application_transition(application_id=app.pk, actor=hr, to=State.RETURNED, reason="缺少营业执照副本。")
    app.refresh_from_db()
    assert (app.state, app.return_reason, app.returned_by) == (State.RETURNED, "缺少营业执照副本。", "县人力资源和社会保障局")
    unit = core.UnitUserFactory(organization=app.unit)
    services.application_transition(application_id=app.pk, actor=unit, to=State.SUBMITTED)
    app.refresh_from_db()
    assert (app.state, app.return_reason) == (State.SUBMITTED, "")


def test_submission_notifies_the_sector_department():
    app = application_in(State.DRAFT)
    department = core.DepartmentUserFactory(organization=app.unit.department)
    other = core.DepartmentUserFactory()
    services.application_transition(application_id=app.pk, actor=app.created_by, to=State.SUBMITTED)
    assert [n.message for n in department.notifications.all()] == [f"{app}已提交技师工作站申报，请初审。"]
    assert other.notifications.count() == 0


def test_submission_names_the_registered_organization_in_its_notice_and_its_audit_entry():
    app = application_in(State.DRAFT)
    department = core.DepartmentUserFactory(organization=app.unit.department)
    app.unit.name = "沁水县新名称机械有限公司"  # renamed after the draft was last saved
    app.unit.save()
    services.application_transition(application_id=app.pk, actor=app.created_by, to=State.SUBMITTED)
    name = f"沁水县新名称机械有限公司·{app.occupation}"
    assert [n.message for n in department.notifications.all()] == [f"{name}已提交技师工作站申报，请初审。"]
    assert list(AuditEntry.objects.filter(object_type="applications.application", object_id=str(app.pk),
                                          to_state=State.SUBMITTED).values_list("object_label", flat=True)) == [name]


def test_submitted_application_is_frozen():
    app = application_in(State.SUBMITTED)
    with pytest.raises(TransitionRefused, match="申报已提交（待主管部门初审），不能修改"):
        services.update_draft(actor=app.created_by, application_id=app.pk, fields={"leader_name": "别人"})


def test_state_diagram_lists_every_transition():
    diagram = workflow.mermaid()
    assert diagram.count("-->") == len(workflow.TRANSITIONS) + 4
    assert "submitted --> returned: 退回修改（主管部门，须理由）" in diagram


def test_documentation_diagram_is_the_tables():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "applications.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{workflow.mermaid()}\n```" in doc


def test_the_report_box_is_marked_required_until_a_report_is_there(client):
    """Recommending needs the 推荐报告: its box carries the portal's required mark (and aria-required: the browser does
    not block the post, the service says what is missing) until one is uploaded, then it only replaces it."""
    app = application_in(State.SUBMITTED)
    department = core.DepartmentUserFactory(organization=app.unit.department)
    client.force_login(department)
    html = client.get(f"/applications/{app.pk}/").content.decode()
    assert ('<label class="form-label requiredField" for="move-report">推荐报告（行业主管部门出具，PDF、JPEG或PNG）'
            '<span class="asteriskField">*</span></label>') in html
    assert 'id="move-report" accept=".pdf,.jpg,.jpeg,.png" aria-required="true">' in html
    add_file(app, AttachmentKind.RECOMMENDATION_REPORT, user=department, name="推荐报告.pdf")
    html = client.get(f"/applications/{app.pk}/").content.decode()
    assert '<label class="form-label" for="move-report">推荐报告（行业主管部门出具，PDF、JPEG或PNG）</label>' in html
    assert 'id="move-report" accept=".pdf,.jpg,.jpeg,.png">' in html
