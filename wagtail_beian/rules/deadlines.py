"""Deadline policy (F04, W05): how long each deadline runs, when its day ends, what "due soon" means.

The one place for it. ``Filing`` sets its deadlines with :func:`due_at`; an access transfer's
deadlines are computed with it; the admin dashboard, the listing's deadline filter, the deadline
monitor and the descriptions of time left use :func:`end_of_day` and :func:`due_soon_until`, with
the "due soon" window of ``services.deadlines.due_soon_workdays`` / ``due_soon_hours`` (the settings
``WAGTAIL_BEIAN_DEADLINE_WARNING_WORKDAYS`` and ``WAGTAIL_BEIAN_SMS_WARNING_HOURS``, defaulting to
the values below).

Kinds are the values of ``models.DeadlineKind``, which takes them from here.
"""

import datetime

from django.utils import timezone

from . import workdays

PROVIDER, SMS, BUREAU, WEBSITE_ADDITION = "provider", "sms", "bureau", "website"

#: Working days a deadline runs from the day it starts: the provider verifies within 5 (F04), the
#: bureau decides within 20 (MIIT order 33 art. 12), a website added to an approved subject reaches
#: the bureau within 7 (W05).
WORKDAYS = {PROVIDER: 5, BUREAU: 20, WEBSITE_ADDITION: 7}
#: Hours the responsible person has to confirm the bureau's SMS (F04).
HOURS = {SMS: 24}

#: "Due soon": a working-day deadline within this many working days, the SMS within this many hours.
DUE_SOON_WORKDAYS = 2
DUE_SOON_HOURS = 6

#: A working-day deadline ends at the end of its last day, local time.
END_OF_DAY = datetime.time(23, 59, 59)


def end_of_day(day):
    """The moment a working-day deadline falling on ``day`` ends (aware, current time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, END_OF_DAY))


def due_at(kind, start):
    """When a deadline of ``kind`` that starts at ``start`` (an aware datetime) falls due."""
    if kind in HOURS:
        return start + datetime.timedelta(hours=HOURS[kind])
    return end_of_day(workdays.add_workdays(timezone.localdate(start), WORKDAYS[kind]))


def due_soon_until(today, days):
    """The last moment a working-day deadline counts as due within ``days`` working days of
    ``today``: the end of the day before the (days + 1)-th working day after it (so a weekend or
    holiday after the last working day is included)."""
    return end_of_day(workdays.add_workdays(today, days + 1) - datetime.timedelta(days=1))
