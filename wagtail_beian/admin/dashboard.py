"""Dashboard panels on the Wagtail home page (hooked in by ``construct_homepage_panels``).

Extension point: :data:`PANEL_FACTORIES`. Each factory is called with the request and returns
a list of panels (``[]`` when the user may not see them, so each factory checks its own
permission). The staff-ticket panel of the service-support work (服务支持) is meant to be
appended there, e.g. ``PANEL_FACTORIES.append(ticket_panels)``; no placeholder panel is shown
before tickets exist.

The filing panels cost a fixed number of queries whatever the number of filings: one for the
counts by state, one aggregate for the deadline totals and the span of running deadlines, one
for each list of at most :data:`MAX_ROWS` rows (subjects joined), plus the holiday table, read
once and cached (signals.py).
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from wagtail.admin.ui.components import Component

from .. import permissions as perms
from ..models import DeadlineKind, Filing, FilingKind, FilingState, HolidayOverride
from ..models.filings import TERMINAL_STATES
from ..rules import workdays

VIEW_FILING = f"{perms.APP}.view_filing"
#: The filing listing and its reviewer detail (admin/filings.py); without them, no links.
FILING_INDEX_URL_NAME = "wagtail_beian_filings:index"
FILING_DETAIL_URL_NAME = "wagtail_beian_filings:inspect"
HOLIDAY_INDEX_URL_NAME = "beian_holiday_overrides:index"

#: A working-day deadline is "due soon" within this many working days (F04).
DUE_SOON_WORKDAYS = 2
#: The 24-hour SMS confirmation is "due soon" within this many hours (F04).
DUE_SOON_SMS_HOURS = 6
#: Rows listed per deadline table; the total is shown beside it.
MAX_ROWS = 10

#: States in which a deadline no longer runs, whatever the row says.
_FINISHED_STATES = [*TERMINAL_STATES, FilingState.APPROVED]


def _reverse_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# ------------------------------------------------------------------------------ data


@dataclass
class DeadlineRow:
    filing: Filing
    organizer: str
    state: str
    kind: str
    deadline_kind: str
    due_at: datetime.datetime
    overdue: bool
    time_left: str
    url: str | None


def time_left_text(filing, now, today):
    """"3 working days left", "Overdue by 1 working day", "5 hours left", ... (F04)."""
    if filing.deadline_kind == DeadlineKind.SMS:
        seconds = (filing.deadline_at - now).total_seconds()
        hours = math.floor(abs(seconds) / 3600)
        if seconds >= 0:
            if hours < 1:
                return gettext("Less than 1 hour left")
            return ngettext("%(n)s hour left", "%(n)s hours left", hours) % {"n": hours}
        if hours < 1:
            return gettext("Overdue by less than 1 hour")
        return ngettext("Overdue by %(n)s hour", "Overdue by %(n)s hours", hours) % {"n": hours}

    left = workdays.workdays_between(today, timezone.localdate(filing.deadline_at))
    if filing.deadline_at < now:
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
        # "Within 2 working days" = before the start of the 3rd working day from today.
        self.due_soon_cutoff = _start_of_day(workdays.add_workdays(self.today, DUE_SOON_WORKDAYS + 1))
        running = Filing.objects.filter(deadline_at__isnull=False).exclude(state__in=_FINISHED_STATES)
        overdue = Q(deadline_at__lt=now)
        due_soon = Q(deadline_at__gte=now) & (
            Q(deadline_kind=DeadlineKind.SMS, deadline_at__lte=now + datetime.timedelta(hours=DUE_SOON_SMS_HOURS))
            | (~Q(deadline_kind=DeadlineKind.SMS) & Q(deadline_at__lt=self.due_soon_cutoff))
        )
        stats = running.aggregate(
            overdue=Count("pk", filter=overdue), due_soon=Count("pk", filter=due_soon),
            first=Min("deadline_at"), last=Max("deadline_at"),
        )
        self.overdue_total, self.due_soon_total = stats["overdue"], stats["due_soon"]

        def rows(condition):
            filings = running.filter(condition).select_related("subject").order_by("deadline_at", "pk")[:MAX_ROWS]
            return [self._row(filing) for filing in filings]

        self.overdue = rows(overdue) if self.overdue_total else []
        self.due_soon = rows(due_soon) if self.due_soon_total else []

        # F04: years the running deadlines (and the due-soon window) were counted Monday–Friday.
        first = min(filter(None, [stats["first"], now]))
        last = max(filter(None, [stats["last"], self.due_soon_cutoff]))
        self.uncovered_years = workdays.uncovered_years(timezone.localdate(first), timezone.localdate(last))

    def _row(self, filing):
        subject = getattr(filing, "subject", None)
        return DeadlineRow(
            filing=filing,
            organizer=getattr(subject, "name", "") or gettext("(no organizer yet)"),
            state=filing.get_state_display(),
            kind=filing.get_kind_display(),
            deadline_kind=filing.get_deadline_kind_display(),
            due_at=filing.deadline_at,
            overdue=filing.deadline_at < self.now,
            time_left=time_left_text(filing, self.now, self.today),
            url=_reverse_or_none(FILING_DETAIL_URL_NAME, filing.pk),
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
            DUE_SOON_WORKDAYS,
        ) % {"days": DUE_SOON_WORKDAYS, "hours": DUE_SOON_SMS_HOURS}
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
                "%(total)s filing; the first %(shown)s are listed.",
                "%(total)s filings; the first %(shown)s are listed.",
                total,
            ) % {"total": total, "shown": len(rows)}
        elif total:
            summary = ngettext("%(total)s filing.", "%(total)s filings.", total) % {"total": total}
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
