"""The applications app's menu entries, dashboard to-do items and workstation-page panel. Each provider
runs a constant number of queries (one aggregate)."""

from datetime import date

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import audit_labels  # noqa: F401  (registers the audit log's action labels)
from applications.models import (
    Application,
    Batch,
    BatchState,
    ExpertAssignment,
    Objection,
    ObjectionState,
    Publicity,
)
from applications.states import ExpertAssignmentState
from applications.workflow import State
from qinshui_station.prepared import Aggregate, Rows
from qinshui_station.registry import (
    DashboardItem,
    NavItem,
    register_dashboard,
    register_nav,
    register_workstation_panel,
)
from qinshui_station.roles import Role

register_nav(
    NavItem(gettext_lazy("工作站申报"), "applications:list",
            (Role.UNIT, Role.DEPARTMENT, Role.HR, Role.FINANCE, Role.ORG_DEPT), order=10, icon="file-earmark-text",
            group=gettext_lazy("申报认定")),
    NavItem(gettext_lazy("申报批次"), "applications:batch_list", (Role.HR,), order=11, icon="calendar-range",
            group=gettext_lazy("申报认定")),
    NavItem(gettext_lazy("申报评审"), "applications:assignment_list", (Role.EXPERT,), order=10, icon="clipboard-check"),
    NavItem(gettext_lazy("认定公示"), "applications:publicity_list", (), order=21, icon="megaphone", public=True),
)


def _list(state: str) -> str:
    return f"{reverse('applications:list')}?state={state}"


def _day(day) -> str:
    """A date as "12月4日" (in English "Dec 4")."""
    return date_format(day, _("n月j日"))


def _publicity_item(publicity, *, order: int, url: str = "") -> DashboardItem:
    """What happens next while the proposed list is on public notice."""
    return DashboardItem(_("公示至%(day)s，期满后认定") % {"day": _day(publicity.ends_on)}, None,
                         url or publicity.get_absolute_url(),
                         hint=_("%(batch)s拟认定名单公示中；异议在公示期内受理") % {"batch": publicity.batch}, order=order,
                         info=True)


# A unit's home reads these on every visit: compiled once (qinshui_station.prepared).
_UNIT_COUNTS = Aggregate(lambda *, unit: Application.objects.filter(unit_id=unit), {
    "drafts": Count("pk", filter=Q(state=State.DRAFT)), "returned": Count("pk", filter=Q(state=State.RETURNED)),
    "on_notice": Count("pk", filter=Q(state=State.PUBLICITY))}, unit=int)
_BATCH_TO_FILE = Rows(lambda *, unit, today: (
    Batch.objects.filter(state=BatchState.OPEN, filing_opens_on__lte=today, filing_closes_on__gte=today)
    .exclude(applications__unit_id=unit).only("year", "filing_closes_on").order_by("-year", "pk")[:1]),
    unit=int, today=date)


def application_todos(user) -> list[DashboardItem]:
    items: list[DashboardItem] = []
    if user.role == Role.UNIT:
        counts = _UNIT_COUNTS(unit=user.organization_id)
        if counts["returned"]:
            items.append(DashboardItem(_("被退回待修改的申报"), counts["returned"], _list(State.RETURNED),
                                       hint=_("查看退回理由，修改后重新提交"), urgent=True, order=10))
        if counts["drafts"]:
            items.append(DashboardItem(_("未提交的申报草稿"), counts["drafts"], _list(State.DRAFT), order=11))
        today = timezone.localdate()
        batch = _BATCH_TO_FILE.first(unit=user.organization_id, today=today)
        if batch is not None:
            items.append(DashboardItem(
                _("%(batch)s正在申报，截至%(day)s") % {"batch": batch, "day": _day(batch.filing_closes_on)}, None,
                reverse("applications:create"), hint=_("新建工作站申报：填写申报表、上传材料，提交行业主管部门初审"),
                order=12))
        # the notices only when one of the unit's applications is on one (most of the year none is: no query)
        notices = Publicity.objects.filter(batch__applications__unit_id=user.organization_id,
                                           batch__applications__state=State.PUBLICITY,
                                           closes_at__gte=timezone.now()).distinct() if counts["on_notice"] else []
        for publicity in notices:
            items.append(_publicity_item(publicity, order=13))
    elif user.role == Role.DEPARTMENT:
        count = Application.objects.filter(unit__department_id=user.organization_id, state=State.SUBMITTED).count()
        if count:
            items.append(DashboardItem(_("待初审的工作站申报"), count, _list(State.SUBMITTED),
                                       hint=_("上传推荐报告后推荐上报，或退回修改"), order=10))
    elif user.role == Role.EXPERT:
        count = ExpertAssignment.objects.filter(expert=user, state=ExpertAssignmentState.ASSIGNED,
                                                application__state=State.EXPERT_REVIEW).count()
        if count:
            items.append(DashboardItem(_("待评审的工作站申报"), count, reverse("applications:assignment_list"),
                                       hint=_("资料审查、实地查看、提交评审意见"), order=10))
    elif user.role == Role.HR:
        counts = Application.objects.filter(state__in=(State.RECOMMENDED, State.EXPERT_REVIEW)).aggregate(
            recommended=Count("pk", filter=Q(state=State.RECOMMENDED)),
            ready=Count("pk", filter=Q(state=State.EXPERT_REVIEW)),
        )
        if counts["recommended"]:
            items.append(DashboardItem(_("待审核材料的工作站申报"), counts["recommended"], _list(State.RECOMMENDED),
                                       hint=_("材料齐全则进入专家评审，否则退回"), order=10))
        if counts["ready"]:
            items.append(DashboardItem(_("专家评审中的申报"), counts["ready"], _list(State.EXPERT_REVIEW),
                                       hint=_("分配专家；意见齐全后记录集中评议结论"), order=11))
        for publicity in Publicity.objects.filter(closes_at__gte=timezone.now()).select_related("batch"):
            items.append(_publicity_item(publicity, order=14, url=publicity.batch.get_absolute_url()))
        pending = Objection.objects.filter(state=ObjectionState.PENDING).count()
        if pending:
            items.append(DashboardItem(_("待处理的公示异议"), pending, reverse("applications:batch_list"),
                                       urgent=True, order=12))
        due = Publicity.objects.filter(closes_at__lt=timezone.now(), batch__recognition__isnull=True,
                                       batch__applications__state=State.PUBLICITY).distinct().count()
        if due:
            items.append(DashboardItem(_("公示期满待发文认定的批次"), due, reverse("applications:batch_list"),
                                       hint=_("异议处理完毕后登记联合认定文件"), order=13))
    return items


register_dashboard(application_todos)


def recognition_panel(request, station) -> str:
    """On a workstation's page: where it came from (batch, application, document)."""
    app = (Application.objects.filter(workstation=station).select_related("batch", "batch__recognition").first())
    if app is None:
        return ""
    from applications.selectors import applications_for

    visible = applications_for(request.user).filter(pk=app.pk).exists()
    return render_to_string("applications/workstation_panel.html",
                            {"app": app, "document": getattr(app.batch, "recognition", None), "visible": visible},
                            request=request)


register_workstation_panel(recognition_panel)
