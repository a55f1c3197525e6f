"""Hooks through which the apps above the core contribute to shared pages and processes without the core
importing them: menu entries, dashboard to-do items, panels on a workstation's page, and the handlers of what
happens to a workstation (``events``). Apps register in their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 50
    icon: str = "circle"
    public: bool = False  # shown to visitors who are not signed in
    # Entries sharing a group label show as one drop-down menu when a person sees two or more of them.
    group: str = ""


@dataclass
class DashboardItem:
    """One line in 'what waits for you': a count (None: a next step, not a number of things) and where to
    act on it."""

    title: str
    count: int | str | None  # a str where the number is capped ("99+")
    url: str
    hint: str = ""
    urgent: bool = False
    order: int = 50
    info: bool = False  # nothing for this person to do (a round under way, a notice running): shown apart


@dataclass(frozen=True)
class KeptValues:
    """Values the services keep with the rows they are computed from (the ledger's sums, the names a batch's
    applications share): how to list those that differ from a recomputation, and how to recompute them all
    (``manage.py check_sums``)."""

    what: str
    mismatches: Callable[[], list[str]]
    refresh_all: Callable[[], None]


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    dashboard: list[Callable] = field(default_factory=list)  # (user) -> list[DashboardItem]
    workstation_panels: list[Callable] = field(default_factory=list)  # (request, workstation) -> str (HTML)
    station_events: dict[str, list[Callable]] = field(default_factory=dict)  # kind -> [(StationEvent) -> None]
    audit_actions: dict[str, str] = field(default_factory=dict)  # audit action code -> what was done (lazy text)
    audit_values: dict[str, str] = field(default_factory=dict)  # other codes an entry records -> their labels
    kept: list[KeptValues] = field(default_factory=list)  # what the services keep with its rows (check_sums)


registry = Registry()


def register_nav(*items: NavItem) -> None:
    registry.nav.extend(items)
    registry.nav.sort(key=lambda i: i.order)


def register_dashboard(provider: Callable) -> None:
    registry.dashboard.append(provider)


def register_workstation_panel(provider: Callable) -> None:
    registry.workstation_panels.append(provider)


def register_kept(kept: KeptValues) -> None:
    registry.kept.append(kept)


def register_audit_actions(labels: dict[str, str]) -> None:
    """What each audit action code means, as a verb phrase the audit log puts in a sentence; a key
    "<app_label.model>:<action>" is for that kind of object only (before the plain action code)."""
    registry.audit_actions.update(labels)


def register_audit_values(labels: dict[str, str]) -> None:
    """Labels of the codes an audit entry records beside its states (a material's kind, an opinion)."""
    registry.audit_values.update(labels)


def nav_for(user) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return [i for i in registry.nav if i.public]
    return [i for i in registry.nav if user.role in i.roles]


def dashboard_for(user) -> list[DashboardItem]:
    items: list[DashboardItem] = []
    for provider in registry.dashboard:
        items.extend(provider(user))
    return sorted(items, key=lambda i: (not i.urgent, i.order))


# --- Kinds of notification a person may turn e-mail off for (the preferences page) ---------------------------

@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    roles: tuple[str, ...]  # who may receive it: the preferences page shows a person only their roles' kinds
    hint: str = ""


notification_kinds: dict[str, NotificationKind] = {}


def register_notification_kind(*kinds: NotificationKind) -> None:
    for kind in kinds:
        notification_kinds[kind.key] = kind


def notification_kinds_for(user) -> list[NotificationKind]:
    return [k for k in notification_kinds.values() if user.role in k.roles]
