"""The states and kinds of the filing aggregate, with what each state means.

One place for a state's metadata: the sets below say who may edit in which state (F01), which
states are open and which are terminal. Models, services, the admin, the portal and the deadline
monitor read them from here.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..rules import deadlines


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


class DeadlineKind(models.TextChoices):
    """The deadlines of F04 and W05; how long each runs is :mod:`wagtail_beian.rules.deadlines`."""

    PROVIDER = deadlines.PROVIDER, _("Provider verification")
    SMS = deadlines.SMS, _("SMS confirmation")
    BUREAU = deadlines.BUREAU, _("Bureau review")
    #: W05: runs beside the others (its own columns), never as the filing's current deadline.
    WEBSITE_ADDITION = deadlines.WEBSITE_ADDITION, _("Added website to the bureau")


@dataclass(frozen=True)
class StateInfo:
    """What a filing state means, read by the models, services, admin, portal and deadline monitor."""

    #: Whose move it is: "customer", "provider", "bureau", or "" when nobody's (approved, finished).
    turn: str
    #: The customer's one next thing to do, as the portal shows it.
    next_step: Promise
    #: F01: the customer may edit the data (everything in a draft; after a return the flagged fields).
    customer_editable: bool = False
    #: F01: the provider may change the data; at the bureau or approved it may not (a change does).
    provider_editable: bool = False
    #: Still on its way to a decision (a change in such a state is the filing's open change).
    in_progress: bool = False
    #: Finished for good: no deadline runs, the data is not live.
    terminal: bool = False
    #: The deadline that runs while the filing is in this state (F04), set on entering it.
    deadline: str = ""
    #: Where the customer's progress stepper stands (an index of :data:`FILING_STEPS`).
    step: int = 0
    #: The stepper's current step went wrong and waits for the customer (returned, rejected).
    step_problem: bool = False

    @property
    def tone(self):
        """A badge's colour class: whose move, "done" once approved, "closed" once finished."""
        return self.turn or ("closed" if self.terminal else "done")


S = FilingState


@dataclass(frozen=True)
class FilingStep:
    """A step of the path the customer's progress stepper shows (F02), and the filing's timestamp
    that says when it was done."""

    label: Promise
    done_at: str


#: 提交 → 接入商核实 → 短信核验 → 管局审核 → 已备案: the path of F02/F04, as the big clouds' consoles show it.
FILING_STEPS = (
    FilingStep(pgettext_lazy("step", "Submit"), "submitted_at"),
    FilingStep(_("Provider verification"), "verified_at"),
    FilingStep(_("SMS check"), "bureau_clock_started_at"),
    FilingStep(_("Bureau review"), "approved_at"),
    FilingStep(pgettext_lazy("beian", "Approved"), "approved_at"),
)

#: One row per state; a state without its row fails at import (and in tests/test_states.py).
FILING_STATES = {
    S.DRAFT: StateInfo(
        "customer", _("Complete the filing and submit it."),
        customer_editable=True, provider_editable=True, in_progress=True, step=0,
    ),
    S.SUBMITTED: StateInfo(
        "provider", _("Nothing to do: the provider is verifying your filing."),
        provider_editable=True, in_progress=True, deadline=DeadlineKind.PROVIDER, step=1,
    ),
    S.RETURNED: StateInfo(
        "customer", _("Fix the fields the provider flagged, then submit again."),
        customer_editable=True, provider_editable=True, in_progress=True, step=1, step_problem=True,
    ),
    S.VERIFIED: StateInfo(
        "provider", _("Nothing to do: the provider will submit your filing to the bureau."),
        provider_editable=True, in_progress=True, step=2,
    ),
    S.SMS_CHECK: StateInfo(
        "customer", _("Reply to the bureau's text message on the responsible person's mobile within 24 hours."),
        in_progress=True, deadline=DeadlineKind.SMS, step=2,
    ),
    S.BUREAU_REVIEW: StateInfo(
        "bureau", _("Nothing to do: the bureau is reviewing your filing."),
        in_progress=True, deadline=DeadlineKind.BUREAU, step=3,
    ),
    S.BUREAU_REJECTED: StateInfo(
        "customer", _("Fix the fields the bureau flagged; the provider sends it straight back."),
        customer_editable=True, provider_editable=True, in_progress=True, step=3, step_problem=True,
    ),
    S.APPROVED: StateInfo("", _("Show the filing number in your website's footer, linked to beian.miit.gov.cn."), step=4),
    S.CANCELLING: StateInfo("provider", _("Nothing to do: the cancellation is being processed."), step=4),
    S.CANCELLED: StateInfo("", _("This filing is cancelled."), terminal=True, step=4),
    S.WITHDRAWN: StateInfo("", _("This filing was withdrawn."), terminal=True),
}
_missing = [state for state in FilingState if state not in FILING_STATES]
if _missing:
    raise ImproperlyConfigured(f"FILING_STATES has no StateInfo for {_missing}: add its row beside the enum.")


def _states(test):
    return [state for state in FilingState if test(FILING_STATES[state])]


#: States in which the customer may edit (F01); elsewhere only the provider may.
CUSTOMER_EDITABLE_STATES = set(_states(lambda i: i.customer_editable))
#: States in which the provider may change the data (F01); at the bureau or approved, it may not:
#: approved data changes only through a change (变更).
PROVIDER_EDITABLE_STATES = set(_states(lambda i: i.provider_editable))
#: States in which a filing is still on its way (a change in one of these is "open"); a list in
#: the enum's order, as the partial unique constraint of open changes names it.
OPEN_STATES = _states(lambda i: i.in_progress)
TERMINAL_STATES = set(_states(lambda i: i.terminal))
#: States in which no deadline runs, whatever the row says (approved and finished).
FINISHED_STATES = set(_states(lambda i: not i.turn))


class FilingKind(models.TextChoices):
    NEW = "new", _("New filing")
    CHANGE = "change", pgettext_lazy("beian", "Change")


class ServiceKind(models.TextChoices):
    WEBSITE = "website", _("Website")
    APP = "app", pgettext_lazy("beian", "App")
    MINI_PROGRAM = "mini_program", _("Mini-program")
    QUICK_APP = "quick_app", _("Quick app")


class WebsiteStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("beian", "Active")
    CANCELLING = "cancelling", _("Cancellation in progress")
    CANCELLED = "cancelled", pgettext_lazy("beian", "Cancelled")


class ReasonStatus(models.TextChoices):
    """Where a return reason stands. The customer answers an open reason by changing its field or by
    explaining (an answer); submitting records which. The clerk then confirms it or reopens it."""

    OPEN = "open", _("To fix")
    CHANGED = "changed", _("Changed, awaiting confirmation")
    ANSWERED = "answered", _("Explained, awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    #: A reason that asks for no fix (e.g. why a cancellation was refused).
    NOTICE = "notice", _("For information")


#: Reasons the customer still has to act on (they unlock their fields after a return).
OPEN_REASON_STATUSES = {ReasonStatus.OPEN}
#: Reasons the clerk has not settled yet: verification waits for them (confirm or reopen).
UNSETTLED_REASON_STATUSES = {ReasonStatus.OPEN, ReasonStatus.CHANGED, ReasonStatus.ANSWERED}


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", pgettext_lazy("beian", "Rejected")
