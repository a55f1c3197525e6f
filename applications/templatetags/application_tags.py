from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qinshui_station.addresses import address
from qinshui_station.choice_labels import label
from qinshui_station.punctuation import mark
from qinshui_station.templatetags.portal import badge, trans

register = template.Library()


@register.filter
def age(moment) -> str:
    """How long something has been in its state, in whole days: what HR chases."""
    return ages()(moment)


def ages():
    """``age`` for a page's many rows: the words looked up once, and one clock for every row."""
    now, under_a_day, days_text = timezone.now(), _("不足1天"), _("%(n)d天")

    def age_of(moment) -> str:
        if not moment:
            return ""
        days = (now - moment).days
        return under_a_day if days < 1 else days_text % {"n": days}

    return age_of


@register.simple_tag
def batch_rows(rows) -> str:
    """``{% batch_rows rows %}``: the batch page's 50 applications from what the view worked out (link, state label,
    age), each text escaped here (``html.escape``, what Django's ``escape`` calls), a state's badge written once;
    through the template language each cell was a node of its own, and ``format_html`` costs a lazy-text check
    per argument: a third of the page's template time (docs/performance.md)."""
    yes = f'<span class="badge text-bg-warning">{escape(_("是"))}</span>'
    no = escape(_("否"))
    badges = {}
    lines = []
    for row in rows:
        state = row["state"]
        if state not in badges:
            badges[state] = badge(state, row["label"])
        lines.append(f'<tr><td><a href="{escape(row["url"])}">{escape(row["unit_name"])}</a></td>'
                     f'<td>{escape(row["occupation"])}</td><td>{escape(row["leader_name"])}</td><td>{badges[state]}</td>'
                     f'<td>{escape(row["age"])}</td><td>{yes if row["also_applies_master_studio"] else no}</td></tr>\n')
    return mark_safe("".join(lines))


@register.simple_tag
def public_rows(rows) -> str:
    """``{% public_rows rows %}``: the public notice's 50 lines (number, station, unit, occupation, leader), each
    cell escaped here; through the template language, a third of the page's template time."""
    return mark_safe("".join(f"<tr><td>{number}</td><td>{escape(name)}</td><td>{escape(unit)}</td>"
                             f"<td>{escape(occupation)}</td><td>{escape(leader)}</td></tr>\n"
                             for number, name, unit, occupation, leader in rows))


@register.simple_tag
def overlap_warnings(overlaps) -> str:
    """``{% overlap_warnings overlaps %}``: a warning for each pair of applications proposing the same people
    (``rules.shared_members``), written here: each through ``{% blocktrans %}`` cost a page ~0.05 ms.
    tests/applications/test_overlap_warnings.py compares it with the template it replaces."""
    text = _("成员重复提示：“%(a)s”与“%(b)s”的拟入站人员有相同人员（%(names)s）。"
             "同一团队原则上只申报技师工作站或技能大师工作室其中一项，请核实。")
    separator = mark("、")  # the people listed as the language lists them (the template joined them with 、)
    return mark_safe("".join(  # noqa: S308 -- every value escaped
        f'<div class="alert alert-warning overlap-warning" role="alert">'
        f'{text % {"a": escape(str(o["first"])), "b": escape(str(o["second"])), "names": separator.join(escape(m) for m in o["members"])}}'
        f'</div>' for o in overlaps))


def _text(value) -> str:
    """``{{ value }}``: localized (numbers) and escaped."""
    return conditional_escape(localize(value))


def _or_dash(value) -> str:
    """``{{ value|default:"—" }}``."""
    return _text(value) if value else "—"


def _lines(value) -> str:
    """``{{ value|linebreaksbr }}`` (``|default:"—"`` first when asked)."""
    return linebreaksbr(value, autoescape=True)


