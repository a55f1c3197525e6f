from .audit import AuditEntry
from .calendar import CalendarDay, CalendarYear
from .documents import DraftRendering, RenderedDocument
from .notifications import Delivery, DeliveryState, EmailPreference, Notification
from .office import OfficeContact
from .organizations import Organization, User
from .revocations import Revocation, RevocationGround
from .throttle import ThrottleEvent
from .workstations import Workstation

__all__ = ["AuditEntry", "CalendarDay", "CalendarYear", "Delivery", "DeliveryState", "DraftRendering", "EmailPreference", "Notification", "OfficeContact", "Organization", "RenderedDocument", "Revocation", "RevocationGround", "ThrottleEvent", "User",
           "Workstation"]
