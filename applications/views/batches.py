"""HR's batch pages: open and close a batch, every application with its state and age in that state,
overlapping teams, the publicity, the objections and the recognition document."""

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from applications import rules, services
from applications.forms import BatchForm, PublicityForm, RecognitionForm, ResolveObjectionForm
from applications.models import Application, BatchState, ObjectionState, application_label
from applications.selectors import applications_for, batches_for, objections_for, state_counts_query
from applications.states import ON_PANEL
from applications.templatetags.application_tags import ages
from applications.views.common import checkboxes, expert_labels
from applications.workflow import State
from qinshui_station import access
from qinshui_station.access import (
    REFUSALS,
    errors_to_form,
    paginate,
    posted_from,
    refused,
    role_required,
    state_filter,
)
from qinshui_station.choice_labels import label
from qinshui_station.fields_html import fields_html
from qinshui_station.notifications import urls
from qinshui_station.prepared import Fixed, Maybe, Person, Rows
from qinshui_station.punctuation import bracketed, mark
from qinshui_station.roles import Role
from qinshui_station.selectors import experts
from qinshui_station.validators import conflicted_unit


@role_required(Role.HR)
@require_http_methods(["GET", "POST"])
def batch_list(request):
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.open_batch(actor=request.user, **form.cleaned_data)
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("%(batch)s已开始申报。") % {"batch": batch})
            return redirect(batch)
    return render(request, "applications/batch_list.html",
                  {"form": form, "page": paginate(request, batches_for(request.user))})


@role_required(Role.HR)
def batch_detail(request, pk: int):
    return _batch_page(request, _BATCH.get_or_404(user=request.user, pk=pk))


_BATCH = Rows(lambda *, user, pk: batches_for(user, counted=False).filter(pk=pk)[:1], user=Person, pk=int)


def _batch_page(request, batch, *, publicity_form=None, recognition_form=None, objection_form=None,
                assign_form=None, confirm_errors: dict | None = None, status: int = 200):
    """The batch page. A form as posted and refused (``publicity_form``, ``recognition_form``,
    ``objection_form`` for its objection, or ``assign_form``: the experts to assign) shows again with what was
    typed and the message at its field, a 400 as every refused form re-rendered is (the views pass ``status``);
    ``confirm_errors``: a forgotten confirmation tick, by step ("publish", "recognize", an objection's id)."""
    confirm_errors = confirm_errors or {}
    # how many of the batch's applications HR sees in each state, in one query: the list's total (no COUNT),
    # the proposed and listed numbers and what publicity_blockers counts
    counts = dict(_STATE_COUNTS(user=request.user, batch=batch.pk))
    state, state_error = state_filter(request, State)
    page = paginate(request, _ROWS.pages(user=request.user, batch=batch.pk, state=state), per_page=50,
                    count=counts.get(state, 0) if state else sum(counts.values()))
    page.object_list = _rows(page.object_list)
    publicity = getattr(batch, "publicity", None)
    objections = objections_for(request.user).filter(publicity__batch=batch) if publicity else []
    overlaps = rules.shared_members(batch, limit=rules.OVERLAP_LIMIT + 1)  # one more tells whether any were left
    context = {
        "batch": batch, "page": page, "state": state, "state_error": state_error, "states": State.choices,
        "overlaps": overlaps[:rules.OVERLAP_LIMIT], "overlaps_cut": len(overlaps) > rules.OVERLAP_LIMIT,
        "overlap_limit": rules.OVERLAP_LIMIT, "publicity": publicity, "objections": objections,
        "recognition": getattr(batch, "recognition", None), "now": timezone.now(),
        "publish_confirm_error": confirm_errors.get("publish", ""),
        "recognize_confirm_error": confirm_errors.get("recognize", ""),
        "objection_rows": [(o, fields_html(objection_form if objection_form is not None
                                           and objection_form.objection_id == o.pk
                                           else ResolveObjectionForm(auto_id=f"objection{o.pk}_%s")),
                            confirm_errors.get(o.pk, "")) for o in objections],
        "proposed_count": counts.get(State.PROPOSED, 0),
        "on_list_count": counts.get(State.PUBLICITY, 0),
    }
    if publicity is None:  # the publish form only shows before the publicity
        context["publicity_fields"] = fields_html(
            publicity_form or PublicityForm(initial={"starts_on": timezone.localdate()}))
        context["publicity_blockers"] = rules.publicity_blockers(batch, counts=counts)
    if publicity is not None and getattr(batch, "recognition", None) is None:  # the recognition form: after it
        context["recognition_fields"] = fields_html(recognition_form or RecognitionForm())
    if counts.get(State.EXPERT_REVIEW):
        context.update(_assignment_choices(batch, assign_form))
    if publicity is not None:
        context["publicity_open"] = services.publicity_is_open(publicity)
        context["publicity_over"] = timezone.now() > publicity.closes_at
        context["pending_objections"] = sum(1 for o in objections if o.state == ObjectionState.PENDING)
    # a refused form the page no longer offers (published, recognized or the objection handled meanwhile, by a
    # colleague or in another tab): its message at the top of the page
    if publicity_form is not None and publicity is not None:
        access.form_at_top(request, publicity_form)
    if recognition_form is not None and not ("recognition_fields" in context and context["publicity_over"]):
        access.form_at_top(request, recognition_form)
    if objection_form is not None and not any(o.pk == objection_form.objection_id and o.state == ObjectionState.PENDING
                                              for o in objections):
        access.form_at_top(request, objection_form)
        handled = next((o for o in objections if o.pk == objection_form.objection_id), None)
        if handled is not None and handled.pk in confirm_errors:  # refused for the box alone: why the step is gone
            access.step_gone(request, handled, ObjectionState.UPHELD if objection_form.data.get("decision") == "upheld"
                             else ObjectionState.DISMISSED)
    return render(request, "applications/batch_detail.html", context, status=status)


