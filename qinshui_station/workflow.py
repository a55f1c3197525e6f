"""The machinery every workflow table uses.

A workflow is a dict ``{(from_state, to_state): Move(...)}`` declared once in its app's ``workflow.py``.
Buttons, permission checks, services and the documentation's state diagrams all read that table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from qinshui_station import limits
from qinshui_station.limits import text_limit


class TransitionRefused(Exception):
    """A move that the table does not allow, or that this actor may not make. The message is for people;
    ``code`` names a refusal a page offers a way out of (e.g. the recommendation's missing report)."""

    def __init__(self, message="", *, code: str = ""):
        super().__init__(message)
        self.code = code


def require_role(actor, *roles: str) -> None:
    """The one role check: a move's (``Move.check``) and a service's that is not a move."""
    if getattr(actor, "role", None) not in roles:
        raise PermissionDenied(_("您的角色无权执行此操作。"))


@dataclass(frozen=True)
class Move:
    roles: tuple[str, ...]
    reason: bool = False  # a written reason is required
    reason_missing: str = ""  # what an empty reason is refused with, where the box is not called 理由 (else 请填写理由。)
    label: str = ""  # the button's text
    confirm: str = ""  # consequences spelled out before an irreversible move
    style: str = "primary"
    # Extra object-level check: (actor, obj) -> None, raising PermissionDenied/TransitionRefused.
    guard: Callable[[Any, Any], None] | None = field(default=None, compare=False)
    # A move only another service makes (finalizing a round grades; revoking withdraws): no button, and
    # asked for directly it is refused with this message.
    system: str = ""

    def __init__(self, *roles: str, reason: bool = False, label: str = "", confirm: str = "",
                 style: str = "primary", guard=None, system: str = "", reason_missing: str = ""):
        object.__setattr__(self, "roles", tuple(roles))
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "reason_missing", reason_missing)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "confirm", confirm)
        object.__setattr__(self, "style", style)
        object.__setattr__(self, "guard", guard)
        object.__setattr__(self, "system", system)

    def check(self, *, actor, obj=None, reason: str = "") -> None:
        require_role(actor, *self.roles)
        if self.reason and not (reason or "").strip():
            raise TransitionRefused(str(self.reason_missing) if self.reason_missing else _("请填写理由。"))
        if reason:
            try:
                text_limit(limits.REASON)(reason)  # a reason goes on record and into the notice: it fits its box
            except ValidationError as error:
                raise ValidationError({"reason": error}) from None
        if self.guard is not None:
            self.guard(actor, obj)


def permits(guard: Callable[[Any, Any], None], actor, obj) -> bool:
    """A guard (which raises) as a predicate: the ``can_…`` beside a table, for buttons and templates."""
    from django.core.exceptions import ValidationError

    try:
        guard(actor, obj)
    except (PermissionDenied, TransitionRefused, ValidationError):
        return False
    return True


def move_for(table: dict, current: str, to: str, labels: dict | None = None) -> Move:
    try:
        return table[(current, to)]
    except KeyError:
        names = labels or {}
        if current == to:  # done meanwhile, in another tab or by someone else
            raise TransitionRefused(_("已是“%(state)s”，无需再办理（可能已在其他页面或由他人办理）。")
                                    % {"state": names.get(current, current)}) from None
        raise TransitionRefused(
            _("当前状态“%(current)s”不能转为“%(to)s”。")
            % {"current": names.get(current, current), "to": names.get(to, to)}
        ) from None


def moves_from(table: dict, current: str, actor=None) -> list[tuple[str, Move]]:
    """The moves open from ``current``; when ``actor`` is given, those open to the actor's role that a person
    makes (system moves left out)."""
    found = []
    for (src, dst), move in table.items():
        if src != current:
            continue
        if actor is not None and (move.system or getattr(actor, "role", None) not in move.roles):
            continue
        found.append((dst, move))
    return found


def states_reaching(table: dict, target: str) -> Iterable[str]:
    return [src for (src, dst) in table if dst == target]
