from decimal import Decimal
from html import escape

from django import template
from django.template.base import render_value_in_context
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext

from qinshui_station.addresses import address
from qinshui_station.choice_labels import display
from qinshui_station.kept_generation import generation

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters across pages)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def yuan(value) -> str:
    """¥100,000.00 — money always to the fen, never through float."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.simple_tag(name="address")
def address_tag(name: str, *numbers) -> str:
    """``{% address "app:name" obj.pk [as var] %}``: ``{% url %}`` for an address that takes whole numbers, its
    pattern kept (``qinshui_station.addresses``: ``reverse`` costs ~25 µs a call)."""
    return address(name, *numbers)


@register.filter(name="label")
def choice_label(obj, field: str):
    """``{{ obj|label:"field" }}``: ``obj.get_<field>_display`` with its labels kept per language
    (``choice_labels``; Django's rebuilds the field's choices and translates on every call, ~30 µs)."""
    return display(obj, field) if obj not in (None, "") else ""


@register.filter(expects_localtime=True)
def ymd(value) -> str:
    """``{{ day|ymd }}``: what ``|date:"Y-m-d"`` writes, without Django's format machinery (17–33 µs a value;
    a list shows one a row): a date, or a datetime in the current time zone; "" for anything else."""
    try:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if value not in (None, "") else ""
    except AttributeError:
        return ""


@register.filter(expects_localtime=True)
def ymd_hm(value) -> str:
    """``{{ moment|ymd_hm }}``: what ``|date:"Y-m-d H:i"`` writes (``ymd``)."""
    day = ymd(value)
    try:
        return f"{day} {value.hour:02d}:{value.minute:02d}" if day else ""
    except AttributeError:
        return ""


@register.filter
def days_left(day) -> int | None:
    if not day:
        return None
    return (day - timezone.localdate()).days


def deadline_phase(opens_on, closes_on, state=None) -> dict:
    """A window's days left: not yet open (opens in N days), open (N days left, or closes today), or closed.
    With ``state``, a window closed early (any state but "open", e.g. a batch after 截止申报) reads closed."""
    if not closes_on:
        return {}
    if state is not None and state != "open":
        return {"phase": "closed"}
    if opens_on and days_left(opens_on) > 0:
        return {"phase": "upcoming", "days": days_left(opens_on)}
    if days_left(closes_on) < 0:
        return {"phase": "closed"}
    return {"phase": "open", "days": days_left(closes_on)}


@register.simple_tag
def deadline(opens_on, closes_on, state=None) -> str:
    """``{% deadline opens closes [state] %}``: the window's badge (``deadline_phase``), what
    ``includes/deadline.html`` writes for it, written here: the include's conditions and ``{% blocktrans count %}``
    cost a page ~0.1 ms each time. tests/qinshui_station/test_portal_writers.py compares the two (the include's
    closing newline too)."""
    phase = deadline_phase(opens_on, closes_on, state)
    match phase.get("phase"), phase.get("days"):
        case "open", 0:
            return mark_safe(f'<span class="badge text-bg-danger deadline" data-days-left="0">{trans("今天截止")}</span>\n')
        case "open", days:
            return mark_safe(f'<span class="badge {"text-bg-danger" if days <= 3 else "text-bg-warning"} deadline" '
                             f'data-days-left="{days}">{ngettext("还剩%(n)s天", "还剩%(n)s天", days) % {"n": days}}</span>\n')
        case "upcoming", days:
            return mark_safe(f'<span class="badge text-bg-secondary deadline">'
                             f'{ngettext("%(n)s天后开始", "%(n)s天后开始", days) % {"n": days}}</span>\n')
        case "closed", _:
            return mark_safe(f'<span class="badge text-bg-secondary deadline">{trans("已截止")}</span>\n')
    return mark_safe("\n")  # the include's last line


def badge(value: str, label) -> str:
    """A state as a badge: the one markup of every page's state badges (the CSS colours it by ``value``)."""
    return format_html('<span class="badge state-badge state-{} {}">{}</span>', value, badge_class(value), label)


@register.simple_tag
def state_badge(obj, field: str = "state"):
    """``{% state_badge obj %}``: the object's state field as a ``badge``."""
    return badge(getattr(obj, field), display(obj, field))


@register.simple_tag(name="badge")
def badge_tag(value: str, label) -> str:
    """``{% badge value label %}``: a state a view has already read as a value and its label (tables of many rows)."""
    return badge(value, label)


BAD = {"revoked", "cancelled", "rejected", "not_recommended", "not_recognized", "unqualified", "upheld", "withdrawn"}
GOOD = {"recognized", "accepted", "disbursed", "excellent", "qualified", "finalized", "approved", "dismissed"}


