"""The clerks' workload (工作量统计): per clerk, what waits on them, what is overdue, what they did in a
period and how long a verification took them.

- **waiting**: filings assigned to the clerk whose move it is the provider's (``StateInfo.turn``);
- **overdue**: of those, the ones past their deadline (F04);
- **verified / returned**: ``verify`` and ``return_to_customer`` transitions the clerk performed in the
  period, from the audit log;
- **median working days to verify**: for each verification in the period, the working days (F04's
  calendar) from the filing's latest submission before it to the verification.

A fixed number of queries whatever the number of clerks or filings: one per figure, grouped in the
database; the median reads only the period's verifications and their submissions.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry

from ..models import Filing
from ..models.states import FILING_STATES
from ..rules import workdays
from .assignment import clerks

VERIFY, RETURN, SUBMIT = "wagtail_beian.verify", "wagtail_beian.return_to_customer", "wagtail_beian.submit"
PROVIDER_TURN_STATES = [state for state, info in FILING_STATES.items() if info.turn == "provider"]


@dataclass
class ClerkLoad:
    user: object
    waiting: int = 0
    overdue: int = 0
    verified: int = 0
    returned: int = 0
    verify_days: list = field(default_factory=list)

    @property
    def name(self):
        if self.user is None:
            return gettext("Unassigned")
        full = self.user.get_full_name()
        return f"{full}（{self.user.get_username()}）" if full else self.user.get_username()

    @property
    def median_days(self):
        """Median working days from submission to verification, or None without verifications."""
        return statistics.median(self.verify_days) if self.verify_days else None


def period_start(period, now=None):
    """The start of ``period``: "week" (since Monday), "month" (since the 1st), or "30"/"90" days."""
    now = timezone.localtime(now or timezone.now())
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        return today - datetime.timedelta(days=today.weekday())
    if period == "month":
        return today.replace(day=1)
    return today - datetime.timedelta(days=int(period))


def workload(since, now=None):
    """[ClerkLoad] for every clerk (active staff who may verify), in username order, then one row
    (user None) for the provider's filings nobody who may verify is assigned, if any. The period
    runs from ``since`` to now. Five queries, whatever the number of clerks, filings or entries."""
    now = now or timezone.now()
    loads = {u.pk: ClerkLoad(u) for u in clerks().order_by("username")}
    nobody = ClerkLoad(None)  # unassigned, or assigned to someone who may no longer verify
    waiting = (
        Filing.objects.filter(state__in=PROVIDER_TURN_STATES)
        .values("assigned_to").order_by()
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(deadline_at__lt=now)))
    )
    for row in waiting:
        load = loads.get(row["assigned_to"], nobody)
        load.waiting += row["n"]
        load.overdue += row["late"]

    filing_entries = ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Filing))
    done = (
        filing_entries.filter(action__in=(VERIFY, RETURN), timestamp__gte=since, user__in=list(loads))
        .values("user", "action").order_by().annotate(n=Count("pk"))
    )
    for row in done:
        setattr(loads[row["user"]], "verified" if row["action"] == VERIFY else "returned", row["n"])

    verifications = list(
        filing_entries.filter(action=VERIFY, timestamp__gte=since, user__in=list(loads))
        .values_list("user", "object_id", "timestamp")
    )
    submissions = defaultdict(list)
    for object_id, at in (
        filing_entries.filter(action=SUBMIT, object_id__in={v[1] for v in verifications})
        .values_list("object_id", "timestamp").order_by("timestamp")
    ):
        submissions[object_id].append(at)
    for user, object_id, at in verifications:
        submitted = [s for s in submissions[object_id] if s <= at]
        if submitted:
            days = workdays.workdays_between(timezone.localdate(submitted[-1]), timezone.localdate(at))
            loads[user].verify_days.append(days)
    return list(loads.values()) + ([nobody] if nobody.waiting else [])
