"""Deadline monitor (F04, W05): find filings and access transfers near or past a deadline and e-mail digests, once.

``find_due`` selects, in a fixed number of queries (one for filings, one for transfers), the
live filings (new and change) whose current deadline (provider verification 5 working days, SMS
confirmation 24 hours, bureau review 20 working days) or whose W05 deadline (a change adding a
website reaches the bureau within 7 working days of its first submission) is past ("overdue") or
near, and the open access transfers whose deadline is: provider verification 5 working days
after the request, bureau 20 working days after the submission to the bureau, and, for an
incoming transfer adding a new website (W05), the bureau within 7 working days of the request.
Near means due soon (:func:`due_soon_workdays` working days, the SMS :func:`due_soon_hours` hours:
the policy of :mod:`wagtail_beian.rules.deadlines`, which the admin dashboard uses too).

:func:`wagtail_beian.notifications.deadlines.run_deadline_monitor` e-mails them; it tells:

- staff: holders of ``verify_filing`` for the provider deadline, of ``submit_to_bureau`` for the
  SMS, bureau and W05 deadlines;
- the customer: for the SMS deadline (they must answer the bureau's text within 24 hours), for
  an overdue bureau review (for information), and for an overdue W05 deadline (and a near one
  while the change is returned to them, when they are the ones who must act).

Each address gets one digest per run listing all its filings and transfers. Each notice is
recorded as a :class:`~wagtail_beian.models.DeadlineNotice` (filing or transfer, deadline kind,
deadline, level, recipient, unique together), so running twice sends nothing twice, and a new deadline after a later
transition is a new notice. Notices and e-mails are written in one transaction: a crash records
nothing and sends nothing. Concurrent runs are serialised by locking the due filings' rows before
reading the notices already sent; the unique constraint is the last word.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .. import permissions as perms
from ..models import (
    AccessTransfer,
    DeadlineKind,
    DeadlineNotice,
    Filing,
    FilingKind,
    FilingState,
    NoticeLevel,
    NoticeRecipient,
    TransferDirection,
    TransferState,
)
from ..models.states import TERMINAL_STATES
from ..rules import deadlines, workdays
from ..rules.deadlines import end_of_day

#: W05 still running, as a query (the same test as ``Filing.website_addition_open``): a website added
#: by a change has not reached the bureau yet. Used by the admin dashboard and the listing's filter.
WEBSITE_ADDITION_OPEN = (
    Q(website_addition_due_at__isnull=False, sms_sent_at__isnull=True) & ~Q(state__in=TERMINAL_STATES)
)

NEAR, OVERDUE = NoticeLevel.NEAR, NoticeLevel.OVERDUE
STAFF, CUSTOMER = NoticeRecipient.STAFF, NoticeRecipient.CUSTOMER

#: Staff permission told of each deadline kind.
STAFF_PERMISSION = {
    DeadlineKind.PROVIDER: perms.VERIFY,
    DeadlineKind.SMS: perms.SUBMIT_TO_BUREAU,
    DeadlineKind.BUREAU: perms.SUBMIT_TO_BUREAU,
    DeadlineKind.WEBSITE_ADDITION: perms.SUBMIT_TO_BUREAU,
}
#: (deadline kind, level) pairs the customer hears of.
CUSTOMER_NOTICES = {
    (DeadlineKind.SMS, NEAR), (DeadlineKind.SMS, OVERDUE), (DeadlineKind.BUREAU, OVERDUE),
    (DeadlineKind.WEBSITE_ADDITION, OVERDUE),
}


def due_soon_workdays():
    """A working-day deadline is due soon within this many working days (monitor and dashboard)."""
    return int(getattr(settings, "WAGTAIL_BEIAN_DEADLINE_WARNING_WORKDAYS", deadlines.DUE_SOON_WORKDAYS))


def due_soon_hours():
    """The SMS confirmation is due soon within this many hours (monitor and dashboard)."""
    return float(getattr(settings, "WAGTAIL_BEIAN_SMS_WARNING_HOURS", deadlines.DUE_SOON_HOURS))


@dataclass
class DueDeadline:
    filing: Filing | None  # None for an access transfer's deadline
    kind: str
    deadline_at: datetime.datetime
    level: str
    workdays_left: int | None  # working-day deadlines; negative when overdue
    hours_left: int | None  # the SMS deadline; negative when overdue
    uncovered_years: list[int] = field(default_factory=list)
    transfer: AccessTransfer | None = None

    @property
    def obj(self):
        return self.filing if self.filing is not None else self.transfer

    @property
    def key(self):
        """(filing pk, transfer pk, kind, deadline): what a DeadlineNotice records."""
        return (self.filing.pk if self.filing is not None else None,
                self.transfer.pk if self.transfer is not None else None, self.kind, self.deadline_at)

    def recipients(self):
        yield STAFF
        if (self.kind, self.level) in CUSTOMER_NOTICES or (
            # W05 near while the change is back with the customer: they are the ones who must act
            self.kind == DeadlineKind.WEBSITE_ADDITION and self.level == NEAR
            and self.filing is not None and self.filing.state == FilingState.RETURNED
        ):
            yield CUSTOMER


def transfer_deadlines(transfer):
    """[(kind, due)]: the running deadlines of an access transfer (computed from its timestamps).

    Provider verification: 5 working days after the request (``created_at``), while requested.
    Bureau: 20 working days after the submission to the bureau (``submitted_at``), while there.
    W05, incoming transfer adding a new website: at the bureau within 7 working days of the
    request, while requested or verified. Each ends at the end of its last day.
    """
    state, out = transfer.state, []
    if state == TransferState.REQUESTED:
        out.append((DeadlineKind.PROVIDER, deadlines.due_at(DeadlineKind.PROVIDER, transfer.created_at)))
    if state == TransferState.SUBMITTED_TO_BUREAU and transfer.submitted_at:
        out.append((DeadlineKind.BUREAU, deadlines.due_at(DeadlineKind.BUREAU, transfer.submitted_at)))
    if transfer.direction == TransferDirection.INCOMING_NEW_WEBSITE and state in (
        TransferState.REQUESTED, TransferState.PROVIDER_VERIFIED
    ):
        out.append((DeadlineKind.WEBSITE_ADDITION, deadlines.due_at(DeadlineKind.WEBSITE_ADDITION, transfer.created_at)))
    return out


def _due_queryset(now, lock=False):
    today = timezone.localdate(now)
    # A working-day deadline is near when workdays_between(today, due) <= N, i.e. when it falls
    # before the (N+1)-th working day from today: that bound is exact, the count below decides.
    workday_horizon = deadlines.due_soon_until(today, due_soon_workdays())
    sms_horizon = now + datetime.timedelta(hours=due_soon_hours())
    queryset = (
        Filing.objects.filter(kind__in=[FilingKind.NEW, FilingKind.CHANGE])
        .exclude(state__in=TERMINAL_STATES)
        .filter(
            Q(deadline_kind=DeadlineKind.SMS, deadline_at__lte=sms_horizon)
            | Q(deadline_kind__in=[DeadlineKind.PROVIDER, DeadlineKind.BUREAU], deadline_at__lte=workday_horizon)
            | Q(website_addition_due_at__lte=workday_horizon, sms_sent_at__isnull=True)
        )
        .order_by("deadline_at", "pk")
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.select_related("subject", "owner")


def _transfer_queryset(now, lock=False):
    queryset = transfers_maybe_due_before(workdays.add_workdays(timezone.localdate(now), due_soon_workdays() + 1))
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.select_related("owner")


def transfers_maybe_due_before(horizon):
    """Open transfers that may have a deadline before the day ``horizon`` (a superset, one query).

    The exact check is :func:`transfer_deadlines` in Python. N working days are at least N calendar
    days, so a deadline N working days after ``start`` can fall before the horizon only if ``start``
    is at least N calendar days before it. Also used by the admin dashboard (its own horizon).
    """

    def started_by(days):
        return end_of_day(horizon - datetime.timedelta(days=days))

    return AccessTransfer.objects.filter(
        Q(state=TransferState.REQUESTED, created_at__lte=started_by(deadlines.WORKDAYS[DeadlineKind.PROVIDER]))
        | Q(state=TransferState.SUBMITTED_TO_BUREAU, submitted_at__lte=started_by(deadlines.WORKDAYS[DeadlineKind.BUREAU]))
        | Q(
            direction=TransferDirection.INCOMING_NEW_WEBSITE,
            state__in=[TransferState.REQUESTED, TransferState.PROVIDER_VERIFIED],
            created_at__lte=started_by(deadlines.WORKDAYS[DeadlineKind.WEBSITE_ADDITION]),
        )
    ).order_by("created_at", "pk")


def _classify(kind, deadline_at, now, today):
    """(level, workdays left, hours left, uncovered years) when near or overdue, else None."""
    overdue = now > deadline_at
    level = OVERDUE if overdue else NEAR
    if kind == DeadlineKind.SMS:
        seconds = (deadline_at - now).total_seconds()
        if not overdue and seconds > due_soon_hours() * 3600:
            return None
        hours = int(seconds // 3600) if seconds >= 0 else -int(-seconds // 3600)
        return level, None, hours, []
    due_day = timezone.localdate(deadline_at)
    left = workdays.workdays_between(today, due_day)
    if not overdue and left > due_soon_workdays():
        return None
    return level, left, None, workdays.uncovered_years(today, due_day)


def find_due(now=None, *, lock=False):
    """The filings and transfers whose deadlines are past or near, as :class:`DueDeadline` (two queries)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = []
    for filing in _due_queryset(now, lock=lock):
        deadlines = []
        if filing.deadline_at and filing.deadline_kind:
            deadlines.append((filing.deadline_kind, filing.deadline_at))
        if filing.website_addition_open:
            deadlines.append((DeadlineKind.WEBSITE_ADDITION, filing.website_addition_due_at))
        for kind, deadline_at in deadlines:
            if found := _classify(kind, deadline_at, now, today):
                due.append(DueDeadline(filing, kind, deadline_at, *found))
    for transfer in _transfer_queryset(now, lock=lock):
        for kind, deadline_at in transfer_deadlines(transfer):
            if found := _classify(kind, deadline_at, now, today):
                due.append(DueDeadline(None, kind, deadline_at, *found, transfer=transfer))
    return due


def already_sent(due):
    if not due:
        return set()
    filings = {item.filing.pk for item in due if item.filing is not None}
    transfers = {item.transfer.pk for item in due if item.transfer is not None}
    return set(
        DeadlineNotice.objects.filter(Q(filing_id__in=filings) | Q(transfer_id__in=transfers)).values_list(
            "filing_id", "transfer_id", "deadline_kind", "deadline_at", "level", "recipient"
        )
    )


