"""The unit's 申报表 (steps, members, attachments), the application page every role shares, and the
buttons that move an application along its table."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from applications import rules, services, workflow
from applications.forms import (
    STEP_SLUGS,
    STEPS,
    AssignExpertForm,
    AttachmentForm,
    MemberFormSet,
    NewApplicationForm,
    PanelConclusionForm,
)
from applications.models import (
    REQUIRED_KINDS,
    UNIT_KINDS,
    Application,
    AttachmentKind,
    Batch,
    ExpertAssignment,
)
from applications.selectors import (
    applications_for,
    assignments_of,
    attachments_for,
    history_for,
    matching,
    open_batches,
    ordered_members,
    sees_expert_review,
    with_members,
)
from applications.states import ON_PANEL, ExpertAssignmentState
from applications.views.common import checkboxes, expert_labels, opinion_field
from applications.workflow import State
from qinshui_station import access, audit, engine
from qinshui_station.access import (
    REFUSALS,
    errors_to_form,
    errors_to_formset,
    paginate,
    posted_from,
    refusal_messages,
    refused,
    role_required,
    state_filter,
)
from qinshui_station.fields_html import fields_html
from qinshui_station.models.organizations import shown_account
from qinshui_station.prepared import Person, Rows, attach
from qinshui_station.punctuation import listed
from qinshui_station.request_limits import year_param
from qinshui_station.roles import Role
from qinshui_station.selectors import experts


@login_required
def application_list(request):
    qs = applications_for(request.user).order_by("-state_changed_at", "-id")
    q = request.GET.get("q", "").strip()
    state, state_error = state_filter(request, State)
    year = year_param(request)
    qs = matching(qs, q)
    if state:
        qs = qs.filter(state=state)
    if year is not None:
        qs = qs.filter(batch__year=year)
    can_create = request.user.role == Role.UNIT and open_batches().exists()
    return render(request, "applications/list.html", {
        "page": paginate(request, qs), "q": q, "state": state, "state_error": state_error, "year": str(year or ""),
        "states": State.choices,
        "years": Batch.objects.values_list("year", flat=True), "can_create": can_create,
    })


@role_required(Role.UNIT)
@require_http_methods(["GET", "POST"])
def application_create(request):
    form = NewApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.create_application(actor=request.user, batch_id=form.cleaned_data["batch"].pk,
                                              occupation=form.cleaned_data["occupation"])
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("已创建申报草稿，单位信息已从单位资料中带入，请核对。"))
            return redirect("applications:edit", pk=app.pk, step=STEP_SLUGS[0])
    return render(request, "applications/create.html", {"form": form, "has_batch": open_batches().exists()})


def _step_status(app) -> dict[str, bool]:
    """Which steps are complete (the progress indicator): those no eligibility problem concerns."""
    fields_of = {slug: tuple(form._meta.fields) if form is not None else (slug,) for slug, _title, form in STEPS}
    return rules.steps_done(app, fields_of)


def _members_formset(request, app):
    if request.method != "POST":
        return MemberFormSet(instance=app, prefix="members")
    data = request.POST.copy()
    if "add_row" in request.POST:
        # Without JavaScript, "add a member" posts the form back with one more empty row.
        data["members-TOTAL_FORMS"] = str(int(data.get("members-TOTAL_FORMS", "0") or 0) + 1)
    return MemberFormSet(data, instance=app, prefix="members")


@role_required(Role.UNIT)
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int, step: str, upload_form=None):
    app = get_object_or_404(with_members(applications_for(request.user)), pk=pk)
    if step not in STEP_SLUGS:
        raise Http404
    index = STEP_SLUGS.index(step)
    title, form_class = STEPS[index][1], STEPS[index][2]
    posted = request.method == "POST" and (form_class is not None or step == "members")
    if not app.is_editable and not posted:  # what was typed meanwhile goes to the service, refused at the form
        messages.info(request, _("申报已提交，不能再修改。"))
        return redirect(app)
    next_step = STEP_SLUGS[index + 1] if index + 1 < len(STEPS) else None
    context = {"app": app, "step": step, "title": title, "next_step": next_step,
               "prev_step": STEP_SLUGS[index - 1] if index else None}
    status_code = 200

    if form_class is not None:
        form = form_class(request.POST or None, instance=app)
        if request.method == "POST" and form.is_valid():
            try:
                services.update_draft(actor=request.user, application_id=app.pk, fields=form.cleaned_data)
            except REFUSALS as error:
                errors_to_form(form, error)
            else:
                return _saved(request, app, step, next_step)
        if form.is_bound and form.errors:  # a refused step, as every refused form: 400
            status_code = 400
        context["form"] = form
    elif step == "members":
        formset = _members_formset(request, app)
        if request.method == "POST" and "add_row" not in request.POST and formset.is_valid():
            kept = [f for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")]
            try:
                services.replace_members(actor=request.user, application_id=app.pk,
                                         members=[f.cleaned_data for f in kept])
            except REFUSALS as error:  # shown again as typed, the message at the row's field (or above)
                errors_to_formset(formset, error, forms=kept)
                status_code = 400
            else:
                return _saved(request, app, step, next_step)
        context["formset"] = formset
    else:
        context.update(_attachment_context(request, app, upload_form=upload_form))
        context["problem_groups"] = _problems_by_step(app)
        context["submit_move"] = workflow.TRANSITIONS[(app.state, State.SUBMITTED)]
        context["can_submit"] = engine.can(app, State.SUBMITTED, actor=request.user)
    status = _step_status(app)
    context["steps"] = [(slug, label, status[slug]) for slug, label, _form in STEPS]
    if app.talent_share is not None:
        context["talent_share"] = app.talent_share
    return render(request, "applications/edit.html", context, status=status_code)


def _problems_by_step(app) -> list[dict]:
    """Why the application cannot be submitted yet, each reason once, under the step where it is put right."""
    fields_of = {slug: tuple(form._meta.fields) if form is not None else (slug,) for slug, _title, form in STEPS}
    by_step = rules.problems_by_step(app, fields_of)
    return [{"slug": slug, "label": label, "number": number, "problems": by_step[slug]}
            for number, (slug, label) in enumerate([("", "")] + [(slug, label) for slug, label, _f in STEPS])
            if by_step.get(slug)]


def _saved(request, app, step, next_step):
    messages.success(request, _("已保存为草稿。"))
    if "next" in request.POST and next_step:
        return redirect("applications:edit", pk=app.pk, step=next_step)
    return redirect("applications:edit", pk=app.pk, step=step)


def _attachment_context(request, app, kinds=UNIT_KINDS, upload_form=None, *, editable: bool = True):
    """The files of includes ``_attachments.html``; ``editable``: with the upload form and what is required."""
    files = _FILES(user=request.user, application=app.pk)
    context = {"current_files": [f for f in files if f.superseded_at is None],
               "old_files": [f for f in files if f.superseded_at is not None]}
    if editable:
        context["upload_form"] = upload_form or AttachmentForm(kinds=kinds)
        context["required_kinds"] = [AttachmentKind(k).label for k in REQUIRED_KINDS]
    return context


ACTIONS = {
    "create": gettext_lazy("创建草稿"), "edit": gettext_lazy("修改申报表"), "members": gettext_lazy("更新拟入站人员"),
    "attachment": gettext_lazy("上传材料"), "attachment_withdrawn": gettext_lazy("撤下材料"),
    "transition": gettext_lazy("状态变更"), "assign_expert": gettext_lazy("分配专家"),
    "unassign_expert": gettext_lazy("撤销专家分配"), "expert_review_saved": gettext_lazy("专家保存评审记录"),
    "expert_opinion": gettext_lazy("专家提交评审意见"), "site_visit_photo": gettext_lazy("上传实地查看照片"),
    "panel_corrected": gettext_lazy("更正集中评议结论"), "county_confirmed": gettext_lazy("核实注册地址在沁水县"),
}


def _history(user, app):
    """(entry, who, action, from, to) in words: who in the page's language (audit.shown_actor); states, attachment
    kinds and opinions by their labels, never a code.
    An expert's assignment speaks its own states; an opinion handed in reads as the opinion."""
    words = dict(State.choices) | dict(AttachmentKind.choices) | dict(ExpertAssignment.Opinion.choices)
    assignment_words = dict(ExpertAssignmentState.choices)
    assignment_type = ExpertAssignment._meta.label_lower
    rows = []
    for e in _HISTORY(user=user, application=app.pk):
        if e.object_type == assignment_type:
            after = e.data.get("opinion") or e.to_state
            before, after = assignment_words.get(e.from_state, e.from_state), words.get(after, after)
            # which expert: the entry's label is the assignment's "<application> — <expert>"
            action = _("%(action)s（%(expert)s）") % {"action": ACTIONS.get(e.action, _("其他操作")),
                                                     "expert": e.object_label.rsplit(" — ", 1)[-1]}
            rows.append((e, audit.shown_actor(e.actor_label), action, before, assignment_words.get(after, after)))
        else:
            rows.append((e, audit.shown_actor(e.actor_label), ACTIONS.get(e.action, _("其他操作")),
                         words.get(e.from_state, e.from_state),
                         words.get(e.to_state, e.to_state)))
    return rows


