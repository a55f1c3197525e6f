"""HR's rounds: open one, edit its window, watch the table, decide a tie, finalize; the grade table."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qinshui_station.access import (
    REFUSALS,
    confirmed,
    errors_to_form,
    form_at_top,
    kept_at_top,
    kept_step,
    paginate,
    posted_from,
    role_required,
    state_filter,
)
from qinshui_station.fields_html import fields_html
from qinshui_station.notifications import urls
from qinshui_station.prepared import Fixed, Maybe, Person, RowCount, Rows
from qinshui_station.roles import Role
from qinshui_station.templatetags.portal import badge
from reviews import selectors, services
from reviews.forms import RoundForm, TieForm, WindowForm
from reviews.models import Evaluation
from reviews.workflow import ROUND_TRANSITIONS, EvaluationState, Grade, RoundState

STAFF = (Role.HR, Role.FINANCE, Role.ORG_DEPT)


@role_required(*STAFF)
def round_list(request):
    rounds = selectors.rounds_for(request.user).order_by("-year").annotate(
        stations=Count("evaluations", filter=~Q(evaluations__state=EvaluationState.WITHDRAWN)),
        submitted=Count("evaluations", filter=Q(evaluations__state__in=[EvaluationState.SUBMITTED,
                                                                          EvaluationState.GRADED])),
    )
    q, (state, state_error) = request.GET.get("q", "").strip(), state_filter(request, RoundState)
    if q.isdigit():
        rounds = rounds.filter(year=int(q))
    if state:
        rounds = rounds.filter(state=state)
    return render(request, "reviews/round_list.html", {"page": paginate(request, rounds), "q": q, "state": state,
                                                       "state_error": state_error, "states": RoundState.choices})


@role_required(Role.HR)
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.open_round(actor=request.user, year=form.cleaned_data["year"],
                                         rubric_id=form.cleaned_data["rubric"].pk,
                                         opens_on=form.cleaned_data["opens_on"], closes_on=form.cleaned_data["closes_on"])
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("已开始%(year)d年度评估，共%(n)d个工作站参评。")
                             % {"year": round_.year, "n": round_.evaluations.count()})
            return redirect(round_)
    return render(request, "reviews/round_form.html", {"form": form}, status=400 if request.method == "POST" else 200)


_ROUND = Rows(lambda *, user, pk: selectors.rounds_for(user).filter(pk=pk)[:1], user=Person, pk=int)


@role_required(*STAFF)
def round_detail(request, pk: int):
    return _round_page(request, _ROUND.get_or_404(user=request.user, pk=pk))


def _round_page(request, round_, *, window_form=None, tie_form=None, kept: dict | None = None, status: int = 200):
    """The round's page; a refused window or tie decision comes back here with its form as typed (400) — its
    message at the top of the page if the page no longer offers that form (the round finalized meanwhile);
    ``kept``: a refused 定级并锁定 (``access.kept_step``), its message at its box or the step's top."""
    q = request.GET.get("q", "").strip()
    state, state_error = state_filter(request, EvaluationState)
    flag = request.GET.get("flag") == "1"
    filters = {"round_": round_.pk, "state": state, "flag": flag or None}
    if q:  # a search's pattern is rewritten (%…%) before it reaches the SQL: built each time, counted by the paginator
        rows, count = _table(**filters, q=q), None
    else:  # the unfiltered count from the bare evaluations (round_size), a filtered one from the table
        rows = _TABLE.pages(**filters)
        count = _TABLE_SIZE(**filters) if state or flag else selectors.round_size(round_)
    page = paginate(request, rows, count=count)
    context = {"round": round_, "page": page, "rows": _table_rows(page), "q": q,
               "state": state, "state_error": state_error, "states": EvaluationState.choices, "flag": flag}
    if request.user.role == Role.HR and round_.state == RoundState.OPEN:
        standing = services.round_standing(round_)
        tied = _tied(standing)
        move = ROUND_TRANSITIONS[(RoundState.OPEN, RoundState.FINALIZED)]
        context.update(standing=standing, tied=tied,
                       tie_form=tie_form or (TieForm(tied=tied) if tied else None),
                       window_form=window_form, window_fields=fields_html(window_form or WindowForm(
                           initial={"opens_on": round_.opens_on, "closes_on": round_.closes_on})),
                       finalize_move=move, kept_finalize=kept or {})
    elif kept:  # finalized meanwhile (a colleague, another tab): the step's place is gone
        kept_at_top(request, kept, round_, RoundState.FINALIZED)
    if window_form is not None and "window_fields" not in context:
        form_at_top(request, window_form)
    if tie_form is not None and not context.get("tied"):
        form_at_top(request, tie_form)
    return render(request, "reviews/round_detail.html", context, status=status)


def _table(*, round_, state, flag, q=None):
    """The round's table as the page lists it: filtered by state, by the overclaim flag, by a search."""
    table = selectors.round_table(round_)
    if q:
        table = table.filter(Q(workstation__name__icontains=q) | Q(workstation__unit__name__icontains=q))
    if state:
        table = table.filter(state=state)
    if flag:
        table = table.filter(overclaimed=True)
    return table.order_by("plaque_number", "workstation__plaque_number").values(*_TABLE_COLUMNS)


_TABLE = Rows(_table, round_=Fixed(int), state=Maybe(str), flag=Maybe(bool))  # compiled once per filter combination
_TABLE_SIZE = RowCount(_table, round_=Fixed(int), state=Maybe(str), flag=Maybe(bool))


