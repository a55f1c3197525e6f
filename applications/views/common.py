"""Turning a service's refusal into something the person can act on."""

from html import escape

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from qinshui_station.punctuation import mark


def client_ip(request) -> str:
    """The address the request came from. Behind the county's reverse proxy, REMOTE_ADDR is set by the
    proxy (gunicorn forwarded_allow_ips); X-Forwarded-For sent by a client is never trusted here."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


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
    prefix = escape(prefix)
    for value, label, note, checked in rows:
        written = str(value) if type(value) is int else escape(str(value))  # a number needs no escaping
        box = f"{prefix}-{written}"
        said = errors.get(value) if errors else None
        boxes.append(f'<div class="form-check"><input class="form-check-input{" is-invalid" if said else ""}" '
                     f'type="checkbox" name="{name}" value="{written}" id="{box}"'
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