@login_required
def application_detail(request, pk: int):
    # the panel's conclusion (or its absence) comes with the application: the page asks for it
    # (not the unit's department, which the page does not show)
    return detail_page(request, page_application(request.user, pk))


def page_application(user, pk: int):
    """The application as its page shows it, reached through the person's selector (a 404 for the rest), with its
    members: the page's GET and every refused step that shows the page again read it this one way."""
    app = _APPLICATION.get_or_404(user=user, pk=pk)
    attach(app, "members", _MEMBERS(application=app.pk))
    return app


# The application's page on every view, its reads compiled once (qinshui_station.prepared): the application
# with what the page names of it (not the unit's department), its members, files and history, the experts.
_APPLICATION = Rows(lambda *, user, pk: applications_for(user).select_related(None).select_related(
    "unit", "batch", "panel_conclusion").filter(pk=pk)[:1], user=Person, pk=int)
_MEMBERS = Rows(lambda *, application: ordered_members().filter(application_id=application), application=int)
_FILES = Rows(lambda *, user, application: attachments_for(user, Application(pk=application)), user=Person,
              application=int)
_HISTORY = Rows(lambda *, user, application: history_for(user, Application(pk=application)), user=Person,
                application=int)
_ASSIGNMENTS = Rows(lambda *, application: assignments_of(Application(pk=application)), application=int)
_EXPERTS = Rows(lambda: experts().order_by("full_name").values_list(
    "id", "full_name", "title", "role", "is_active", "organization_id", "organization__name"))


