"""A form's fields written as crispy-forms' Bootstrap 5 field template writes them — label and required mark,
control with its value, classes and aria attributes, errors, help text — by one function, without crispy's dozen
nested templates, Django's widget templates and a template per ``<option>``: through them each field cost ~1 ms
(the batch page's publish form 2.5 ms, an actor drop-down of 60 people 8 ms; docs/performance.md).
Text boxes, dates, numbers, e-mail addresses, text areas and drop-downs are written here; any other field goes
through crispy. ``tests/qinshui_station/test_fields_html.py`` compares the two. Used by the steps of the batch and
application pages, the round's window, and the filter forms of the ledger and the audit log."""

from html import escape

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.utils.safestring import SafeString, mark_safe

# the widget templates written here: Django's text, date, number and e-mail inputs, its text area and drop-down
INPUTS = {"django/forms/widgets/text.html", "django/forms/widgets/date.html", "django/forms/widgets/number.html",
          "django/forms/widgets/email.html"}
TEXTAREA, SELECT = "django/forms/widgets/textarea.html", "django/forms/widgets/select.html"
WRITTEN = INPUTS | {TEXTAREA, SELECT}


def written_here(field) -> bool:
    widget = field.field.widget
    return not field.is_hidden and widget.template_name in WRITTEN and not getattr(widget, "allow_multiple_selected",
                                                                                    False)


def fields_html(form) -> SafeString:
    """A form's errors of its own (once, at the top: crispy's whole-form filter wrote them a second time below the
    page's own) and its fields, each written here or by crispy (``field_html``)."""
    errors = form.non_field_errors()
    top = ('<div class="alert alert-danger" role="alert">' + "".join(f"<div>{escape(str(e))}</div>" for e in errors)
           + "</div>") if errors else ""
    return mark_safe(top + "".join(field_html(field) for field in form))


def field_html(field) -> SafeString:
    """One field: written here, or through crispy when of another kind (a file, a check box, a hidden one)."""
    return mark_safe(_written(field)) if written_here(field) else as_crispy_field(field)


def _written(field) -> str:
    widget = field.field.widget
    select = widget.template_name == SELECT
    # crispy's classes: the widget's own, its class name (select: "select"), form-control or form-select (and
    # is-invalid); crispy keeps them on the widget
    # (a form written twice — crispy, then here — keeps one of each)
    css = " ".join(c for c in widget.attrs.get("class", "").split() if c not in ("form-control", "form-select",
                                                                               "is-invalid"))
    name = type(widget).__name__.lower()
    css = (f"{css} {name}" if name not in css else css) if css else name
    widget.attrs["class"] = css
    css = f"{css} {'form-select' if select else 'form-control'}{' is-invalid' if field.errors else ''}"
    attrs = field.build_widget_attrs({"class": css})
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    if select:
        attrs = {**widget.attrs, **attrs}
        control = (f'<select name="{escape(field.html_name)}"{_attributes(attrs)}>\n'
                   f'{_options(field)}\n</select>')
    else:
        context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
        shown = _attributes(context["attrs"])
        if widget.template_name == TEXTAREA:
            control = (f'<textarea name="{escape(context["name"])}"{shown}>\n'
                       f'{escape(str(context["value"])) if context["value"] else ""}</textarea>')
        else:
            value = "" if context["value"] is None else f' value="{escape(str(context["value"]))}"'
            control = f'<input type="{escape(context["type"])}" name="{escape(context["name"])}"{value}{shown}>'
    label = ""
    if field.label:
        required = " requiredField" if field.field.required else ""
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


def _attributes(attrs: dict) -> str:
    return "".join(f" {key}" if value is True else f' {key}="{escape(str(value))}"'
                   for key, value in attrs.items() if value is not False and value is not None)


def _choices(field) -> list[tuple]:
    """(value, label) of a drop-down; a model's choices read with one plain query (Django's own iterator
    declares a server-side cursor for them)."""
    formfield = field.field
    if isinstance(formfield, forms.ModelChoiceField):
        shown = [("", formfield.empty_label)] if formfield.empty_label is not None else []
        return shown + [(formfield.prepare_value(obj), formfield.label_from_instance(obj)) for obj in formfield.queryset]
    return list(formfield.choices)


def _options(field) -> str:
    """The options, the field's value selected (once: the first that matches)."""
    value = field.value()
    current = "" if value is None else str(value)
    parts, selected = [], False
    for option, label in _choices(field):
        mark = not selected and str(option) == current
        selected = selected or mark
        parts.append(f'<option value="{escape(str(option))}"{" selected" if mark else ""}>{escape(str(label))}</option>')
    return "\n".join(parts)
