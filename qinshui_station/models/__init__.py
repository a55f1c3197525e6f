from .audit import AuditEntry
from .calendar import CalendarDay, CalendarYear
from .documents import RenderedDocument
from .notifications import Notification
from .organizations import Organization, User
from .revocations import Revocation, RevocationGround
from .workstations import Workstation

__all__ = ["AuditEntry", "CalendarDay", "CalendarYear", "Notification", "Organization", "RenderedDocument", "Revocation", "RevocationGround", "User",
           "Workstation"]