def detail_page(request, app, kept: dict | None = None, *, conclusion_form=None, correction_form=None,
                assign_form=None, status: int = 200):
    """The application's page. ``kept``: what the person posted to a move that was refused — the move, the
    text typed and the error at the field that caused it — so that the page shows it again; a refused panel
    form or expert assignment comes back bound, its errors at its fields, its ticks kept."""
    user = request.user
    kept = kept or {}
    moves = []
    actions = engine.actions(app, user, targets=workflow.BUTTON_TARGETS)
    # A recommendation waiting only for the 推荐报告 is offered with the report field in the same form.
    with_report = [a for a in actions if a.refusal_code == workflow.REPORT_MISSING]
    for action in actions:
        to, move = action.to, action.move
        report_here = user.role == Role.DEPARTMENT and to == State.RECOMMENDED
        if not action.is_open and action not in with_report:
            continue
        mine = kept if kept.get("to") == to else {}
        extra = ""
        if not move.reason and to in (State.RECOMMENDED, State.EXPERT_REVIEW):
            extra = opinion_field(value=mine.get("reason", ""), report=report_here,
                                  report_error=mine.get("report_error", ""),
                                  current_report=_current_report(app) if report_here else None)
        moves.append({"to": to, "move": move, "url": reverse("applications:move", args=[app.pk, to]), "extra": extra,
                      "multipart": report_here, "reason": mine.get("reason", "") if move.reason else "",
                      "error": mine.get("error", ""), "confirm_error": mine.get("confirm_error", ""),
                      "reason_error": mine.get("reason_error", "")})
    if kept and not any(m["to"] == kept.get("to") for m in moves):  # the move no longer offered (moved on)
        access.kept_at_top(request, kept, app, kept.get("to", ""))
    context = {
        "app": app, "moves": moves, **_attachment_context(request, app, editable=False),
        "history": _history(user, app) if user.role != Role.EXPERT else [],
        "declarations": [(getattr(app, n), Application._meta.get_field(n).verbose_name) for n in rules.DECLARATIONS],
        "shown_account": shown_account(user, app.unit_id, app.bank_account_number),
        "can_upload_report": workflow.can_upload_report(user, app),
        # An expected action that is not open now, with why (the submission's problems are listed apart).
        "unavailable": [a for a in actions if not a.is_open and a.to != State.SUBMITTED and a not in with_report],
    }
    if user.role == Role.UNIT and app.is_editable:
        context["problems"] = rules.eligibility_problems(app)
    if user.role in (Role.HR, Role.FINANCE, Role.ORG_DEPT):
        context["overlaps"] = rules.shared_members(app.batch, application=app, limit=rules.OVERLAP_LIMIT)
    if sees_expert_review(user):
        context["assignments"] = _ASSIGNMENTS(application=app.pk)
        for assignment in context["assignments"]:  # each knows the application (as through its manager)
            ExpertAssignment.application.field.set_cached_value(assignment, app)
        context["conclusion"] = getattr(app, "panel_conclusion", None)
    elif user.role != Role.EXPERT:
        context["public_conclusion"] = getattr(app, "panel_conclusion", None)
    if workflow.can_assign_experts(user, app):
        context["assign_form"] = assign_form or AssignExpertForm()
        context.update(expert_choices(app, {a.expert_id for a in context["assignments"]},
                                      ticked=context["assign_form"].ticked("expert")))
        context["conclusion_refused"] = conclusion_form is not None
        context["all_opinions_in"] = bool(context["assignments"]) and all(
            a.state == ExpertAssignmentState.SUBMITTED for a in context["assignments"])
        # 撤销分配 offered exactly when the service would take the expert off (the table's move).
        context["removable"] = {a.pk for a in context["assignments"]
                                if engine.can(a, ExpertAssignmentState.WITHDRAWN, actor=user)}
        if context["all_opinions_in"]:  # the panel's form shows once every opinion is in
            context["conclusion_fields"] = fields_html(conclusion_form or PanelConclusionForm(app=app))
    if user.role == Role.HR and services.panel_correctable(app):
        context["correction_fields"] = fields_html(correction_form or PanelConclusionForm(app=app, correcting=True))
        context["correction_refused"] = correction_form is not None
    # a refused panel form the page no longer offers (recorded, or the list published, meanwhile): said at the top
    if conclusion_form is not None and "conclusion_fields" not in context:
        access.form_at_top(request, conclusion_form)
    if correction_form is not None and "correction_fields" not in context:
        access.form_at_top(request, correction_form)
    if user.role in (Role.DEPARTMENT, Role.HR, Role.ORG_DEPT) and app.unit.registration_region == "shanxi":
        context["county_flag"] = True
    if user.role == Role.EXPERT:
        context["my_assignment"] = app.assignments.filter(expert=user, state__in=ON_PANEL).first()
    return render(request, "applications/detail.html", context, status=status)


