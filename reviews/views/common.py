"""Small helpers the views share: service errors onto forms, workflow buttons with confirmation steps."""

from __future__ import annotations

from django.utils.html import format_html

from qinshui_station import engine


def transition_steps(obj, actor, action: str, slug: str, targets=None) -> tuple[list[dict], list]:
    """The confirmation forms for the moves ``actor`` can make on ``obj`` now (templates/includes/confirm.html),
    and the moves expected of the actor that are not open now, with why (includes/unavailable.html)."""
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
        })
    return steps, unavailable
