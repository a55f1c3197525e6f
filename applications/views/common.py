"""Turning a service's refusal into something the person can act on."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def client_ip(request) -> str:
    """The address the request came from. Behind the county's reverse proxy, REMOTE_ADDR is set by the
    proxy (gunicorn forwarded_allow_ips); X-Forwarded-For sent by a client is never trusted here."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def fields_html(form) -> str:
    """A form's fields as HTML, for the ``extra_fields`` of includes/confirm.html."""
    return mark_safe(render_to_string("applications/_fields.html", {"form": form}))


def opinion_field(*, value: str = "", report: bool = False, report_error: str = "", current_report=None) -> str:
    """An optional opinion box for moves where a reason is welcome but not required, with what was typed;
    with ``report``, the department's 推荐报告 beside it (required unless one is already uploaded)."""
    return mark_safe(render_to_string("applications/_opinion.html", {
        "value": value, "report": report, "report_error": report_error, "current_report": current_report}))
