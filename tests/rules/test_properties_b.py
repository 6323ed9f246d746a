"""Property tests (hypothesis) for working days (F04) and the pre-flight check."""

import datetime
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_beian.rules import workdays
from wagtail_beian.rules.documents import DOCUMENT_KINDS
from wagtail_beian.rules.preflight import (
    ERROR,
    WARNING,
    DocumentData,
    FilingData,
    Finding,
    SubjectData,
    WebsiteData,
    run_preflight,
)
from wagtail_beian.rules.workdays import add_workdays, is_workday, workdays_between

ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True, scope="module")
def _no_override_table():
    # The app registers the database-backed table; these properties are DB-free.
    with workdays.override_source(None):
        yield

# The library's years plus a few it does not know (Monday–Friday fallback).
days = st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=300)




@given(days, counts)
def test_f04_between_inverts_add(day, n):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", workdays.WorkdayFallbackWarning)
        deadline = add_workdays(day, n)
        assert workdays_between(day, deadline) == n
        if n:
            # The deadline is a working day and the earliest date with n working days.
            assert is_workday(deadline)
            assert workdays_between(day, deadline - ONE_DAY) == n - 1


@given(days, st.integers(min_value=-300, max_value=300))
def test_f04_going_back_undoes_going_forward_from_a_working_day(day, n):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", workdays.WorkdayFallbackWarning)
        while not is_workday(day):
            day += ONE_DAY
        assert add_workdays(add_workdays(day, n), -n) == day


@given(days, st.integers(min_value=1, max_value=300))
def test_f04_backwards_lands_on_the_nth_working_day_before(day, n):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", workdays.WorkdayFallbackWarning)
        earlier = add_workdays(day, -n)
        assert earlier < day and is_workday(earlier)
        assert workdays_between(earlier, day) == n - 1 + is_workday(day)


@given(days, counts, counts)
def test_f04_add_is_additive(day, m, n):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", workdays.WorkdayFallbackWarning)
        assert add_workdays(add_workdays(day, m), n) == add_workdays(day, m + n)


@given(days, days, days)
def test_f04_between_is_additive_and_antisymmetric(a, b, c):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", workdays.WorkdayFallbackWarning)
        assert workdays_between(a, b) + workdays_between(b, c) == workdays_between(a, c)
        assert workdays_between(a, b) == -workdays_between(b, a)
        assert abs(workdays_between(a, b)) <= abs((b - a).days)


@given(st.dates(min_value=datetime.date(2027, 1, 1), max_value=datetime.date(2040, 12, 31)))
def test_f04_unknown_years_count_five_days_a_week(day):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", workdays.WorkdayFallbackWarning)
        assert workdays_between(day, day + datetime.timedelta(days=7)) == 5
        assert is_workday(day) == (day.weekday() < 5)


@given(st.dictionaries(days, st.booleans(), max_size=30), days, counts)
def test_f04_override_table_always_wins(table, day, n):
    with workdays.override_source(lambda: table), warnings.catch_warnings():
        warnings.simplefilter("ignore", workdays.WorkdayFallbackWarning)
        for when, working in table.items():
            assert is_workday(when) is working
        assert workdays_between(day, add_workdays(day, n)) == n


# ---------------------------------------------------------------------- pre-flight

text = st.one_of(st.text(max_size=40), st.sampled_from([
    "", " ", "\u3000", "91110000600037341L", "11010519491231002x", "uscc", "resident_id",
    "passport", "36", "11", "www.example.com", "例子.中国", "http://x", "1.2.3.4", "新闻论坛",
    "0791-88886666", "13812345678", "a@b.cn", "北京市海淀区1号",
]))
codes = st.frozensets(text, max_size=4)
keys = st.one_of(st.none(), st.integers(min_value=-3, max_value=5), text)
optional_dates = st.one_of(st.none(), st.dates())

subjects = st.builds(
    SubjectData,
    nature_code=text, nature_is_individual=st.booleans(), allowed_certificate_types=codes,
    name=text, certificate_type=text, certificate_number=text, certificate_override=st.booleans(),
    investor=text, province_code=text, residence_address=text, mailing_address=text,
    mailing_address_note=text, responsible_name=text, responsible_certificate_type=text,
    responsible_certificate_number=text, responsible_is_legal_representative=st.booleans(),
    responsible_allowed_certificate_types=codes,
    responsible_mobile=text, responsible_landline=text, responsible_email=text,
)
websites = st.builds(
    WebsiteData,
    key=keys, name=text, domain=text, homepage=text, service_content_codes=codes,
    individual_refused_content_codes=codes, pre_approval_category_codes=codes,
    pre_approval_document_number=text, pre_approval_keywords=st.lists(text, max_size=4).map(tuple),
    domain_owner_is_organizer=st.booleans(), responsible_name=text,
    responsible_certificate_type=text, responsible_certificate_number=text,
    responsible_mobile=text, responsible_landline=text, responsible_email=text,
)
kinds = st.one_of(st.sampled_from([code for code, _label in DOCUMENT_KINDS]), text)
document_data = st.builds(DocumentData, kind=kinds, website_key=keys, date=optional_dates)
filings = st.builds(
    FilingData,
    subject=subjects,
    websites=st.lists(websites, max_size=3).map(tuple),
    documents=st.lists(document_data, max_size=8).map(tuple),
    created=optional_dates,
    code_names=st.dictionaries(text, text, max_size=3),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filings)
def test_preflight_never_raises_and_always_explains(data):
    findings = run_preflight(data)
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.severity in (ERROR, WARNING)
        assert finding.field.split(".")[0] in ("subject", "websites", "documents")
        assert finding.rule
        assert isinstance(finding.message, str) and finding.message.strip()
        assert isinstance(finding.suggestion, str) and finding.suggestion.strip()
        assert set(finding.as_dict()) == {"field", "rule", "severity", "message", "suggestion"}
    # Anything blank is reported, never silently accepted.
    if not str(data.subject.name or "").strip():
        assert any(f.field == "subject.name" for f in findings)
