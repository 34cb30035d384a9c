"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from models.audit import AuditEvent
from models.calendar import CalendarDay, CalendarYear
from models.cases import (
    Attachment,
    Case,
    CaseParty,
    CaseStatus,
    CaseType,
    Counter,
    Outbox,
    OutboxStatus,
    Severity,
    Source,
)
from models.people import ContactPoint, Grid, Invitation, Person, PersonRole, Role, Unit, Village
from models.state import ConversationState, StoredData

__all__ = [
    "Attachment",
    "AuditEvent",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseParty",
    "CaseStatus",
    "CaseType",
    "ContactPoint",
    "ConversationState",
    "Counter",
    "Grid",
    "Invitation",
    "Outbox",
    "OutboxStatus",
    "Person",
    "PersonRole",
    "Role",
    "Severity",
    "Source",
    "StoredData",
    "Unit",
    "Village",
]
