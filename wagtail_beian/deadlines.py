"""Deadline monitor (F04): find filings near or past their deadline and e-mail digests, once.

``find_due`` selects, in a fixed number of queries, the live filings (new and change) whose
current deadline (provider verification 5 working days, SMS confirmation 24 hours, bureau review
20 working days) is past ("overdue") or near: a working-day deadline due within
``WAGTAIL_BEIAN_DEADLINE_WARNING_WORKDAYS`` working days, the SMS deadline within
``WAGTAIL_BEIAN_SMS_WARNING_HOURS`` hours.

``run_deadline_monitor`` tells:

- staff: holders of ``verify_filing`` for the provider deadline, of ``submit_to_bureau`` for the
  SMS and bureau deadlines;
- the customer: for the SMS deadline (they must answer the bureau's text within 24 hours) and for
  an overdue bureau review (for information).

Each address gets one digest per run listing all its filings. Each notice is recorded as a
:class:`~wagtail_beian.models.DeadlineNotice` (filing, deadline kind, deadline, level, recipient,
unique together), so running twice sends nothing twice, and a new deadline after a later
transition is a new notice. Notices and e-mails are written in one transaction: a crash records
nothing and sends nothing. Concurrent runs are serialised by locking the due filings' rows before
reading the notices already sent; the unique constraint is the last word.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from . import notifications
from . import permissions as perms
from .models import DeadlineKind, DeadlineNotice, Filing, FilingKind, NoticeLevel, NoticeRecipient
from .models.filings import TERMINAL_STATES
from .rules import workdays

NEAR, OVERDUE = NoticeLevel.NEAR, NoticeLevel.OVERDUE
STAFF, CUSTOMER = NoticeRecipient.STAFF, NoticeRecipient.CUSTOMER

#: Staff permission told of each deadline kind.
STAFF_PERMISSION = {
    DeadlineKind.PROVIDER: perms.VERIFY,
    DeadlineKind.SMS: perms.SUBMIT_TO_BUREAU,
    DeadlineKind.BUREAU: perms.SUBMIT_TO_BUREAU,
}
#: (deadline kind, level) pairs the customer hears of.
CUSTOMER_NOTICES = {(DeadlineKind.SMS, NEAR), (DeadlineKind.SMS, OVERDUE), (DeadlineKind.BUREAU, OVERDUE)}


def warning_workdays():
    return int(getattr(settings, "WAGTAIL_BEIAN_DEADLINE_WARNING_WORKDAYS", 1))


def sms_warning_hours():
    return float(getattr(settings, "WAGTAIL_BEIAN_SMS_WARNING_HOURS", 6))


@dataclass
class DueDeadline:
    filing: Filing
    kind: str
    deadline_at: datetime.datetime
    level: str
    workdays_left: int | None  # working-day deadlines; negative when overdue
    hours_left: int | None  # the SMS deadline; negative when overdue
    uncovered_years: list[int] = field(default_factory=list)

    @property
    def key(self):
        return (self.filing.pk, self.kind, self.deadline_at)

    def recipients(self):
        yield STAFF
        if (self.kind, self.level) in CUSTOMER_NOTICES:
            yield CUSTOMER


def _end_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _due_queryset(now, lock=False):
    today = timezone.localdate(now)
    # A working-day deadline is near when workdays_between(today, due) <= N, i.e. when it falls
    # before the (N+1)-th working day from today: that bound is exact, the count below decides.
    workday_horizon = _end_of_day(workdays.add_workdays(today, warning_workdays() + 1) - datetime.timedelta(days=1))
    sms_horizon = now + datetime.timedelta(hours=sms_warning_hours())
    queryset = (
        Filing.objects.filter(kind__in=[FilingKind.NEW, FilingKind.CHANGE], deadline_at__isnull=False)
        .exclude(state__in=TERMINAL_STATES)
        .filter(
            Q(deadline_kind=DeadlineKind.SMS, deadline_at__lte=sms_horizon)
            | Q(deadline_kind__in=[DeadlineKind.PROVIDER, DeadlineKind.BUREAU], deadline_at__lte=workday_horizon)
        )
        .order_by("deadline_at", "pk")
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.select_related("subject", "owner")


def find_due(now=None, *, lock=False):
    """The filings whose current deadline is past or near, as :class:`DueDeadline` (one query)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    limit_days, limit_hours = warning_workdays(), sms_warning_hours()
    due = []
    for filing in _due_queryset(now, lock=lock):
        overdue = now > filing.deadline_at
        if filing.deadline_kind == DeadlineKind.SMS:
            seconds = (filing.deadline_at - now).total_seconds()
            if not overdue and seconds > limit_hours * 3600:
                continue
            hours = int(seconds // 3600) if seconds >= 0 else -int(-seconds // 3600)
            due.append(DueDeadline(filing, filing.deadline_kind, filing.deadline_at, OVERDUE if overdue else NEAR, None, hours))
        else:
            due_day = timezone.localdate(filing.deadline_at)
            left = workdays.workdays_between(today, due_day)
            if not overdue and left > limit_days:
                continue
            due.append(DueDeadline(
                filing, filing.deadline_kind, filing.deadline_at, OVERDUE if overdue else NEAR, left, None,
                workdays.uncovered_years(today, due_day),
            ))
    return due


@dataclass
class Summary:
    notices: Counter = field(default_factory=Counter)  # (level, recipient) -> notices recorded
    emails: list = field(default_factory=list)  # (address, subject, [filing pk, ...])
    dry_run: bool = False

    @property
    def total(self):
        return sum(self.notices.values())

    def as_dict(self):
        return {
            "dry_run": self.dry_run,
            "emails": len(self.emails),
            "notices": {f"{level}/{recipient}": n for (level, recipient), n in sorted(self.notices.items())},
        }

    def __str__(self):
        counts = ", ".join(
            f"{level}/{recipient}: {self.notices.get((level, recipient), 0)}"
            for level in (NEAR, OVERDUE) for recipient in (STAFF, CUSTOMER)
        )
        prefix = "dry run: would send" if self.dry_run else "sent"
        return f"{prefix} {len(self.emails)} e-mails; notices {counts}"


def _absolute(path):
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def _entry(item, recipient, now):
    """What a digest shows of one filing: organizer name, state, deadline, time left, link. No personal data."""
    from .services.status import deadline_text

    filing = item.filing
    subject = getattr(filing, "subject", None)
    if recipient == STAFF:
        url = _absolute(reverse("wagtail_beian_filings:inspect", args=[filing.pk]))
    else:
        url = _absolute(reverse("wagtail_beian_portal:filing_detail", args=[filing.pk]))
    return {
        "pk": filing.pk,
        "name": subject.name if subject else str(filing),
        "state": filing.get_state_display(),
        "kind": filing.get_deadline_kind_display(),
        "kind_code": item.kind,
        "due": timezone.localtime(item.deadline_at).strftime("%Y-%m-%d %H:%M"),
        "left": deadline_text(filing, now),
        "overdue": item.level == OVERDUE,
        "url": url,
    }


def _plan(pairs, now):
    """[(address, template, context)]: one digest per address for the (item, recipient) pairs."""
    staff_items, customer_items = defaultdict(list), defaultdict(list)
    staff_by_perm = {}
    for item, recipient in pairs:
        if recipient == STAFF:
            perm = STAFF_PERMISSION[item.kind]
            if perm not in staff_by_perm:
                staff_by_perm[perm] = notifications.staff_addresses(perm)
            for address in staff_by_perm[perm]:
                staff_items[address].append(item)
        elif item.filing.owner.email:
            customer_items[item.filing.owner.email].append(item)
    plan = []
    with translation.override(notifications.LANGUAGE):
        for address, items in sorted(staff_items.items()):
            years = sorted({year for item in items for year in item.uncovered_years})
            context = {
                "entries": [_entry(item, STAFF, now) for item in items],
                "overdue_count": sum(item.level == OVERDUE for item in items),
                "fallback_warning": workdays.fallback_warning(years),
            }
            plan.append((address, "deadline_staff", context))
        for address, items in sorted(customer_items.items()):
            context = {
                "entries": [_entry(item, CUSTOMER, now) for item in items],
                "overdue_count": sum(item.level == OVERDUE for item in items),
            }
            plan.append((address, "deadline_customer", context))
    return plan


def run_deadline_monitor(now=None, dry_run=False):
    """Send the deadline digests not sent yet; return a :class:`Summary`. Idempotent."""
    now = now or timezone.now()
    summary = Summary(dry_run=dry_run)
    if dry_run:
        due = find_due(now)
        _fill(summary, due, now, _already_sent(due), write=False)
        return summary
    with transaction.atomic():
        due = find_due(now, lock=True)  # concurrent runs wait here until this one commits
        _fill(summary, due, now, _already_sent(due), write=True)
    return summary


def _already_sent(due):
    if not due:
        return set()
    return set(
        DeadlineNotice.objects.filter(filing_id__in={item.filing.pk for item in due}).values_list(
            "filing_id", "deadline_kind", "deadline_at", "level", "recipient"
        )
    )


def _fill(summary, due, now, sent, write):
    fresh = [
        (item, recipient)
        for item in due for recipient in item.recipients()
        if (*item.key, item.level, recipient) not in sent
    ]
    if write and fresh:
        DeadlineNotice.objects.bulk_create([
            DeadlineNotice(
                filing=item.filing, deadline_kind=item.kind, deadline_at=item.deadline_at,
                level=item.level, recipient=recipient, created_at=now,
            )
            for item, recipient in fresh
        ], ignore_conflicts=True)
    summary.notices.update((item.level, recipient) for item, recipient in fresh)
    for address, template, context in _plan(fresh, now):
        if write:
            subject = notifications.notify(template, context, [address])[0].subject
        else:
            subject = notifications.render_email(template, context)[0]
        summary.emails.append((address, subject, [entry["pk"] for entry in context["entries"]]))