def _tied(standing) -> list[Evaluation]:
    """The evaluations tied across the cut-off, with their stations (no query when there is no tie)."""
    if not standing.tied_ids:
        return []
    return list(Evaluation.objects.filter(pk__in=standing.tied_ids).select_related("workstation"))


_TABLE_COLUMNS = ("pk", "workstation__name", "workstation__unit__name", "is_final_acceptance", "state", "grade",
                  "experts_submitted", "experts_assigned", "self_total", "assessed_total", "expert_spread",
                  "overclaimed")


_ROW = ('<tr>\n  <td><a href="{url}">{name}</a>{final}<div class="small text-muted">{unit}</div></td>\n'
        '  <td>{state}{grade}</td>\n  <td>{submitted}/{assigned}</td>\n  <td class="text-end">{self_total}</td>\n'
        '  <td class="text-end">{assessed_total}</td>\n  <td class="text-end">{expert_spread}</td>\n'
        '  <td>{overclaimed}</td>\n</tr>')


def _table_rows(page) -> str:
    """The page's rows of the table as HTML, written here in one pass (25 rows of a dozen cells cost ~2 ms through
    the template language): links reversed once, badges and numbers worked out here; every text from the data
    escaped (the translations are written as {% trans %} writes them)."""
    ids = [row["pk"] for row in page]
    links = urls("reviews:evaluation_detail", ids)
    states, grades = dict(EvaluationState.choices), dict(Grade.choices)
    dash = "—"
    final = f' <span class="badge text-bg-info">{_("期满验收")}</span>'
    overclaimed = f'<span class="badge text-bg-danger">{_("自评高出10分以上")}</span>'
    return mark_safe("".join(_ROW.format(  # noqa: S308 -- every text escaped
        url=escape(links[row["pk"]]), name=escape(row["workstation__name"]),
        final=final if row["is_final_acceptance"] else "", unit=escape(row["workstation__unit__name"]),
        state=badge(row["state"], states.get(row["state"], row["state"])),
        grade=" " + badge(row["grade"], grades.get(row["grade"], row["grade"])) if row["grade"] else "",
        submitted=row["experts_submitted"], assigned=row["experts_assigned"],
        self_total=escape(localize(row["self_total"])),
        # 0.00 is a figure (the experts agreed to the point), only a missing one is a dash
        assessed_total=escape(localize(row["assessed_total"])) if row["assessed_total"] is not None else dash,
        expert_spread=escape(localize(row["expert_spread"])) if row["expert_spread"] is not None else dash,
        overclaimed=overclaimed if row["overclaimed"] else "") for row in page))


@role_required(Role.HR)
@posted_from("reviews:round_detail", "pk")
def round_window(request, pk: int):
    round_ = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    form = WindowForm(request.POST)
    if form.is_valid():
        try:
            services.update_round_window(actor=request.user, round_id=round_.pk, **form.cleaned_data)
        except REFUSALS as error:
            errors_to_form(form, error)
            round_.refresh_from_db()  # finalized meanwhile (a colleague): the page as it now stands
        else:
            messages.success(request, _("申报时间已修改。"))
            return redirect(round_)
    return _round_page(request, round_, window_form=form, status=400)


@role_required(Role.HR)
@posted_from("reviews:round_detail", "pk")
def round_tie(request, pk: int):
    round_ = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    try:
        tied = _tied(services.tie_to_decide(round_))
    except REFUSALS as error:  # decided or finalized meanwhile (a colleague, another tab): no tie left, the reason
        form = TieForm(request.POST)
        errors_to_form(form, error)
        return _round_page(request, round_, tie_form=form, status=400)
    form = TieForm(request.POST, tied=tied)
    if form.is_valid():
        try:
            services.decide_tie(actor=request.user, round_id=round_.pk, excellent_ids=form.excellent_ids(),
                                reason=form.cleaned_data["reason"])
        except REFUSALS as error:
            errors_to_form(form, error)
            round_.refresh_from_db()  # finalized meanwhile (a colleague): the page as it now stands
        else:
            messages.success(request, _("并列处理决定已记录。"))
            return redirect(round_)
    return _round_page(request, round_, tie_form=form, status=400)


@role_required(Role.HR)
@posted_from("reviews:round_detail", "pk")
def round_finalize(request, pk: int):
    round_ = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    if not confirmed(request):
        return _round_page(request, round_, kept=kept_step(request, step="finalize",
                                                           confirm_error=_("请勾选确认后再定级。")), status=400)
    try:
        services.finalize_round(actor=request.user, round_id=round_.pk)
    except REFUSALS as error:  # an undecided tie, sheets still out, or finalized meanwhile: said at the step
        round_.refresh_from_db()
        return _round_page(request, round_, kept=kept_step(request, error, step="finalize"), status=400)
    messages.success(request, _("%(year)d年度评估已定级，评分已锁定。") % {"year": round_.year})
    return redirect("reviews:round_grades", pk=round_.pk)


@role_required(*STAFF)
def round_grades(request, pk: int):
    round_ = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    summary = [(label, n, value) for value, label, n in selectors.grade_counts(round_)]
    return render(request, "reviews/round_grades.html",
                  {"round": round_, "page": paginate(request, selectors.grade_table(round_), per_page=50),
                   "summary": summary})
