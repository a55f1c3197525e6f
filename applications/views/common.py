"""Turning a service's refusal into something the person can act on."""

from html import escape

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from qinshui_station.punctuation import mark


def client_ip(request) -> str:
    """The address the request came from. Behind the county's reverse proxy, REMOTE_ADDR is set by the
    proxy (gunicorn forwarded_allow_ips); X-Forwarded-For sent by a client is never trusted here."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


# widgets written by fields_html itself: Django's text, date, number and e-mail inputs and its text area
PLAIN = {"django/forms/widgets/text.html", "django/forms/widgets/date.html", "django/forms/widgets/number.html",
         "django/forms/widgets/email.html", "django/forms/widgets/textarea.html"}


def fields_html(form) -> str:
    """A form's fields as HTML, for the ``extra_fields`` of includes/confirm.html. Text boxes, dates and text areas
    are written here as crispy-forms' Bootstrap 5 field template writes them (label, control, errors, help text:
    tests/applications/test_fields_html.py compares the two); through crispy's dozen templates and Django's widget
    templates each field cost ~1 ms (the batch page's publish form: 2.5 ms, docs/performance.md). A form with any
    other field, a hidden one or an error of its own goes through crispy."""
    fields = list(form)
    if form.non_field_errors() or any(f.is_hidden or f.field.widget.template_name not in PLAIN for f in fields):
        return mark_safe(render_to_string("applications/_fields.html", {"form": form}))
    return mark_safe("".join(_plain_field(field) for field in fields))


def _plain_field(field) -> str:
    widget = field.field.widget
    # crispy's classes: the widget's own, its class name, form-control (and is-invalid); it keeps them on the widget
    css = widget.attrs.get("class", "")
    name = type(widget).__name__.lower()
    css = (f"{css} {name}" if name not in css else css) if css else name
    widget.attrs["class"] = css
    css = f"{css} form-control is-invalid" if field.errors else f"{css} form-control"
    attrs = field.build_widget_attrs({"class": css})
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    shown = "".join(f" {key}" if value is True else f' {key}="{escape(str(value))}"'
                    for key, value in context["attrs"].items() if value is not False)
    if widget.template_name == "django/forms/widgets/textarea.html":
        control = (f'<textarea name="{escape(context["name"])}"{shown}>\n'
                   f'{escape(str(context["value"])) if context["value"] else ""}</textarea>')
    else:
        value = "" if context["value"] is None else f' value="{escape(str(context["value"]))}"'
        control = f'<input type="{escape(context["type"])}" name="{escape(context["name"])}"{value}{shown}>'
    label = ""
    if field.label:
        required = ' requiredField' if field.field.required else ""
        star = '<span class="asteriskField">*</span>' if field.field.required else ""
        label = (f'<label for="{escape(field.id_for_label)}" class="form-label{required}">'
                 f'{escape(str(field.label))}{star}</label>')
    errors = ""
    if field.errors:
        errors = (f'<div id="{escape(field.errors.field_id)}_error" class="invalid-feedback">'
                  + "".join(f'<p id="error_{n}_{escape(field.auto_id)}"><strong>{escape(str(error))}</strong></p>'
                            for n, error in enumerate(field.errors, start=1)) + "</div>")
    help_text = f'<div id="{escape(field.auto_id)}_helptext" class="form-text">{field.help_text}</div>' \
        if field.help_text else ""  # not escaped: crispy marks help texts safe
    extra = f" {field.css_classes()}" if field.css_classes() else ""
    return f'<div id="div_{escape(field.auto_id)}" class="mb-3{extra}">{label}{control}{errors}{help_text}</div>'


def opinion_field(*, value: str = "", report: bool = False, report_error: str = "", current_report=None) -> str:
    """An optional opinion box for moves where a reason is welcome but not required, with what was typed;
    with ``report``, the department's 推荐报告 beside it (required unless one is already uploaded)."""
    return mark_safe(render_to_string("applications/_opinion.html", {
        "value": value, "report": report, "report_error": report_error, "current_report": current_report}))


def checkboxes(name: str, prefix: str, rows, errors: dict | None = None) -> str:
    """The boxes of a long multiple choice, written in one loop here (the batch page's assignment form has
    hundreds: a template's lookups or format_html per box cost tens of µs each, docs/performance.md). ``rows``:
    (value, label, note, checked); the box's id is ``prefix-value``, a note shows under its label. ``errors``: by
    value, the messages to show at a box (``prefix-value-error``, the box described by it). Every text is
    escaped (``html.escape``, what Django's ``escape`` calls)."""
    errors = errors or {}
    boxes = []
    for value, label, note, checked in rows:
        box = escape(f"{prefix}-{value}")
        said = errors.get(value) if errors else None
        boxes.append(f'<div class="form-check"><input class="form-check-input{" is-invalid" if said else ""}" '
                     f'type="checkbox" name="{name}" value="{escape(str(value))}" id="{box}"'
                     + (f' aria-describedby="{box}-error"' if said else "") + f'{" checked" if checked else ""}>'
                     f'<label class="form-check-label" for="{box}">{escape(label)}</label>'
                     + (f'<div class="form-text">{escape(note)}</div>' if note else "")
                     + (f'<div class="invalid-feedback d-block" id="{box}-error">{"<br>".join(escape(text) for text in said)}</div>'
                        if said else "") + "</div>")
    return mark_safe("".join(boxes))


def expert_labels():
    """The label of an expert in the assignment forms, the page's punctuation looked up once (a form names every
    expert)."""
    left, right, comma = mark("（"), mark("）"), mark("，")

    def label(full_name: str, organization: str, title: str) -> str:
        """An expert as the assignment form names him: 姓名（单位，职称）; in English 姓名 (单位, 职称)."""
        return f"{full_name}{left}{organization}{comma}{title}{right}" if title else f"{full_name}{left}{organization}{right}"

    return label