@register.simple_tag(takes_context=True)
def application_form(context) -> str:
    """``{% application_form %}``: the application's form as its page shows it (附件1: the unit, the station and its
    talents, training and technical work, the members, the plan, the declarations), what
    ``applications/_form_view.html`` writes for the context's ``app``, ``shown_account`` and ``declarations``,
    written here: its ~70 nodes and their filters cost the application's page ~1 ms.
    tests/applications/test_form_view.py compares the two, byte for byte, in both languages."""
    app = context["app"]
    t = trans
    left, right = t("（", "punctuation"), t("）", "punctuation")

    def row(label: str, width: int, value: str) -> str:
        return f'  <dt class="col-sm-3">{t(label)}</dt><dd class="col-sm-{width}">{value}</dd>\n'

    parts = ['<section aria-labelledby="form-heading" class="mb-4">\n',
             f'<h2 class="h5" id="form-heading">{t("申请设立单位基本情况")}</h2>\n<dl class="row application-form">\n',
             row("单位名称", 9, _text(app.unit_name)),
             row("单位类型", 3, _or_dash(label(app, "unit_type", app.unit_type))),
             row("所有制形式", 3, _or_dash(app.ownership)),
             row("员工总人数", 9, "—" if app.staff_total is None else _text(app.staff_total)),
             row("单位地址", 9, _or_dash(app.address)),
             row("法人代表", 3, _or_dash(app.legal_representative)),
             row("联系电话", 3, _or_dash(app.legal_representative_phone)),
             row("联系人", 3, _or_dash(app.contact_person)),
             row("联系电话", 3, _or_dash(app.contact_phone)),
             row("邮箱", 9, _or_dash(app.contact_email)),
             row("银行开户名称", 3, _or_dash(app.bank_account_name)),
             row("开户银行", 3, _or_dash(app.bank_name)),
             row("银行开户账号", 9, _or_dash(context.get("shown_account"))),
             f'</dl>\n<h2 class="h5">{t("工作站与技术技能人才情况")}</h2>\n<dl class="row">\n',
             row("工作站职业（工种）", 9, _text(app.occupation)),
             row("领办人", 9, _or_dash(app.leader_name)
                 + (f"{left}{_text(app.leader_skill_level)}{right}" if app.leader_skill_level else "")),
             '</dl>\n<div class="table-responsive"><table class="table table-sm table-bordered text-center talents">\n'
             '<thead><tr>']
    parts += [f'<th scope="col">{t(heading)}</th>' for heading in (
        "技术技能人才占用工比例", "高级技师", "技师", "高级工", "高级工程师", "工程师", "助理工程师", "其他技术技能人才")]
    share = app.talent_share
    parts.append('</tr></thead>\n<tbody><tr><td>' + (f"{_text(share)}%" if share is not None else "—") + "</td>")
    parts += [f"<td>{_text(n)}</td>" for n in (app.senior_technicians, app.technicians, app.senior_workers,
                                               app.senior_engineers, app.engineers, app.assistant_engineers,
                                               app.other_talents)]
    parts.append(f'</tr></tbody></table></div>\n<h2 class="h5">{t("人才培养与技术情况")}</h2>\n<dl class="narrative">\n')
    parts += [f"  <dt>{t(heading)}</dt><dd>{_lines(value or '—')}</dd>\n" for heading, value in (
        ("目前人才培养体系和近3年人才培养情况", app.training_system),
        ("未来3年人才培养计划（包括培养方向、目标）", app.training_plan),
        ("生产科研仪器设备情况", app.equipment),
        ("技术攻关、技能创新近2年情况", app.technical_work_recent),
        ("技术攻关、技能创新未来2年计划", app.technical_work_plan),
        ("承担国家、省级、市级、县级或单位内部项目情况", app.projects),
        ("当前校企合作情况，效果如何", app.school_cooperation))]
    parts.append(f'</dl>\n<h2 class="h5">{t("拟入站人员基本情况")}</h2>\n'
                 f'<div class="table-responsive"><table class="table table-sm members">\n<thead><tr>')
    parts += [f'<th scope="col">{t(heading)}</th>'
              for heading in ("姓名", "职业资格/职称", "职务", "专长、业绩成果应用及获奖情况")]
    parts.append("</tr></thead>\n<tbody>")
    members = app.members.all()
    parts += [f"<tr><td>{_text(m.name)}</td><td>{_text(m.qualification_label)}</td><td>{_text(m.post)}</td>"
              f"<td>{_lines(m.specialty)}</td></tr>" for m in members]
    if not members:
        parts.append(f'<tr><td colspan="4">{t("尚未填写。")}</td></tr>')
    parts.append(f'</tbody></table></div>\n<h2 class="h5">{t("建站后工作设想")}</h2>\n'
                 f'<p>{_lines(app.post_establishment_plan or "—")}</p>\n<h2 class="h5">{t("声明")}</h2>\n'
                 f'<ul class="list-unstyled declarations">\n  ')
    declared, undeclared = t("已声明："), t("未声明：")
    parts += [f'<li><i class="bi {"bi-check-square" if checked else "bi-square"}" aria-hidden="true"></i> '
              f'<span class="visually-hidden">{declared if checked else undeclared}</span>{_text(text)}</li>'
              for checked, text in context.get("declarations", ())]
    studio = app.also_applies_master_studio
    answer = t("未声明") if studio is None else t("是") if studio else t("否")
    parts.append(f'\n  <li>{t("同一团队是否同时申报县级技能大师工作室：")}<strong>{answer}</strong></li>\n'
                 f'</ul>\n</section>\n')
    return mark_safe("".join(parts))  # noqa: S308 -- every value escaped


