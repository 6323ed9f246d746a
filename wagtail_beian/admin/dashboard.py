"""Dashboard panels on the Wagtail home page (hooked in by ``construct_homepage_panels``).

Extension point: :data:`PANEL_FACTORIES`. Each factory is called with the request and returns
a list of panels (``[]`` when the user may not see them, so each factory checks its own
permission). The staff-ticket panel of the service-support work (服务支持) is meant to be
appended there, e.g. ``PANEL_FACTORIES.append(ticket_panels)``; no placeholder panel is shown
before tickets exist.

The filing panels cost a fixed number of queries whatever the number of filings: one for the
counts by state, one aggregate for the deadline totals and the span of running deadlines, one
for each list of at most :data:`MAX_ROWS` filings (subjects joined), one for the open access
transfers that may be due (for staff who may see transfers), plus the holiday table, read once
and cached (models.codes.holiday_overrides).

The deadline panel lists deadlines, not filings: a filing's current deadline (provider 5 working
days, SMS 24 hours, bureau 20 working days), the W05 deadline of a change adding a website (7
working days, until it reaches the bureau) and the deadlines of access transfers (provider,
bureau, W05: ``deadlines.transfer_deadlines``), overdue and due soon, earliest first.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, DateTimeField, Max, Min, Q, Value, When
from django.db.models.functions import Least
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from .. import permissions as perms
from ..models import AccessTransfer, DeadlineKind, Filing, FilingKind, FilingState, HolidayOverride
from ..models.states import FINISHED_STATES
from ..rules import deadlines, workdays
from ..rules.domains import domain_to_unicode
from ..services.deadlines import (
    WEBSITE_ADDITION_OPEN,
    due_soon_hours,
    due_soon_workdays,
    transfer_deadlines,
    transfers_maybe_due_before,
)

VIEW_FILING = perms.VIEW_FILING
#: The filing listing and its reviewer detail (admin/filings.py); without them, no links.
FILING_INDEX_URL_NAME = "wagtail_beian_filings:index"
FILING_DETAIL_URL_NAME = "wagtail_beian_filings:inspect"
TRANSFER_DETAIL_URL_NAME = "wagtail_beian_transfers:inspect"
HOLIDAY_INDEX_URL_NAME = "wagtail_beian_holiday_overrides:index"

#: Rows listed per deadline table; the total is shown beside it.
MAX_ROWS = 10

def _reverse_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _deadline_label(kind):
    return str(DeadlineKind(kind).label) if kind in DeadlineKind.values else kind


# ------------------------------------------------------------------------------ data


@dataclass
class DeadlineRow:
    filing: Filing | None  # None for an access transfer's deadline
    organizer: str
    state: str
    kind: str
    deadline_kind: str
    due_at: datetime.datetime
    overdue: bool
    time_left: str
    url: str | None
    deadline_code: str = ""  # DeadlineKind value: provider, sms, bureau, website (W05)
    transfer: AccessTransfer | None = None


def time_left_text(filing, now, today):
    """"3 working days left", "Overdue by 1 working day", "5 hours left", ... (F04)."""
    return deadline_time_left(filing.deadline_kind, filing.deadline_at, now, today)


def deadline_time_left(kind, deadline_at, now, today):
    """The time left until one deadline of any kind (filing, W05, access transfer), in words (F04)."""
    if kind == DeadlineKind.SMS:
        seconds = (deadline_at - now).total_seconds()
        hours = math.floor(abs(seconds) / 3600)
        if seconds >= 0:
            if hours < 1:
                return gettext("Less than 1 hour left")
            return ngettext("%(n)s hour left", "%(n)s hours left", hours) % {"n": hours}
        if hours < 1:
            return gettext("Overdue by less than 1 hour")
        return ngettext("Overdue by %(n)s hour", "Overdue by %(n)s hours", hours) % {"n": hours}

    left = workdays.workdays_between(today, timezone.localdate(deadline_at))
    if deadline_at < now:
        if left >= 0:
            return gettext("Overdue")
        return ngettext("Overdue by %(n)s working day", "Overdue by %(n)s working days", -left) % {"n": -left}
    if left == 0:
        return gettext("Due today")
    return ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}


class FilingOverview:
    """What the filing panels show, loaded once per request in a fixed number of queries."""

    def __init__(self, user, now=None):
        self.user = user
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.filing_index_url = _reverse_or_none(FILING_INDEX_URL_NAME)
        self._load_counts()
        self._load_deadlines()

    # ------------------------------------------------------------ counts by state and kind
    def _load_counts(self):
        counts = {
            (state, kind): n
            for state, kind, n in Filing.objects.order_by().values_list("state", "kind").annotate(n=Count("pk"))
        }
        self.kinds = [(FilingKind.NEW, FilingKind.NEW.label), (FilingKind.CHANGE, FilingKind.CHANGE.label)]
        self.state_rows = []
        for state in FilingState:
            cells = []
            for kind, _label in self.kinds:
                n = counts.get((state.value, kind.value), 0)
                cells.append({"count": n, "url": self.state_url(state.value, kind.value) if n else None})
            total = sum(cell["count"] for cell in cells)
            self.state_rows.append({
                "state": state.value, "label": state.label, "cells": cells,
                "total": total, "total_url": self.state_url(state.value) if total else None,
            })
        self.kind_totals = [sum(row["cells"][i]["count"] for row in self.state_rows) for i in range(len(self.kinds))]
        self.grand_total = sum(self.kind_totals)

    def state_url(self, state, kind=None):
        """The filing listing filtered by state (and kind): its ``state`` and ``kind`` filters."""
        if self.filing_index_url is None:
            return None
        query = {"state": state, **({"kind": kind} if kind else {})}
        return f"{self.filing_index_url}?{urlencode(query)}"

    # ------------------------------------------------------------------------ deadlines
    def _load_deadlines(self):
        now = self.now
        # Due soon: the policy the deadline monitor uses (rules.deadlines, services.deadlines).
        days, hours = due_soon_workdays(), due_soon_hours()
        horizon = workdays.add_workdays(self.today, days + 1)
        self.due_soon_until = deadlines.due_soon_until(self.today, days)
        running = Filing.objects.exclude(state__in=FINISHED_STATES)
        current, w05 = Q(deadline_at__isnull=False), WEBSITE_ADDITION_OPEN
        # (the filing's current deadline, its W05 deadline) in each group
        overdue = (current & Q(deadline_at__lt=now), w05 & Q(website_addition_due_at__lt=now))
        due_soon = (
            current & Q(deadline_at__gte=now) & (
                Q(deadline_kind=DeadlineKind.SMS, deadline_at__lte=now + datetime.timedelta(hours=hours))
                | (~Q(deadline_kind=DeadlineKind.SMS) & Q(deadline_at__lte=self.due_soon_until))
            ),
            w05 & Q(website_addition_due_at__gte=now, website_addition_due_at__lte=self.due_soon_until),
        )
        stats = running.aggregate(
            overdue=Count("pk", filter=overdue[0]), overdue_w05=Count("pk", filter=overdue[1]),
            due_soon=Count("pk", filter=due_soon[0]), due_soon_w05=Count("pk", filter=due_soon[1]),
            first=Min("deadline_at"), last=Max("deadline_at"),
            first_w05=Min("website_addition_due_at", filter=w05), last_w05=Max("website_addition_due_at", filter=w05),
        )
        transfer_overdue, transfer_due_soon = self._transfer_rows(horizon)
        self.overdue_total = stats["overdue"] + stats["overdue_w05"] + len(transfer_overdue)
        self.due_soon_total = stats["due_soon"] + stats["due_soon_w05"] + len(transfer_due_soon)

        def rows(group, transfer_rows, total):
            if not total:
                return []
            found = self._filing_rows(running, *group) if total > len(transfer_rows) else []
            return sorted(found + transfer_rows, key=lambda row: (row.due_at, row.transfer is not None))[:MAX_ROWS]

        self.overdue = rows(overdue, transfer_overdue, self.overdue_total)
        self.due_soon = rows(due_soon, transfer_due_soon, self.due_soon_total)

        # F04: years the running deadlines (and the due-soon window) were counted Monday–Friday.
        transfer_dues = [row.due_at for row in transfer_overdue + transfer_due_soon]
        first = min(filter(None, [stats["first"], stats["first_w05"], now, *transfer_dues]))
        last = max(filter(None, [stats["last"], stats["last_w05"], self.due_soon_until]))
        self.uncovered_years = workdays.uncovered_years(timezone.localdate(first), timezone.localdate(last))

    def _filing_rows(self, running, current, w05):
        """The first :data:`MAX_ROWS` filings with a deadline in the group (one query), as one row per deadline.

        Ordered by the earlier of the filing's deadlines that are in the group, so the first rows of
        the merged list are always among them.
        """
        never = Value(self.now + datetime.timedelta(days=36500), output_field=DateTimeField())
        filings = (
            running.filter(current | w05)
            .annotate(
                in_current=Case(When(current, then=Value(True)), default=Value(False), output_field=BooleanField()),
                in_w05=Case(When(w05, then=Value(True)), default=Value(False), output_field=BooleanField()),
                group_due=Least(
                    Case(When(current, then="deadline_at"), default=never, output_field=DateTimeField()),
                    Case(When(w05, then="website_addition_due_at"), default=never, output_field=DateTimeField()),
                ),
            )
            .select_related("subject")
            .order_by("group_due", "pk")[:MAX_ROWS]
        )
        rows = []
        for filing in filings:
            if filing.in_current:
                rows.append(self._row(filing))
            if filing.in_w05:
                rows.append(self._row(filing, DeadlineKind.WEBSITE_ADDITION, filing.website_addition_due_at))
        return rows

    def _transfer_rows(self, horizon):
        """(overdue, due soon) rows of access transfers, for staff who may see transfers (one query).

        Their deadlines come from ``deadlines.transfer_deadlines`` (provider 5, bureau 20, W05 7
        working days); none of them is counted in hours.
        """
        policy = policy_registry.get_by_type(AccessTransfer)
        if policy is None or not policy.user_has_permission(self.user, "view"):
            return [], []
        overdue, due_soon = [], []
        for transfer in transfers_maybe_due_before(horizon):
            for kind, due_at in transfer_deadlines(transfer):
                if due_at < self.now:
                    overdue.append(self._transfer_row(transfer, kind, due_at))
                elif due_at <= self.due_soon_until:
                    due_soon.append(self._transfer_row(transfer, kind, due_at))
        return overdue, due_soon

    def _row(self, filing, kind=None, due_at=None):
        kind, due_at = kind or filing.deadline_kind, due_at or filing.deadline_at
        subject = getattr(filing, "subject", None)
        return DeadlineRow(
            filing=filing,
            organizer=getattr(subject, "name", "") or gettext("(no organizer yet)"),
            state=filing.get_state_display(),
            kind=filing.get_kind_display(),
            deadline_kind=_deadline_label(kind),
            deadline_code=kind,
            due_at=due_at,
            overdue=due_at < self.now,
            time_left=deadline_time_left(kind, due_at, self.now, self.today),
            url=_reverse_or_none(FILING_DETAIL_URL_NAME, filing.pk),
        )

    def _transfer_row(self, transfer, kind, due_at):
        return DeadlineRow(
            filing=None,
            transfer=transfer,
            organizer=f"{transfer.organizer_name} ({domain_to_unicode(transfer.target_domain)})" if transfer.target_domain
            else transfer.organizer_name,
            state=transfer.get_state_display(),
            kind=transfer.get_direction_display(),
            deadline_kind=_deadline_label(kind),
            deadline_code=kind,
            due_at=due_at,
            overdue=due_at < self.now,
            time_left=deadline_time_left(kind, due_at, self.now, self.today),
            url=_reverse_or_none(TRANSFER_DETAIL_URL_NAME, transfer.pk),
        )


# ---------------------------------------------------------------------------- panels


class FilingCountsPanel(Component):
    order = 110
    template_name = "wagtail_beian/admin/dashboard/filing_counts.html"

    def __init__(self, overview):
        self.overview = overview

    def get_context_data(self, parent_context=None):
        return {"overview": self.overview}


class DeadlinesPanel(Component):
    order = 100
    template_name = "wagtail_beian/admin/dashboard/deadlines.html"

    def __init__(self, overview):
        self.overview = overview

    def get_context_data(self, parent_context=None):
        overview = self.overview
        due_soon_heading = ngettext(
            "Due within %(days)s working day (SMS confirmation: within %(hours)s hours)",
            "Due within %(days)s working days (SMS confirmation: within %(hours)s hours)",
            due_soon_workdays(),
        ) % {"days": due_soon_workdays(), "hours": int(due_soon_hours())}
        return {
            "groups": [
                self._group("overdue", gettext("Overdue"), overview.overdue, overview.overdue_total),
                self._group("due-soon", due_soon_heading, overview.due_soon, overview.due_soon_total),
            ],
        }

    @staticmethod
    def _group(key, heading, rows, total):
        if total > len(rows):
            summary = ngettext(
                "%(total)s deadline (filings and access transfers); the first %(shown)s are listed.",
                "%(total)s deadlines (filings and access transfers); the first %(shown)s are listed.",
                total,
            ) % {"total": total, "shown": len(rows)}
        elif total:
            summary = ngettext(
                "%(total)s deadline (filings and access transfers).",
                "%(total)s deadlines (filings and access transfers).",
                total,
            ) % {"total": total}
        else:
            summary = gettext("None.")
        return {"key": key, "heading": heading, "rows": rows, "total": total, "summary": summary}


class CalendarWarningPanel(Component):
    """F04: working days of a year are counted Monday–Friday; staff should fill the holiday table."""

    order = 90
    template_name = "wagtail_beian/admin/dashboard/calendar_warning.html"

    def __init__(self, years, holiday_url=None):
        self.years = years
        self.holiday_url = holiday_url

    def get_context_data(self, parent_context=None):
        return {
            "years": ", ".join(str(year) for year in self.years),
            "year_count": len(self.years),
            "holiday_url": self.holiday_url,
        }


def _holiday_table_url(user):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(HolidayOverride)
    if policy.user_has_any_permission(user, ["add", "change", "delete", "view"]):
        return _reverse_or_none(HOLIDAY_INDEX_URL_NAME)
    return None


def filing_panels(request):
    """Counts by state, deadlines, and the calendar warning: for staff who may view filings."""
    if not perms.has_perm(request.user, VIEW_FILING):
        return []
    overview = FilingOverview(request.user)
    panels = [DeadlinesPanel(overview), FilingCountsPanel(overview)]
    if overview.uncovered_years:
        panels.insert(0, CalendarWarningPanel(overview.uncovered_years, _holiday_table_url(request.user)))
    return panels


#: The extension point: ``factory(request) -> list of Component``, called in this order.
PANEL_FACTORIES = [filing_panels]


def dashboard_panels(request):
    panels = []
    for factory in PANEL_FACTORIES:
        panels.extend(factory(request))
    return panels