ROW_FIELDS = ("id", "unit_name", "occupation", "leader_name", "state", "state_changed_at",
              "also_applies_master_studio")


def _batch_rows(*, user, batch, state):
    rows = applications_for(user).filter(batch_id=batch).order_by("state", "state_changed_at", "pk")
    return (rows.filter(state=state) if state else rows).values(*ROW_FIELDS)


# The batch page's reads on every view, compiled once (qinshui_station.prepared): how many of the batch's
# applications the person sees in each state, in one query (the list's total, no COUNT; the proposed and listed
# numbers; what publicity_blockers counts), the page's rows (all, or one state's), the applications under review
# with their experts so far, and the experts.
_STATE_COUNTS = Rows(lambda *, user, batch: state_counts_query(applications_for(user).filter(batch_id=batch)),
                     user=Person, batch=Fixed(int))
_ROWS = Rows(_batch_rows, user=Person, batch=Fixed(int), state=Maybe(str))
_IN_REVIEW = Rows(lambda *, batch: (
    Application.objects.filter(batch_id=batch, state=State.EXPERT_REVIEW).order_by("pk")
    .values("id", "unit_id", "unit_name", "occupation")
    .annotate(expert_count=Count("assignments", filter=Q(assignments__state__in=ON_PANEL)))
    .values_list("id", "unit_id", "unit_name", "occupation", "expert_count")), batch=Fixed(int))  # tuples: hundreds
_EXPERTS = Rows(lambda: experts().order_by("full_name").values_list("id", "full_name", "title", "organization__name",
                                                                       "organization_id"))


def _rows(values) -> list[dict]:
    """The page's applications with what each cell shows, worked out here once (link, state label, age in the
    state), not by a filter per cell."""
    rows = list(values)
    links = urls("applications:detail", [row["id"] for row in rows])
    age = ages()
    for row in rows:
        row["url"] = links[row["id"]]
        row["label"] = label(Application, "state", row["state"])
        row["age"] = age(row["state_changed_at"])
    return rows


def _assignment_choices(batch, assign_form=None) -> dict:
    """The applications under expert review, each with its experts so far, to tick in the assignment form;
    every expert, with the applications he may not review (he works for their unit) noted under his name.
    ``assign_form``: the form as posted and refused — its ticks kept, its errors shown at their fieldsets."""
    in_review = _IN_REVIEW(batch=batch.pk)  # (id, unit, unit's name, occupation, experts so far)
    if not in_review:
        return {}
    by_unit = defaultdict(list)
    for _pk, unit, unit_name, occupation, _n in in_review:
        by_unit[unit].append(application_label(unit_name, occupation))
    # each count's note in its brackets, worked out once per count (not per box)
    assigned = {n: bracketed("", ngettext("已分配%(n)s名专家", "已分配%(n)s名专家", n) % {"n": n})
                for n in {row[4] for row in in_review}}
    first = in_review[0][0]
    ticked_apps = assign_form.ticked("application") if assign_form is not None else {first}
    ticked_experts = assign_form.ticked("expert") if assign_form is not None else set()
    application_boxes = checkboxes("application", "assign-app", [
        (pk, f"{unit_name} · {occupation}{assigned[n]}", "", pk in ticked_apps)
        for pk, _unit, unit_name, occupation, n in in_review],
        errors=assign_form.refused_at if assign_form is not None else None)
    rows, conflict, enum, expert_label = [], _("任职于申报单位，不能评审：%(apps)s"), mark("、"), expert_labels()
    for pk, full_name, title, organization_name, organization in _EXPERTS():
        names = by_unit.get(conflicted_unit(organization))  # the applications he may not review
        rows.append((pk, expert_label(full_name, organization_name, title),
                     conflict % {"apps": enum.join(names)} if names else "", pk in ticked_experts))
    return {"in_review": {"pk": first}, "application_boxes": application_boxes,
            "expert_boxes": checkboxes("expert", "assign-expert", rows), "assign_form": assign_form}