def badge_class(value: str) -> str:
    if value in BAD:
        return "text-bg-danger"
    if value in GOOD:
        return "text-bg-success"
    if value == "draft":
        return "text-bg-secondary"
    if value == "returned":
        return "text-bg-warning"
    return "text-bg-primary"


@register.simple_tag
def station_rows(rows) -> str:
    """``{% station_rows page %}``: the public list's rows (plaque, station, unit, occupation, leader, day: text the
    view read), each cell escaped here (``html.escape``, what Django's ``escape`` calls); through the template
    language each cell was a node of its own: a third of the page's template time."""
    return mark_safe("".join("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>\n"
                             for row in rows))


@register.simple_tag
def audit_rows(entries) -> str:
    """``{% audit_rows entries %}``: the audit log's 50 lines (ISO time, time shown, sentence: text the view wrote),
    each escaped here; through the template language, 150 nodes a page."""
    return mark_safe("".join(f'<li class="border-bottom py-2"><time class="small text-muted d-block" '
                             f'datetime="{escape(at)}">{escape(shown)}</time>{escape(sentence)}</li>\n'
                             for at, shown, sentence in entries))


_CONFIRM_NAMES = ("action", "title", "consequences", "button", "slug", "style", "in_form", "multipart", "error",
                  "blockers", "reason_required", "reason_value", "reason_error", "extra_fields", "confirm_error")


@register.simple_tag(takes_context=True)
def confirm_step(context, **given) -> str:
    """``{% confirm_step action=… title=… slug=… %}``: what ``{% include "includes/confirm.html" with … %}`` writes
    (the same names; one not given is read from the page's context, as the include reads it), written here: the
    include's ~60 nodes cost a page ~0.1 ms each time, and the HR batch page has up to four. Each value is rendered
    as ``{{ value }}`` renders it (``render_value_in_context``: localized, escaped unless safe); the labels are
    ``{% trans %}``'s, escaped. tests/qinshui_station/test_confirm_step.py compares it with the include."""
    get = context.get
    v = {name: given[name] if name in given else get(name, "") for name in _CONFIRM_NAMES}

    def out(value):
        return render_value_in_context(value, context)

    slug, style, action, in_form = out(v["slug"]), out(v["style"] or "danger"), out(v["action"]), v["in_form"]
    blockers, reason_error, confirm_error = v["blockers"], v["reason_error"], v["confirm_error"]
    parts = ["\n"]
    if in_form:
        parts.append(f'<div class="card border-{style} mb-3 confirm-step" role="group" '
                     f'aria-labelledby="confirm-{slug}-title">')
    else:
        multipart = ' enctype="multipart/form-data"' if v["multipart"] else ""
        parts.append(f'<form method="post" action="{action}" class="card border-{style} mb-3 confirm-step" '
                     f'id="step-{slug}"{multipart}>')
        parts.append(_CSRF_NODE.render(context))
    parts.append(f'\n  <div class="card-body">\n    <h2 class="h6 card-title" id="confirm-{slug}-title">'
                 f'{out(v["title"])}</h2>\n    <p class="card-text">{out(v["consequences"])}</p>\n    ')
    if v["error"]:
        parts.append(f'<div class="alert alert-danger py-2" role="alert">{out(v["error"])}</div>')
    parts.append("\n    ")
    if blockers:
        parts.append(f'<div class="alert alert-warning py-2 step-blockers" role="status"><p class="mb-1">'
                     f'{trans("尚需完成：")}</p><ul class="mb-0">'
                     + "".join(f"<li>{out(b)}</li>" for b in blockers) + "</ul></div>")
    parts.append("\n    <fieldset disabled>\n    " if blockers else "\n    <fieldset>\n    ")
    def said_at(field_id: str, message) -> tuple[str, str, str]:
        """A field's refusal: its class, the attribute pointing at the message, and the message under it."""
        if not message:
            return "", "", ""
        return (" is-invalid", f' aria-describedby="{field_id}-error"',
                f'<div class="invalid-feedback d-block" id="{field_id}-error">{out(message)}</div>')

    if v["reason_required"]:
        invalid, described, feedback = said_at(f"reason-{slug}", reason_error)
        parts.append(f'<div class="mb-2"><label class="form-label requiredField" for="reason-{slug}">'
                     f'{trans("理由")}<span class="asteriskField">*</span></label>\n      <textarea '
                     f'class="form-control{invalid}" id="reason-{slug}" name="reason" rows="2" required{described}>'
                     f'{out(v["reason_value"])}</textarea>\n      {feedback}</div>')
    invalid, described, feedback = said_at(f"confirm-{slug}", confirm_error)
    required = "" if in_form else " required"
    parts.append(f'\n    {out(v["extra_fields"])}\n    <div class="form-check mb-2"><input class="form-check-input'
                 f'{invalid}" type="checkbox" name="confirm" value="1" id="confirm-{slug}"{required}{described}>'
                 f'\n      <label class="form-check-label" for="confirm-{slug}">{trans("我已了解上述后果，确认执行")}'
                 f'</label>\n      {feedback}')
    formaction = f' formaction="{action}"' if in_form else ""
    parts.append(f'</div>\n    <button type="submit" class="btn btn-{style}"{formaction} data-busy-label="'
                 f'{trans("正在办理，请稍候…")}">{out(v["button"])}</button>\n    </fieldset>\n  </div>\n'
                 f'{"</div>" if in_form else "</form>"}\n')
    return mark_safe("".join(parts))


