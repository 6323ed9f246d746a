"""The states and kinds of the filing aggregate, with what each state means.

One place for a state's metadata: the sets below say who may edit in which state (F01), which
states are open and which are terminal. Models, services, the admin, the portal and the deadline
monitor read them from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FilingState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("beian", "Draft")
    SUBMITTED = "submitted", _("Awaiting provider verification")
    RETURNED = "returned", _("Returned by provider")
    VERIFIED = "verified", _("Verified, awaiting bureau submission")
    SMS_CHECK = "sms_check", _("Awaiting SMS confirmation")
    BUREAU_REVIEW = "bureau_review", _("Under bureau review")
    BUREAU_REJECTED = "bureau_rejected", _("Rejected by bureau")
    APPROVED = "approved", pgettext_lazy("beian", "Approved")
    CANCELLING = "cancelling", _("Cancellation in progress")
    CANCELLED = "cancelled", pgettext_lazy("beian", "Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = FilingState
#: States in which the customer may edit (F01); elsewhere only the provider may.
CUSTOMER_EDITABLE_STATES = {S.DRAFT, S.RETURNED, S.BUREAU_REJECTED}
#: States in which the provider may change the data (F01); at the bureau or approved, it may not:
#: approved data changes only through a change (变更).
PROVIDER_EDITABLE_STATES = {S.DRAFT, S.SUBMITTED, S.RETURNED, S.VERIFIED, S.BUREAU_REJECTED}
#: States in which a filing is still on its way (a change in one of these is "open").
OPEN_STATES = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.VERIFIED, S.SMS_CHECK, S.BUREAU_REVIEW, S.BUREAU_REJECTED]
TERMINAL_STATES = {S.CANCELLED, S.WITHDRAWN}


class FilingKind(models.TextChoices):
    NEW = "new", _("New filing")
    CHANGE = "change", pgettext_lazy("beian", "Change")


class DeadlineKind(models.TextChoices):
    PROVIDER = "provider", _("Provider verification")
    SMS = "sms", _("SMS confirmation")
    BUREAU = "bureau", _("Bureau review")
    #: W05: runs beside the others (its own columns), never as the filing's current deadline.
    WEBSITE_ADDITION = "website", _("Added website to the bureau")


class ServiceKind(models.TextChoices):
    WEBSITE = "website", _("Website")
    APP = "app", pgettext_lazy("beian", "App")
    MINI_PROGRAM = "mini_program", _("Mini-program")
    QUICK_APP = "quick_app", _("Quick app")


class WebsiteStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("beian", "Active")
    CANCELLING = "cancelling", _("Cancellation in progress")
    CANCELLED = "cancelled", pgettext_lazy("beian", "Cancelled")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", pgettext_lazy("beian", "Rejected")