@dataclass(frozen=True)
class ExpertRow:
    """An expert as the assignment form lists him, read as values (60 model instances and their organizations
    cost ~1 ms a view): what ``rules.expert_refusal`` asks of an expert, and the form's label."""

    pk: int
    full_name: str
    title: str
    role: str
    is_active: bool
    organization_id: int
    organization: str  # its name

    def __str__(self) -> str:
        return self.full_name


def expert_choices(app, assigned_ids, ticked=frozenset()) -> dict:
    """The experts HR may assign to ``app`` (``ticked``: those ticked in a refused form, ticked again) and,
    apart, those who may not, each with the reason."""
    shown = [ExpertRow(*e) for e in _EXPERTS()]
    rows = [(e, rules.expert_refusal(app, e, assigned_ids=assigned_ids)) for e in shown]
    label = expert_labels()
    return {"expert_boxes": checkboxes("expert", "assign-expert", [
                (e.pk, label(e.full_name, e.organization, e.title), "", e.pk in ticked)
                for e, why in rows if not why]),
            "experts_unavailable": [(e, why) for e, why in rows if why]}


def _current_report(app):
    return app.current_attachments().filter(kind=AttachmentKind.RECOMMENDATION_REPORT).first()


@login_required
@posted_from("applications:detail", "pk")
def application_move(request, pk: int, to: str):
    """A move from the application's page. Refused, the page shows again with what was typed (the opinion or
    reason) and the message at what caused it; the department's 推荐报告 may come with the recommendation."""
    app = get_object_or_404(applications_for(request.user), pk=pk)
    move = workflow.TRANSITIONS.get((app.state, to))
    kept = {"to": to, "reason": request.POST.get("reason", "")}
    if move is not None and move.confirm and not access.confirmed(request):
        kept["confirm_error"] = _("请先勾选确认框，再执行此操作。")
        return detail_page(request, page_application(request.user, app.pk), kept, status=400)
    report_file = request.FILES.get("report")
    try:
        if report_file is not None and to == State.RECOMMENDED and request.user.role == Role.DEPARTMENT:
            try:
                services.upload_attachment(actor=request.user, application_id=app.pk,
                                           kind=AttachmentKind.RECOMMENDATION_REPORT, uploaded=report_file)
            except ValidationError as error:
                kept["report_error"] = listed(error.messages, "；")
                raise
        services.application_transition(application_id=app.pk, actor=request.user, to=to,
                                         reason=kept["reason"])
    except REFUSALS as error:
        if to == State.SUBMITTED:
            # The page it returns to lists every unmet condition at its step; only what it does not list is said.
            shown = set(rules.eligibility_problems(app))
            for message in refusal_messages(error):
                if message not in shown:
                    messages.error(request, message)
            return redirect("applications:edit", pk=app.pk, step=STEP_SLUGS[-1])
        message = listed(refusal_messages(error), "；")
        if getattr(error, "code", "") == workflow.REPORT_MISSING and not kept.get("report_error"):
            kept["report_error"] = message  # the missing report is what refused the recommendation
        elif move is not None and move.reason and not kept["reason"].strip():
            kept["reason_error"] = message
        elif not kept.get("report_error"):
            kept["error"] = message
        return detail_page(request, page_application(request.user, app.pk), kept, status=400)
    messages.success(request, _("已办理：%(label)s。") % {"label": move.label})
    return redirect(app)


