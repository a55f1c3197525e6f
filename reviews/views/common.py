"""Small helpers the views share: service errors onto forms, workflow buttons with confirmation steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html

from qinshui_station.workflow import TransitionRefused, moves_from


def refuse(request, error: Exception) -> None:
    """A refused step as a message the person can act on."""
    if isinstance(error, ValidationError):
        text = "；".join(m for messages_ in (error.message_dict.values() if hasattr(error, "error_dict")
                                            else [error.messages]) for m in messages_)
    else:
        text = str(error) if str(error) else "您无权执行此操作。"
    messages.error(request, text)


REFUSALS = (ValidationError, TransitionRefused, PermissionDenied)


def transition_steps(table: dict, current: str, actor, action: str, slug: str) -> list[dict]:
    """The confirmation forms for the moves ``actor`` can make from ``current`` (templates/includes/confirm.html)."""
    steps = []
    for to, move in moves_from(table, current, actor):
        steps.append({
            "action": action, "title": str(move.label), "button": str(move.label),
            "consequences": str(move.confirm or move.label), "reason_required": move.reason,
            "slug": f"{slug}-{to}", "style": "danger" if move.style == "danger" else (
                "warning" if move.style == "warning" else "primary"),
            "extra_fields": format_html('<input type="hidden" name="to" value="{}">', to),
        })
    return steps
