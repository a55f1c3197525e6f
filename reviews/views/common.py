"""Small helpers the views share: service errors onto forms, workflow buttons with confirmation steps."""

from __future__ import annotations

from html import escape as html_escape

from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qinshui_station import engine


def transition_steps(obj, actor, action: str, slug: str, targets=None, kept: dict | None = None
                     ) -> tuple[list[dict], list]:
    """The confirmation forms for the moves ``actor`` can make on ``obj`` now (templates/includes/confirm.html),
    and the moves expected of the actor that are not open now, with why (includes/unavailable.html).
    ``kept``: a refused move as posted (access.kept_step, its ``step`` the target state), shown again in its form."""
    kept = kept or {}
    steps, unavailable = [], []
    for a in engine.actions(obj, actor, targets=targets):
        if not a.is_open:
            unavailable.append(a)
            continue
        move = a.move
        steps.append({
            "action": action, "title": str(move.label), "button": str(move.label),
            "consequences": str(move.confirm or move.label), "reason_required": move.reason,
            "slug": f"{slug}-{a.to}", "style": "danger" if move.style == "danger" else (
                "warning" if move.style == "warning" else "primary"),
            "extra_fields": format_html('<input type="hidden" name="to" value="{}">', a.to),
            **({k: kept[k] for k in ("reason", "reason_error", "confirm_error", "error")}
               if kept.get("step") == a.to else {}),
        })
    return steps, unavailable


def number_input(field, label=None) -> str:
    """A sheet's number field as HTML: its label, the input (the widget's attributes, disabled, invalid) and its
    errors, written here in one pass instead of through a template per field (a sheet has two dozen; this is
    what reviews/_field.html wrote). Every value is escaped (``html.escape`` on its text, as Django's ``escape``
    does, without its lazy-string wrapper: ~200 values a sheet)."""
    errors = field.errors
    id_ = _esc(field.id_for_label)
    value = field.value()
    attrs = "".join(f' {_esc(k)}="{_esc(v)}"' for k, v in field.field.widget.attrs.items())
    invalid = described = feedback = ""
    if errors:
        invalid, described = " is-invalid", f' aria-describedby="{id_}-error"'
        feedback = (f'<div class="invalid-feedback d-block" id="{id_}-error">'
                    f'{"".join(f"{_esc(e)} " for e in errors)}</div>')
    return mark_safe(  # noqa: S308 -- built from escaped values only
        f'<div class="mb-2">\n  <label class="form-label small mb-1" for="{id_}">{_esc(label or field.label)}</label>\n'
        f'  <input type="number" class="form-control{invalid}" name="{_esc(field.html_name)}" id="{id_}" '
        f'value="{"" if value is None else _esc(localize(value))}"{attrs}'
        f'{" disabled" if field.field.disabled else ""}{described}>\n  {feedback}\n</div>')


def _esc(value) -> str:
    return html_escape(str(value))