def _attachments_page(request, pk: int, **_kwargs) -> str:
    """Where the attachments are handled: the unit's attachments step while it may edit the application, else the
    application's page."""
    app = get_object_or_404(applications_for(request.user), pk=pk)
    if request.user.role == Role.UNIT and app.is_editable:
        return reverse("applications:edit", args=[app.pk, "attachments"])
    return app.get_absolute_url()


@login_required
@posted_from(_attachments_page)
def attachment_upload(request, pk: int):
    """An upload; refused, the page shows the form again with the category chosen (a browser never keeps the
    file itself) and the message at the field that caused it."""
    app = get_object_or_404(applications_for(request.user), pk=pk)
    kinds = (AttachmentKind.RECOMMENDATION_REPORT,) if request.user.role == Role.DEPARTMENT else UNIT_KINDS
    form = AttachmentForm(request.POST, request.FILES, kinds=kinds)
    if form.is_valid():
        try:
            attachment = services.upload_attachment(actor=request.user, application_id=app.pk,
                                                    kind=form.cleaned_data["kind"], uploaded=form.cleaned_data["file"])
        except REFUSALS as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("已上传：%(file)s") % {"file": attachment})
            if request.user.role == Role.UNIT and app.is_editable:
                return redirect("applications:edit", pk=app.pk, step="attachments")
            return redirect(app)
    if request.user.role == Role.UNIT and app.is_editable and form.errors:
        return application_edit(request, pk=app.pk, step="attachments", upload_form=form)
    if request.user.role == Role.UNIT and app.is_editable:
        return redirect("applications:edit", pk=app.pk, step="attachments")
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(app)


@login_required
@posted_from(_attachments_page)
def attachment_withdraw(request, pk: int, attachment_id: int):
    app = get_object_or_404(applications_for(request.user), pk=pk)
    attachment = get_object_or_404(attachments_for(request.user, app), pk=attachment_id)
    try:
        services.withdraw_attachment(actor=request.user, attachment_id=attachment.pk)
    except REFUSALS as error:
        refused(request, error)
    else:
        messages.success(request, _("已撤下：%(file)s（仍保留在历史记录中）") % {"file": attachment})
    if request.user.role == Role.UNIT:
        return redirect(reverse("applications:edit", args=[app.pk, "attachments"]))
    return redirect(app)


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    app = get_object_or_404(applications_for(request.user), pk=pk)
    attachment = get_object_or_404(attachments_for(request.user, app), pk=attachment_id)
    return attachment.response(inline=request.GET.get("download") != "1")
