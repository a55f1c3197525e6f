"""A filter form's field (a drop-down or a text box) written out by one function: the same HTML as
crispy-forms' Bootstrap 5 field (label, control, the errors with ``aria-invalid`` and ``aria-describedby``), without
its dozen nested templates and a template per ``<option>`` (the audit log's and the ledger's filters; an
actor drop-down of 60 people cost 8 ms a view through crispy: docs/performance.md). Any other field (required,
disabled, with help text, another widget) still goes through crispy."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

WIDGETS = {forms.Select: "select form-select", forms.TextInput: "textinput form-control"}


def _choices(field) -> list[tuple[str, str]]:
    """(value, label) of a drop-down; a model's choices read with one plain query (Django's own iterator
    declares a server-side cursor for them)."""
    formfield = field.field
    if isinstance(formfield, forms.ModelChoiceField):
        shown = [("", formfield.empty_label)] if formfield.empty_label is not None else []
        return shown + [(formfield.prepare_value(obj), formfield.label_from_instance(obj)) for obj in formfield.queryset]
    return list(formfield.choices)


def _options(field) -> str:
    value = field.value()
    current = "" if value is None else str(value)
    parts, selected = [], False
    for option, label in _choices(field):
        mark = not selected and str(option) == current
        selected = selected or mark
        parts.append(format_html('<option value="{}"{}>{}</option>', option, mark_safe(" selected") if mark else "",
                                 label))
    return "\n".join(parts)


@register.filter
def filter_field(field):
    formfield, widget = field.field, field.field.widget
    css = WIDGETS.get(type(widget))
    if css is None or formfield.required or formfield.disabled or field.help_text or "class" in widget.attrs:
        return as_crispy_field(field)
    attrs = dict(widget.attrs)
    if field.errors:
        css += " is-invalid"
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{field.auto_id}_error"})
    attrs = format_html_join("", ' {}="{}"', ((name, value) for name, value in attrs.items()))
    if css.startswith("select"):
        control = format_html('<select name="{}" class="{}"{} id="{}">\n{}\n</select>', field.html_name, css, attrs,
                              field.auto_id, mark_safe(_options(field)))
    else:
        value = field.value()
        shown = format_html(' value="{}"', value) if value not in (None, "") else ""
        control = format_html('<input type="text" name="{}"{}{} class="{}" id="{}">', field.html_name, shown, attrs,
                              css, field.auto_id)
    errors = ""
    if field.errors:
        errors = format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, format_html_join(
            "", '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1))))
    return format_html('<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
                       field.auto_id, field.id_for_label, field.label, control, errors)
