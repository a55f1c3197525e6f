"""What happened to workstations, announced by the core and heard by the apps above it.

The core owns a station's life (recognized, accepted, revoked, construction period ended without acceptance); the apps that hold something of a station
(funding's tranches, reviews' evaluations) subscribe in their ``AppConfig.ready()`` and do their part in
the same transaction. So there is one way to revoke, whatever the cause, and it has every effect; and the
core never imports the apps.

    events.subscribe(events.REVOKED, cancel_on_revocation)   # funding/apps.py
    events.announce(events.StationEvent(events.REVOKED, actor=hr, reasons={7: "…"}, ground="fraud"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qinshui_station.registry import registry

RECOGNIZED = "recognized"  # data: {station id: grant amount}
ACCEPTED = "accepted"  # final acceptance passed
REVOKED = "revoked"  # ground: a RevocationGround value
CONSTRUCTION_ENDED = "construction_ended"  # the period is over, the station still not accepted (on: the day found)
KINDS = (RECOGNIZED, ACCEPTED, REVOKED, CONSTRUCTION_ENDED)


@dataclass(frozen=True)
class StationEvent:
    kind: str
    actor: Any
    reasons: dict[int, str]  # station id → why, as the audit trail gives it
    on: date | None = None
    ground: str = ""
    data: dict[int, Any] = field(default_factory=dict)

    @property
    def station_ids(self) -> list[int]:
        return sorted(self.reasons)


def subscribe(kind: str, handler: Callable[[StationEvent], None]) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown station event {kind!r}")
    handlers = registry.station_events.setdefault(kind, [])
    if handler not in handlers:
        handlers.append(handler)


def subscribers(kind: str) -> list[Callable[[StationEvent], None]]:
    return list(registry.station_events.get(kind, []))


def announce(event: StationEvent) -> None:
    """Every subscriber, in the caller's transaction: a refusal in one rolls the whole change back."""
    if event.kind not in KINDS:
        raise ValueError(f"unknown station event {event.kind!r}")
    if not event.reasons:
        return
    for handler in subscribers(event.kind):
        handler(event)
