"""The figures behind the charts: a constant number of queries whatever the number of stations, rounds or
payments (one aggregate each)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from funding.models import Expenditure, ExpenditureCategory, Grant, Tranche
from funding.workflow import TrancheState
from qinshui_station.models import Workstation
from qinshui_station.models.workstations import WorkstationState
from reviews.models import Evaluation, EvaluationRound
from reviews.scoring import EXCELLENT_FROM, QUALIFIED_FROM
from reviews.workflow import Grade

ROUNDS_SHOWN = 6
ZERO = Decimal("0.00")
# Score bands of the assessed total, cut at the grade boundaries of 第九条 (reviews.scoring).
_QUALIFIED, _EXCELLENT = int(QUALIFIED_FROM), int(EXCELLENT_FROM)
BANDS = [(None, _QUALIFIED), *((low, low + 10) for low in range(_QUALIFIED, _EXCELLENT, 10)), (_EXCELLENT, None)]


def band_label(low, high) -> str:
    if low is None:
        return _("%(score)d分以下") % {"score": high}
    if high is None:
        return _("%(score)d分及以上") % {"score": low}
    return _("%(low)d–%(high)d分") % {"low": low, "high": high - 1}


@dataclass
class Chart:
    """One chart and its table: ``rows`` are (label, [values…]) for the ``series``."""

    slug: str
    title: str
    kind: str  # "bar", "doughnut", "stacked"
    series: list[str]
    rows: list[tuple[str, list]] = field(default_factory=list)
    money: bool = False
    caption: str = ""

    def data(self) -> dict:
        return {"type": self.kind, "title": self.title, "labels": [r[0] for r in self.rows], "money": self.money,
                "datasets": [{"label": s, "data": [str(r[1][i]) for r in self.rows]}
                             for i, s in enumerate(self.series)]}


def station_charts() -> list[Chart]:
    states = dict(WorkstationState.choices)
    by_state = dict(Workstation.objects.values_list("state").annotate(n=Count("id")).order_by())
    state_chart = Chart("stations-by-state", _("工作站按状态"), "doughnut", [_("工作站数")],
                        [(str(label), [by_state.get(code, 0)]) for code, label in states.items()])
    per_dept: dict[str, dict[str, int]] = defaultdict(dict)
    for dept, state, n in (Workstation.objects.values_list("unit__department__name", "state")
                           .annotate(n=Count("id")).order_by("unit__department__name", "state")):
        per_dept[dept or _("未指定主管部门")][state] = n
    dept_chart = Chart("stations-by-department", _("工作站按行业主管部门"), "stacked",
                       [str(label) for label in states.values()],
                       [(dept, [counts.get(code, 0) for code in states]) for dept, counts in per_dept.items()])
    return [state_chart, dept_chart]


def round_charts() -> list[Chart]:
    rounds = list(EvaluationRound.objects.order_by("-year")[:ROUNDS_SHOWN])
    aggregates = {"evaluated": Count("id", filter=Q(assessed_total__isnull=False))}
    for i, (low, high) in enumerate(BANDS):
        q = Q(assessed_total__isnull=False)
        if low is not None:
            q &= Q(assessed_total__gte=low)
        if high is not None:
            q &= Q(assessed_total__lt=high)
        aggregates[f"band{i}"] = Count("id", filter=q)
    for code, _label in Grade.choices:
        aggregates[f"grade_{code}"] = Count("id", filter=Q(grade=code))
    figures = {row["round_id"]: row for row in Evaluation.objects.filter(round__in=rounds).values("round_id")
               .annotate(**aggregates).order_by()}
    charts = []
    for r in rounds:
        f = figures.get(r.pk, {})
        charts.append(Chart(f"round-{r.year}-scores", _("%(year)d年度评估考核总分分布") % {"year": r.year}, "bar",
                            [_("工作站数")],
                            [(band_label(low, high), [f.get(f"band{i}", 0)]) for i, (low, high) in enumerate(BANDS)],
                            caption=_("已评分：%(n)d个") % {"n": f.get("evaluated", 0)}))
        charts.append(Chart(f"round-{r.year}-grades", _("%(year)d年度评估等级") % {"year": r.year}, "doughnut",
                            [_("工作站数")],
                            [(str(label), [f.get(f"grade_{code}", 0)]) for code, label in Grade.choices]))
    return charts


def funding_charts() -> list[Chart]:
    granted = dict(Grant.objects.values_list("workstation__batch_year").annotate(s=Sum("amount")).order_by())
    disbursed = dict(Tranche.objects.filter(state=TrancheState.DISBURSED)
                     .values_list(ExtractYear("disbursed_on")).annotate(s=Sum("amount")).order_by())
    spent = dict(Expenditure.objects.values_list(ExtractYear("spent_on")).annotate(s=Sum("amount")).order_by())
    years = sorted(set(granted) | set(disbursed) | set(spent))
    by_year = Chart("subsidy-by-year", _("补助资金按年度（元）"), "bar", [_("认定补助"), _("已拨付"), _("已支出")],
                    [(str(y), [granted.get(y, ZERO), disbursed.get(y, ZERO), spent.get(y, ZERO)]) for y in years],
                    money=True, caption=_("认定补助按认定年度，拨付按拨付日期，支出按支出日期。"))
    categories = ExpenditureCategory.objects.annotate(total=Sum("expenditures__amount")).order_by("order", "pk")
    by_category = Chart("spent-by-category", _("补助资金支出按类别（元）"), "bar", [_("已支出")],
                        [(c.label, [c.total or ZERO]) for c in categories if c.allowed or c.total], money=True)
    return [by_year, by_category]