@role_required(Role.HR)
@posted_from("applications:batch_detail", "pk")
def batch_close(request, pk: int):
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    if not access.confirmed(request):
        if not access.step_gone(request, batch, BatchState.CLOSED):  # closed meanwhile: why, not the box
            messages.error(request, _("请先勾选确认框。"))
        return redirect(batch)
    try:
        services.close_batch(actor=request.user, batch_id=batch.pk)
    except REFUSALS as error:
        refused(request, error)
    else:
        messages.success(request, _("%(batch)s已截止申报。") % {"batch": batch})
    return redirect(batch)


@role_required(Role.HR)
@posted_from("applications:batch_detail", "pk")
def batch_publish(request, pk: int):
    """发布公示. Refused, the batch page shows the form again with the date and text typed and the message at
    the field that caused it (a precondition above the form)."""
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    form = PublicityForm(request.POST)
    if not access.confirmed(request):
        if form.is_valid():
            access.also_refused(form, rules.publicity_start_errors(form.cleaned_data["starts_on"]))
        return _batch_page(request, batch, publicity_form=form,
                           confirm_errors={"publish": _("请先勾选确认框，再发布公示。")}, status=400)
    if form.is_valid():
        try:
            publicity = services.publish_publicity(actor=request.user, batch_id=batch.pk, **form.cleaned_data)
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("拟认定名单已公示：%(s)s至%(e)s。") % {
                "s": publicity.starts_on.isoformat(), "e": publicity.ends_on.isoformat()})
            return redirect(batch)
    batch.refresh_from_db()
    return _batch_page(request, batch, publicity_form=form, status=400)


def _objection_page(request, objection_id: int) -> str:
    return get_object_or_404(objections_for(request.user), pk=objection_id).publicity.batch.get_absolute_url()


@role_required(Role.HR)
@posted_from(_objection_page)
def objection_resolve(request, objection_id: int):
    """处理异议. Refused, the batch page shows the decision and reason again, the message at the field."""
    objection = get_object_or_404(objections_for(request.user), pk=objection_id)
    form = ResolveObjectionForm(request.POST, auto_id=f"objection{objection.pk}_%s")
    form.objection_id = objection.pk
    batch = objection.publicity.batch
    if not access.confirmed(request):
        form.is_valid()
        return _batch_page(request, batch, objection_form=form,
                           confirm_errors={objection.pk: _("请先勾选确认框，再处理异议。")}, status=400)
    if form.is_valid():
        try:
            services.resolve_objection(actor=request.user, objection_id=objection.pk,
                                       upheld=form.cleaned_data["decision"] == "upheld",
                                       reason=form.cleaned_data["reason"])
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("异议已处理。"))
            return redirect(batch)
    return _batch_page(request, batch, objection_form=form, status=400)


@role_required(Role.HR)
@posted_from("applications:batch_detail", "pk")
def batch_recognize(request, pk: int):
    """登记认定文件. Refused, the batch page shows the number, date and issuers again, the message at the field."""
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    form = RecognitionForm(request.POST)
    if not access.confirmed(request):
        form.is_valid()
        access.also_refused(form, rules.issued_on_errors(batch, form.cleaned_data.get("issued_on")))
        return _batch_page(request, batch, recognition_form=form,
                           confirm_errors={"recognize": _("请先勾选确认框，再登记认定文件。")}, status=400)
    if form.is_valid():
        try:
            document = services.recognize_batch(actor=request.user, batch_id=batch.pk, **form.cleaned_data)
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("已登记认定文件%(doc)s，名单中的申报已认定为技师工作站，第一批补助已安排。")
                             % {"doc": document.number})
            return redirect(batch)
    batch.refresh_from_db()
    return _batch_page(request, batch, recognition_form=form, status=400)