_CSRF_NODE = CsrfTokenNode()


_translations: dict[tuple, str] = {}


def trans(message: str, message_context: str | None = None) -> str:
    """What ``{% trans "message" %}`` (``{% trans "message" context "…" %}``) writes in an autoescaped template:
    the template's literal is a safe string with its percent signs doubled, looked up, escaped unless safe (an
    untranslated message is the safe literal itself), the percent signs restored. Kept per language, as
    ``i18n_kept`` keeps the tag's output (forgotten with it when a setting changes: ``kept_generation``)."""
    key = (generation(), get_language(), message, message_context)
    try:
        return _translations[key]
    except KeyError:
        msgid = mark_safe(message.replace("%", "%%"))
        value = pgettext(message_context, msgid) if message_context is not None else gettext(msgid)
        value = _translations[key] = conditional_escape(value).replace("%%", "%")
        return value


@register.simple_tag(takes_context=True)
def pagination(context) -> str:
    """``{% pagination %}``: what ``{% include "includes/pagination.html" %}`` writes for the context's ``page``
    (the links keep the query's other parameters), written here: the include's ``{% blocktrans %}``,
    ``{% query_replace %}``s and conditions cost a list page ~0.08 ms. The translations are Django's: a
    ``{% trans %}`` escaped, a ``{% blocktrans %}``'s text as translated with its values rendered and escaped.
    tests/qinshui_station/test_confirm_step.py compares it with the include."""
    page = context.get("page", "")
    # not ``if page``: a page is a sequence, and an empty one (rows gone since they were counted) still has its
    # pager, as the include's ``page.paginator.num_pages`` has
    paginator = getattr(page, "paginator", None)
    if paginator is not None and paginator.num_pages > 1:
        parts = [f'\n<nav aria-label="{trans("分页")}"><ul class="pagination flex-wrap">\n  ']
        if page.has_previous():
            parts.append(f'<li class="page-item"><a class="page-link" href="?'
                         f'{escape(query_replace(context, page=page.previous_page_number()))}">{trans("上一页")}'
                         f'</a></li>')
        data = {"n": render_value_in_context(page.number, context),
                "total": render_value_in_context(paginator.num_pages, context),
                "count": render_value_in_context(paginator.count, context)}
        parts.append(f'\n  <li class="page-item disabled"><span class="page-link">'
                     f'{gettext("第 %(n)s / %(total)s 页，共 %(count)s 条") % data}</span></li>\n  ')
        if page.has_next():
            parts.append(f'<li class="page-item"><a class="page-link" href="?'
                         f'{escape(query_replace(context, page=page.next_page_number()))}">{trans("下一页")}'
                         f'</a></li>')
        parts.append("\n</ul></nav>\n")
        return mark_safe("".join(parts))
    count = paginator.count if paginator is not None else None
    if count:
        text = ngettext("共 %(counter)s 条", "共 %(counter)s 条", count) % {
            "counter": render_value_in_context(count, context)}
        return mark_safe(f'<p class="small text-muted">{text}</p>\n')
    return mark_safe("\n")


@register.simple_tag(takes_context=True)
def state_select(context) -> str:
    """``{% state_select %}``: a list's state drop-down from the context's ``states`` (value, label), ``state``
    (the chosen one) and ``state_error`` (``access.state_filter``'s message for a value that is no state), the
    message at the drop-down. One writer for every list that filters by state."""
    state, error = context.get("state", ""), context.get("state_error", "")
    options = "".join(f'<option value="{conditional_escape(value)}"{" selected" if value == state else ""}>'
                      f'{conditional_escape(label)}</option>' for value, label in context.get("states", ()))
    invalid = ' aria-describedby="state-error" aria-invalid="true"' if error else ""
    message = f'<div id="state-error" class="invalid-feedback d-block">{conditional_escape(error)}</div>' if error else ""
    return mark_safe(  # noqa: S308 -- every value escaped
        f'<div class="col-auto"><label class="visually-hidden" for="state">{trans("状态")}</label><select '
        f'class="form-select{" is-invalid" if error else ""}" id="state" name="state"{invalid}><option value="">'
        f'{trans("全部状态")}</option>{options}</select>{message}</div>')
