"""``{{ form|form_fields }}`` and ``{{ field|form_field }}``: a form's fields written as crispy-forms' Bootstrap 5
template writes them, by ``qinshui_station.fields_html`` (one writer for the whole portal: includes/form.html, the
filter forms of the ledger and the audit log)."""

from django import template

from qinshui_station.fields_html import field_html, fields_html

register = template.Library()


@register.filter
def form_fields(form):
    return fields_html(form)


@register.filter
def form_field(field):
    return field_html(field)
