"""The deadline digests (F04, W05): one e-mail per address listing its filings and transfers near or
past a deadline, each notice sent once.

Which deadlines are due, and who is told of each, is decided in
:mod:`wagtail_beian.services.deadlines`. Each notice is recorded as a
:class:`~wagtail_beian.models.DeadlineNotice`, so running twice sends nothing twice. Notices and
e-mails are written in one transaction: a crash records nothing and sends nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from ..models import DeadlineKind, DeadlineNotice
from ..rules import workdays
from ..rules.domains import domain_to_unicode
from ..services.deadlines import CUSTOMER, NEAR, OVERDUE, STAFF, STAFF_PERMISSION, already_sent, find_due
from ..services.status import describe_deadline
from .outbox import LANGUAGE, absolute_url, notify, render_email, staff_addresses


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


def _url(name, pk):
    return absolute_url(name, pk)  # empty on a site without the transfer screens


def _entry(item, recipient, now):
    """What a digest shows of one filing or transfer: organizer name, state, deadline, time left, link.

    No personal data.
    """
    if item.filing is not None:
        filing = item.filing
        subject = getattr(filing, "subject", None)
        name = subject.name if subject else str(filing)
        staff_url, customer_url = "wagtail_beian_filings:inspect", "wagtail_beian_portal:filing_detail"
    else:
        transfer = item.transfer
        name = f"{transfer.organizer_name} ({domain_to_unicode(transfer.compute_target_domain())})"
        staff_url, customer_url = "wagtail_beian_transfers:inspect", "wagtail_beian_portal:transfer_detail"
    obj = item.obj
    return {
        "pk": obj.pk,
        "is_transfer": item.transfer is not None,
        "name": name,
        "state": obj.get_state_display(),
        "kind": DeadlineKind(item.kind).label,
        "kind_code": item.kind,
        "due": timezone.localtime(item.deadline_at).strftime("%Y-%m-%d %H:%M"),
        "left": describe_deadline(item.kind, item.deadline_at, now),
        "overdue": item.level == OVERDUE,
        "url": _url(staff_url if recipient == STAFF else customer_url, obj.pk),
    }


def _plan(pairs, now):
    """[(address, template, context)]: one digest per address for the (item, recipient) pairs."""
    staff_items, customer_items = defaultdict(list), defaultdict(list)
    staff_by_perm = {}
    for item, recipient in pairs:
        if recipient == STAFF:
            perm = STAFF_PERMISSION[item.kind]
            if perm not in staff_by_perm:
                staff_by_perm[perm] = staff_addresses(perm)
            for address in staff_by_perm[perm]:
                staff_items[address].append(item)
        elif item.obj.owner.email:
            customer_items[item.obj.owner.email].append(item)
    plan = []
    with translation.override(LANGUAGE):
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
        _fill(summary, due, now, already_sent(due), write=False)
        return summary
    with transaction.atomic():
        due = find_due(now, lock=True)  # concurrent runs wait here until this one commits
        _fill(summary, due, now, already_sent(due), write=True)
    return summary


def _fill(summary, due, now, sent, write):
    fresh = [
        (item, recipient)
        for item in due for recipient in item.recipients()
        if (*item.key, item.level, recipient) not in sent
    ]
    if write and fresh:
        DeadlineNotice.objects.bulk_create([
            DeadlineNotice(
                filing=item.filing, transfer=item.transfer, deadline_kind=item.kind, deadline_at=item.deadline_at,
                level=item.level, recipient=recipient, created_at=now,
            )
            for item, recipient in fresh
        ], ignore_conflicts=True)
    summary.notices.update((item.level, recipient) for item, recipient in fresh)
    for address, template, context in _plan(fresh, now):
        if write:
            subject = notify(template, context, [address])[0].subject
        else:
            subject = render_email(template, context)[0]
        summary.emails.append((address, subject, [entry["pk"] for entry in context["entries"]]))


@task()
def check_deadlines():
    """Send the deadline digests not sent yet; idempotent (see :func:`run_deadline_monitor`)."""
    return run_deadline_monitor().as_dict()
