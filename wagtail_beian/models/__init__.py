from .codes import (
    AccessMethod,
    CertificateType,
    HolidayOverride,
    OrganizerNature,
    PreApprovalCategory,
    Province,
    ServiceContent,
)
from .documents import Document, ReviewStatus
from .filings import (
    Access,
    DeadlineKind,
    Filing,
    FilingKind,
    FilingReason,
    FilingState,
    ReasonStatus,
    ReasonTransition,
    ServiceKind,
    Subject,
    Website,
    WebsiteStatus,
)

__all__ = [
    "Access",
    "AccessMethod",
    "CertificateType",
    "DeadlineKind",
    "Document",
    "Filing",
    "FilingKind",
    "FilingReason",
    "FilingState",
    "HolidayOverride",
    "OrganizerNature",
    "PreApprovalCategory",
    "Province",
    "ReasonStatus",
    "ReasonTransition",
    "ReviewStatus",
    "ServiceContent",
    "ServiceKind",
    "Subject",
    "Website",
    "WebsiteStatus",
]

from .portal import PortalSettings, SiteFilingNumbers  # noqa: E402

__all__ += ["PortalSettings", "SiteFilingNumbers"]

from .notifications import OutgoingEmail  # noqa: E402

__all__ += ["OutgoingEmail"]

from .tickets import Ticket, TicketAttachment, TicketMessage, TicketState  # noqa: E402

__all__ += ["Ticket", "TicketAttachment", "TicketMessage", "TicketState"]

from .deadlines import DeadlineNotice, NoticeLevel, NoticeRecipient  # noqa: E402

__all__ += ["DeadlineNotice", "NoticeLevel", "NoticeRecipient"]

from .transfers import AccessTransfer, TransferDirection, TransferState  # noqa: E402

__all__ += ["AccessTransfer", "TransferDirection", "TransferState"]

from .claims import ClaimState, FilingClaim, FilingClaimScan, HostedDomain  # noqa: E402

__all__ += ["ClaimState", "FilingClaim", "FilingClaimScan", "HostedDomain"]

from .imports import ImportJob, ImportStatus  # noqa: E402

__all__ += ["ImportJob", "ImportStatus"]
