"""What the reviews app contributes to shared pages: menu entries, to-do items, the station page panel.
Registered in ReviewsConfig.ready(). Each provider runs a constant number of queries."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinshui_station import engine
from qinshui_station.models.workstations import Workstation, WorkstationState
from qinshui_station.prepared import Aggregate, Rows
from qinshui_station.registry import DashboardItem, NavItem
from qinshui_station.roles import Role
from reviews import audit_labels  # noqa: F401  (registers the audit log's action labels)
from reviews.models import Assignment, Evaluation, EvaluationRound, LedgerTarget
from reviews.selectors import ledger_progress
from reviews.services import overdue_acceptances
from reviews.states import Grade
from reviews.workflow import AssignmentState, EvaluationState, RoundState

NAV = (
    NavItem(gettext_lazy("年度评估"), "reviews:round_list", (Role.HR, Role.FINANCE, Role.ORG_DEPT), order=60,
            icon="clipboard-check"),
    NavItem(gettext_lazy("年度评估"), "reviews:evaluation_list", (Role.UNIT, Role.DEPARTMENT), order=60,
            icon="clipboard-check"),
    NavItem(gettext_lazy("评分任务"), "reviews:assignment_list", (Role.EXPERT,), order=60, icon="pencil-square"),
)


# A unit's home reads these on every visit: compiled once (qinshui_station.prepared).
_TO_FILE = Aggregate(lambda *, unit: Evaluation.objects.filter(
    workstation__unit_id=unit, round__state=RoundState.OPEN, state__in=[EvaluationState.DRAFT, EvaluationState.RETURNED]),
    {"all": Count("pk"), "returned": Count("pk", filter=Q(state=EvaluationState.RETURNED))}, unit=int)
_TARGETS = Rows(lambda: LedgerTarget.objects.values_list("kind", "minimum"))
# each standing station's entries of the year by kind, grouped in one query (a row per station and kind it ever
# recorded; a station with none, one row with no kind)
_OUTPUTS = Rows(lambda *, unit, first, last: (
    Workstation.objects.filter(unit_id=unit).exclude(state=WorkstationState.REVOKED)
    .order_by("-recognized_on", "plaque_number").values_list("pk", "ledger_entries__kind")
    .annotate(n=Count("ledger_entries", filter=Q(ledger_entries__occurred_on__range=(first, last))))),
    unit=int, first=date, last=date)
_RESULTS = Rows(lambda *, unit, since: (
    Evaluation.objects.filter(workstation__unit_id=unit, state=EvaluationState.GRADED, round__finalized_at__gte=since)
    .order_by("-round__year", "workstation__plaque_number")
    .values_list("pk", "round__year", "grade", "assessed_total", "workstation__name")[:5]), unit=int, since=datetime)


def dashboard(user) -> list[DashboardItem]:
    items = []
    if user.role == Role.UNIT:
        counts = _TO_FILE(unit=user.organization_id)
        if counts["all"]:
            items.append(DashboardItem(_("待填报的年度评估申请表"), counts["all"], reverse("reviews:evaluation_list"),
                                       hint=_("其中%(n)d份被退回修改") % {"n": counts["returned"]} if counts["returned"]
                                       else "", urgent=bool(counts["returned"]), order=20))
        items += _results(user)
        today = timezone.localdate()
        if today.month >= 10:
            targets = dict(_TARGETS())
            done: dict[int, dict[str, int]] = {}
            for pk, kind, n in _OUTPUTS(unit=user.organization_id, first=date(today.year, 1, 1),
                                        last=date(today.year, 12, 31)):
                done.setdefault(pk, {})[kind] = n
            behind = [pk for pk, counts in done.items() if any(counts.get(k, 0) < m for k, m in targets.items())]
            if behind:
                items.append(DashboardItem(_("年度产出未达标的工作站"), len(behind),
                                           reverse("reviews:ledger", args=[behind[0]]),
                                           hint=_("第七条：每年培养5名以上骨干，开展技术攻关、校企合作、技能竞赛各1项以上"),
                                           urgent=True, order=25))
    elif user.role == Role.EXPERT:
        n = Assignment.objects.filter(expert=user, state=AssignmentState.ASSIGNED,
                                      evaluation__state=EvaluationState.SUBMITTED).count()
        if n:
            items.append(DashboardItem(_("待评分的年度评估"), n, reverse("reviews:assignment_list"), order=20))
    elif user.role == Role.HR:
        open_rounds = EvaluationRound.objects.filter(state=RoundState.OPEN)
        # an anti-join (NOT EXISTS): the LEFT JOIN counted every assignment of the round's evaluations first
        unassigned = Evaluation.objects.filter(round__in=open_rounds, state=EvaluationState.SUBMITTED).filter(
            ~Exists(Assignment.objects.filter(evaluation=OuterRef("pk")))).count()
        if unassigned:
            items.append(DashboardItem(_("待分配专家的年度评估"), unassigned, reverse("reviews:round_list"), order=30))
        n = open_rounds.count()
        if n:
            items.append(DashboardItem(_("进行中的年度评估"), n, reverse("reviews:round_list"),
                                       hint=_("全部评分完成后定级"), order=31))
        n = overdue_acceptances().count()
        if n:
            items.append(DashboardItem(_("建设期满未验收的工作站"), n,
                                       f"{reverse('workstation_list')}?state={WorkstationState.CONSTRUCTION}",
                                       hint=_("第九条：建设期满须通过验收；请组织建设期满验收并定级"), urgent=True, order=29))
    elif user.role in (Role.FINANCE, Role.ORG_DEPT):
        n = EvaluationRound.objects.filter(state=RoundState.OPEN).count()
        if n:
            items.append(DashboardItem(_("进行中的年度评估"), n, reverse("reviews:round_list"), order=60, info=True))
    return items


RESULTS_SHOWN = timedelta(days=60)  # a round's outcome stays on the unit's home this long after the grading


def _results(user) -> list[DashboardItem]:
    """What a round graded lately decided for the unit's stations (under 进行中): the grade and total, and for a
    station graded 不合格 that its title is revoked — the notice said it once, the home keeps saying it a while."""
    grades = dict(Grade.choices)
    rows = _RESULTS(unit=user.organization_id, since=timezone.now() - RESULTS_SHOWN)
    return [DashboardItem(
        _("%(year)s年度评估结果：%(grade)s") % {"year": year, "grade": grades.get(grade, grade)}, None,
        reverse("reviews:evaluation_detail", args=[pk]),
        hint=(_("%(station)s考核总分%(total)s；工作站称号已撤销（第十条），请按通知交回牌匾") if grade == Grade.UNQUALIFIED
              else _("%(station)s考核总分%(total)s")) % {"station": name, "total": total},
        urgent=grade == Grade.UNQUALIFIED, order=21, info=grade != Grade.UNQUALIFIED)
        for pk, year, grade, total, name in rows]


def workstation_panel(request, station) -> str:
    """The station page: yearly outputs against 第七条, its evaluations, and HR's revocation entry."""
    today = timezone.localdate()
    evaluations = (Evaluation.objects.filter(workstation=station).exclude(state=EvaluationState.WITHDRAWN)
                   .select_related("round").order_by("-round__year"))
    if request.user.role == Role.DEPARTMENT:
        evaluations = evaluations.exclude(state=EvaluationState.DRAFT)
    return render_to_string("reviews/panel_workstation.html", {
        "station": station, "year": today.year, "progress": ledger_progress(station, today.year, today),
        "evaluations": evaluations, "can_revoke": engine.can(station, WorkstationState.REVOKED, actor=request.user),
    }, request=request)
