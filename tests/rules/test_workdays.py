"""F04: deadlines in working days (statutory holidays out, adjusted working days in)."""

import datetime
import warnings

import pytest

from wagtail_beian.rules import workdays
from wagtail_beian.rules.workdays import (
    WorkdayFallbackWarning,
    add_workdays,
    fallback_warning,
    is_workday,
    uncovered_years,
    workdays_between,
)

D = datetime.date


@pytest.fixture(autouse=True)
def _no_overrides():
    # The app registers the database-backed table; these tests are DB-free.
    with workdays.override_source(None):
        yield


def test_f04_national_day_week_is_not_counted():
    # 2025: 1–8 October are holidays; Sunday 28 September and Saturday 11 October are
    # adjusted working days (State Council schedule, as shipped by chinese_calendar).
    for day in range(1, 9):
        assert not is_workday(D(2025, 10, day)), D(2025, 10, day)
    assert is_workday(D(2025, 9, 28))
    assert is_workday(D(2025, 10, 11))
    assert is_workday(D(2025, 10, 9))
    # Friday 26 September + 5 working days: Sun 28, Mon 29, Tue 30, then Thu 9, Fri 10.
    assert add_workdays(D(2025, 9, 26), 5) == D(2025, 10, 10)
    # Plain Monday–Friday counting would have said Friday 3 October.
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 8)) == 0


def test_f04_adjusted_saturday_counts():
    saturday = D(2025, 10, 11)
    assert saturday.weekday() == 5
    assert is_workday(saturday)
    # Friday 10 October + 1 working day is that Saturday, not Monday the 13th.
    assert add_workdays(D(2025, 10, 10), 1) == saturday
    assert workdays_between(D(2025, 10, 10), D(2025, 10, 13)) == 2


def test_f04_ordinary_weekend_is_not_counted():
    assert not is_workday(D(2025, 11, 22))  # Saturday
    assert not is_workday(D(2025, 11, 23))  # Sunday
    assert add_workdays(D(2025, 11, 21), 1) == D(2025, 11, 24)


def test_f04_provider_five_working_days():
    submitted = D(2026, 11, 20)  # a Friday
    deadline = add_workdays(submitted, 5)
    assert deadline == D(2026, 11, 27)
    assert workdays_between(submitted, deadline) == 5
    # Days left on the deadline itself is 0, afterwards negative.
    assert workdays_between(deadline, deadline) == 0
    assert workdays_between(D(2026, 11, 30), deadline) == -1


def test_f04_bureau_twenty_working_days_across_spring_festival_2026():
    # Reaches the bureau on Tuesday 10 February 2026. Saturdays 14 and 28 February are
    # adjusted working days, 15–23 February the Spring Festival holiday.
    reached = D(2026, 2, 10)
    assert is_workday(D(2026, 2, 14)) and is_workday(D(2026, 2, 28))
    assert not any(is_workday(D(2026, 2, day)) for day in range(15, 24))
    assert add_workdays(reached, 20) == D(2026, 3, 16)
    # Monday–Friday counting would have given 10 March: six days too early.
    assert workdays_between(reached, D(2026, 3, 10)) == 16


def test_f04_zero_and_negative_counts():
    day = D(2026, 11, 18)  # Wednesday
    assert add_workdays(day, 0) == day
    assert add_workdays(day, -3) == D(2026, 11, 13)
    # Backwards over the adjusted Saturday 10 October 2026 and the National Day week.
    assert add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)  # 1–7 Oct off
    assert add_workdays(D(2026, 10, 12), -1) == D(2026, 10, 10)


def test_f04_unknown_year_falls_back_to_monday_friday_with_warning():
    workdays.clear_cache()
    assert 2027 not in workdays.library_years()
    with pytest.warns(WorkdayFallbackWarning) as record:
        # 1 January 2027 is a Friday; without data it counts as a working day.
        assert is_workday(D(2027, 1, 1))
        assert not is_workday(D(2027, 1, 2))
        assert add_workdays(D(2026, 12, 30), 5) == D(2027, 1, 6)
    # Once per year, not once per day.
    assert [w.message.year for w in record.list] == [2027]
    assert uncovered_years(D(2026, 11, 22), D(2028, 1, 5)) == [2027, 2028]
    assert uncovered_years(D(2026, 1, 1), D(2026, 12, 31)) == []
    message = fallback_warning([2027])
    assert "2027" in message
    assert fallback_warning([]) == ""


def test_f04_fallback_warning_is_emitted_again_after_clear_cache():
    workdays.clear_cache()
    with pytest.warns(WorkdayFallbackWarning):
        is_workday(D(2030, 3, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        is_workday(D(2030, 3, 5))  # already warned: silent
    workdays.clear_cache()
    with pytest.warns(WorkdayFallbackWarning):
        is_workday(D(2030, 3, 6))


def test_f04_override_table_wins():
    table = {
        D(2027, 1, 1): False,  # New Year's Day holiday, Friday
        D(2027, 1, 2): True,  # pretend adjusted working Saturday
        D(2025, 10, 9): False,  # staff correction inside a year the library knows
    }
    calls = []

    def source():
        calls.append(1)
        return table

    previous = workdays.set_override_source(source)
    assert previous is None  # the fixture's "no table"
    assert workdays.get_override_source() is source
    assert not is_workday(D(2027, 1, 1))
    assert is_workday(D(2027, 1, 2))
    assert not is_workday(D(2025, 10, 9))
    # 31 Dec 2026 (Thu) + 1 → Sat 2 Jan 2027 (adjusted), + 2 → Mon 4 Jan.
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 2)
    assert add_workdays(D(2026, 12, 31), 2) == D(2027, 1, 4)
    # A year with staff entries is no longer "uncovered"; no warning either.
    assert uncovered_years(D(2027, 1, 1), D(2027, 12, 31)) == []
    workdays.clear_cache()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        add_workdays(D(2027, 3, 1), 10)
    # The source is read once per call, not once per day.
    calls.clear()
    add_workdays(D(2026, 1, 1), 250)
    assert len(calls) == 1
    with workdays.override_source(None):
        assert is_workday(D(2025, 10, 9))
    assert workdays.get_override_source() is source


def test_f04_datetime_accepted_and_garbage_refused():
    assert is_workday(datetime.datetime(2025, 10, 9, 23, 59))
    with pytest.raises(TypeError):
        is_workday("2025-10-09")
    with pytest.raises(TypeError):
        workdays.set_override_source("not callable")


def test_f04_long_deadline_spans_years_consistently():
    start = D(2026, 1, 5)
    workdays.clear_cache()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WorkdayFallbackWarning)
        end = add_workdays(start, 250)
        assert workdays_between(start, end) == 250
        assert add_workdays(end, -250) == start