_CSRF = CsrfTokenNode()  # {% csrf_token %}'s own writing


def messages_at(context, place: str) -> str:
    """What ``{% include "includes/messages_at.html" with place=… %}`` writes: the messages a form's view left for
    that form (extra tag "at-<place>"), read (and so marked as shown) as the include reads them."""
    out = []
    for message in context.get("messages", ()):
        if (message.extra_tags or "")[3:] == place:
            level = "danger" if message.level_tag == "error" else conditional_escape(message.level_tag or "info")
            out.append(f'<div class="alert alert-{level} py-2 mb-2" role="status">'
                       f'{conditional_escape(str(message))}</div>')
    return "".join(out) + "\n"


@register.simple_tag(takes_context=True)
def assign_experts(context, action_app) -> str:
    """``{% assign_experts action_app %}``: HR's form to assign several experts at once, what
    ``applications/_assign_experts.html`` writes (its description there), written here: on the batch page and an
    application's, its conditions over a form that is usually absent cost ~0.3 ms.
    tests/applications/test_assign_experts_form.py compares the two, byte for byte, in both languages."""
    form = context.get("assign_form") or None
    boxes, experts = context.get("application_boxes"), context.get("expert_boxes")
    unavailable = context.get("experts_unavailable")
    semicolon = trans("；", "punctuation")

    def said(name: str) -> str:
        """The field's errors joined as ``|join:semicolon`` joins them (none: "")."""
        if form is None or name not in form.fields:
            return ""
        return semicolon.join(conditional_escape(error) for error in form[name].errors)

    pk = action_app["pk"] if isinstance(action_app, dict) else action_app.pk
    if boxes:
        back = context["batch"].get_absolute_url()
    else:
        back = action_app.get_absolute_url() if hasattr(action_app, "get_absolute_url") else ""
    parts = [f'\n<form method="post" action="{address("applications:assign_expert", pk)}#assign-experts" '
             f'class="card card-body mb-3 assign-experts" id="assign-experts">{_CSRF.render(context)}\n'
             f'<input type="hidden" name="next" value="{conditional_escape(back)}">\n',
             messages_at(context, "assign-experts"), "\n"]
    if form is not None:
        parts += [f'<div class="alert alert-danger py-2 mb-2" role="alert">{conditional_escape(error)}</div>'
                  for error in form.non_field_errors()]
    parts.append("\n")
    if boxes:
        refused = said("application")
        parts.append('<input type="hidden" name="several" value="1"><fieldset class="mb-2"'
                     + (' aria-describedby="assign-application-error"' if refused else "")
                     + f'><legend class="h6">{trans("申报（可多选）")}</legend>\n{conditional_escape(boxes)}\n'
                     + (f'<div class="invalid-feedback d-block" id="assign-application-error">{refused}</div>'
                        if refused else "") + "\n</fieldset>")
    parts.append("\n")
    refused = said("expert")
    if experts:
        parts.append('<fieldset class="mb-2"' + (' aria-describedby="assign-expert-error"' if refused else "")
                     + f'><legend class="h6">{trans("评审专家（可多选）")}</legend>\n{conditional_escape(experts)}\n'
                     + (f'<div class="invalid-feedback d-block" id="assign-expert-error">{refused}</div>'
                        if refused else "") + "\n</fieldset>")
    else:
        parts.append((f'<div class="invalid-feedback d-block mb-2" id="assign-expert-error">{refused}</div>'
                      if refused else "")
                     + f'<p class="mb-2 no-experts-left">{trans("没有可再分配的专家。")}</p>')
    parts.append("\n")
    if unavailable:
        left, right, colon = trans("（", "punctuation"), trans("）", "punctuation"), trans("：", "punctuation")
        parts.append(f'<div class="small text-muted mb-2 experts-unavailable"><p class="mb-1">{trans("不能分配：")}</p>'
                     '<ul class="mb-0">' + "".join(
                         f"<li>{conditional_escape(expert.full_name)}{left}{conditional_escape(expert.organization)}"
                         f"{right}{colon}{conditional_escape(why)}</li>" for expert, why in unavailable)
                     + "</ul></div>")
    parts.append("\n")
    if experts:
        parts.append(f'<div><button class="btn btn-outline-primary" type="submit">{trans("分配所选专家")}</button></div>')
    parts.append("\n</form>\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every value escaped
