"""Working days (F04): the one place that counts them.

A day is a working day when, in this order of precedence:

1. the staff-edited override table says so (a statutory holiday, or an adjusted
   working day 调休 on a weekend), else
2. ``chinese_calendar`` knows its year (it ships the State Council schedule up to
   its release), else
3. it is Monday to Friday. Years handled this way are "uncovered": callers show
   :func:`fallback_warning` and a :class:`WorkdayFallbackWarning` is emitted once
   per year, so a deadline that crosses into an unpublished year is never silent.

The override table lives in the database, but this module stays DB-free: the
models layer registers a (cached) callable with :func:`set_override_source`.
Every public function reads the source once per call, so counting 250 working
days costs one read, not 350.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping

import chinese_calendar
from django.utils.translation import ngettext

__all__ = [
    "WorkdayFallbackWarning",
    "add_workdays",
    "clear_cache",
    "fallback_warning",
    "get_override_source",
    "is_workday",
    "library_years",
    "override_source",
    "set_override_source",
    "uncovered_years",
    "workdays_between",
]

OverrideSource = Callable[[], Mapping[datetime.date, bool]]

# The library's own tables, read once at import. Same range test as the library's
# ``_validate_date`` (min/max year of its holiday table), without rescanning the
# table on every call as the library does.
_LIB_HOLIDAYS = frozenset(chinese_calendar.holidays)
_LIB_WORKDAYS = frozenset(chinese_calendar.workdays)
_LIB_FIRST_YEAR = min(day.year for day in _LIB_HOLIDAYS)
_LIB_LAST_YEAR = max(day.year for day in _LIB_HOLIDAYS)

_override_source: OverrideSource | None = None
_warned_years: set[int] = set()
_lock = threading.Lock()


class WorkdayFallbackWarning(UserWarning):
    """Working days of a year were counted Monday–Friday (no holiday data for it)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"No statutory holiday data for {year}: working days are counted Monday to "
            f"Friday. Enter {year}'s holidays and adjusted working days in the holiday table."
        )


def library_years() -> range:
    """Years that ``chinese_calendar`` knows (inclusive range)."""
    return range(_LIB_FIRST_YEAR, _LIB_LAST_YEAR + 1)


def set_override_source(func: OverrideSource | None) -> OverrideSource | None:
    """Register the staff-edited holiday table: ``func()`` returns {date: is_working_day}.

    ``None`` removes it. Returns the previous source (to restore it). The callable is
    invoked once per public call of this module, so a database-backed source should
    cache (and be invalidated when staff edit it).
    """
    global _override_source
    if func is not None and not callable(func):
        raise TypeError("set_override_source() expects a callable or None")
    previous, _override_source = _override_source, func
    clear_cache()
    return previous


def get_override_source() -> OverrideSource | None:
    return _override_source


@contextlib.contextmanager
def override_source(func: OverrideSource | None):
    """Use another source (``None``: the library and Mon–Fri only) inside a ``with`` block."""
    previous = set_override_source(func)
    try:
        yield
    finally:
        set_override_source(previous)


def clear_cache() -> None:
    """Forget which years already emitted a :class:`WorkdayFallbackWarning`."""
    with _lock:
        _warned_years.clear()


class _Calendar:
    """One snapshot of the override table, used for the duration of one public call."""

    __slots__ = ("overrides", "override_years")

    def __init__(self):
        source = _override_source
        overrides = dict(source() or {}) if source is not None else {}
        self.overrides: dict[datetime.date, bool] = {
            _as_date(day): bool(working) for day, working in overrides.items()
        }
        self.override_years = frozenset(day.year for day in self.overrides)

    def is_covered(self, year: int) -> bool:
        return _LIB_FIRST_YEAR <= year <= _LIB_LAST_YEAR or year in self.override_years

    def is_workday(self, day: datetime.date) -> bool:
        working = self.overrides.get(day)
        if working is not None:
            return working
        if _LIB_FIRST_YEAR <= day.year <= _LIB_LAST_YEAR:
            return day in _LIB_WORKDAYS or (day.weekday() < 5 and day not in _LIB_HOLIDAYS)
        if day.year not in self.override_years:
            _warn_fallback(day.year)
        return day.weekday() < 5


def _warn_fallback(year: int) -> None:
    with _lock:
        if year in _warned_years:
            return
        _warned_years.add(year)
    warnings.warn(WorkdayFallbackWarning(year), stacklevel=4)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"expected a datetime.date, got {type(value).__name__}")


def is_workday(day: datetime.date) -> bool:
    """True when ``day`` is a working day (override table > chinese_calendar > Mon–Fri)."""
    return _Calendar().is_workday(_as_date(day))


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The date ``n`` working days after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start``; the result of ``n > 0`` is always a working day
    ("the provider pre-checks within 5 working days" = ``add_workdays(submitted, 5)``).
    Negative ``n`` returns the ``|n|``-th working day before ``start``.
    """
    day = _as_date(start)
    n = int(n)
    if n == 0:
        return day
    calendar = _Calendar()
    step = datetime.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if calendar.is_workday(day):
            remaining -= 1
    return day


def workdays_between(a: datetime.date, b: datetime.date) -> int:
    """Working days in the half-open interval (a, b]; negative when ``b < a``.

    "Working days left until the deadline" = ``workdays_between(today, deadline)``:
    0 on the deadline itself, negative once it has passed.
    """
    a, b = _as_date(a), _as_date(b)
    if a == b:
        return 0
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    calendar = _Calendar()
    one = datetime.timedelta(days=1)
    count = 0
    day = a + one
    while day <= b:
        if calendar.is_workday(day):
            count += 1
        day += one
    return sign * count


def uncovered_years(start: datetime.date, end: datetime.date) -> list[int]:
    """Years between ``start`` and ``end`` (either order, inclusive) that are counted
    Monday–Friday: unknown to ``chinese_calendar`` and absent from the override table."""
    first, last = sorted((_as_date(start).year, _as_date(end).year))
    calendar = _Calendar()
    return [year for year in range(first, last + 1) if not calendar.is_covered(year)]


def fallback_warning(years: Iterable[int]) -> str:
    """A translated, user-visible warning for deadlines counted Monday–Friday ("" if none)."""
    years = sorted(set(years))
    if not years:
        return ""
    return ngettext(
        "The official holiday calendar for %(years)s is not available yet, so working "
        "days in that year are counted Monday to Friday and this deadline may be off. "
        "Ask staff to enter that year's statutory holidays and adjusted working days "
        "in the holiday table.",
        "The official holiday calendars for %(years)s are not available yet, so working "
        "days in those years are counted Monday to Friday and this deadline may be off. "
        "Ask staff to enter those years' statutory holidays and adjusted working days "
        "in the holiday table.",
        len(years),
    ) % {"years": ", ".join(str(year) for year in years)}
