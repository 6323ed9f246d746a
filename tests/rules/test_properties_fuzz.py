"""Fuzzing of EVERY public function of ``wagtail_beian.validators`` (hypothesis).

Arbitrary text and unicode (and, for the date functions, arbitrary dates and counts) give either
the documented return value or Django's ``ValidationError`` — never another exception.
The string parsers are fuzzed in test_properties_a.py (``PARSERS``) and the pre-flight in
test_properties_b.py; this module fuzzes the rest and checks that no public function is left out.
"""

import datetime
import inspect

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.test_properties_a import PARSERS, only_validation_errors
from wagtail_beian import validators as v
from wagtail_beian.rules import workdays

# The Monday–Friday fallback for years without holiday data is documented (a warning, not an error).
pytestmark = pytest.mark.filterwarnings("ignore::wagtail_beian.rules.workdays.WorkdayFallbackWarning")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any text, with the characters these rules care about over-represented.
RULE_CHARS = "京川港ICPicp备证号公网安-－.。:/[]0123456789１２AXKBxn--例子中国 \u3000\n,，;\x00\u200b\u202e"
texts = st.one_of(st.text(), st.text(RULE_CHARS, max_size=40))
anything = st.one_of(texts, st.none(), st.integers(), st.floats(allow_nan=True), st.binary(max_size=20))
days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


@pytest.fixture(autouse=True, scope="module")
def _no_override_table():
    with workdays.override_source(None):  # DB-free: the app's override table is not consulted
        yield


def returns(kind):
    def check(result):
        assert isinstance(result, kind), result

    return check


# name → (strategy of argument tuples, check of the documented return value). "parsers" are the
# string parsers fuzzed in test_properties_a.py; "preflight" is fuzzed in test_properties_b.py.
FUZZED = {
    "province_by_abbreviation": (st.tuples(anything), lambda r: r is None or isinstance(r, v.Province)),
    "province_by_code": (st.tuples(anything), lambda r: r is None or isinstance(r, v.Province)),
    "certificate_label": (st.tuples(anything), lambda r: str(r) is not None),
    "mask_certificate_number": (st.tuples(texts), returns(str)),
    "domain_to_unicode": (st.tuples(texts), returns(str)),
    "default_homepage": (st.tuples(texts), returns(str)),
    "required_contact_fields": (st.tuples(anything), returns(frozenset)),
    "normalize_ip_list": (st.tuples(texts), returns(list)),
    "normalize_public_ip": (st.tuples(texts), returns(str)),
    "format_filing_number": (
        st.tuples(texts, st.one_of(st.none(), st.integers(-10, 10 ** 6)), st.one_of(texts, st.sampled_from(v.SERVICE_KINDS))),
        returns(str),
    ),
    "normalize_certificate": (st.tuples(texts, texts, st.booleans()), returns(str)),
    "normalize_uscc": (st.tuples(texts, st.booleans()), returns(str)),
    "validate_mailing_address": (st.tuples(texts, texts), returns(str)),
    "add_workdays": (st.tuples(days, st.integers(-2000, 2000)), returns(datetime.date)),
    "is_workday": (st.tuples(days), returns(bool)),
    "uncovered_years": (st.tuples(days, days), returns(list)),
    "workdays_between": (st.tuples(days, days), returns(int)),
    "check_document_dates": (
        st.tuples(
            st.one_of(
                st.dictionaries(st.one_of(texts, st.sampled_from([k for k, _ in v.DOCUMENT_KINDS])),
                                st.one_of(st.none(), days), max_size=5),
                st.lists(st.tuples(st.sampled_from([k for k, _ in v.DOCUMENT_KINDS]), st.none(),
                                   st.one_of(st.none(), days)), max_size=5),
            ),
            days,
        ),
        returns(list),
    ),
    "required_documents": (
        st.tuples(st.builds(
            v.RequirementInput, individual=st.booleans(), responsible_is_legal_representative=st.booleans(),
            responsible_certificate_type=texts,
            websites=st.lists(st.builds(v.WebsiteRequirementInput, key=st.integers(0, 5),
                                        domain_owner_is_organizer=st.booleans(),
                                        needs_pre_approval=st.booleans()), max_size=3).map(tuple),
        )),
        returns(list),
    ),
    "missing_documents": (
        st.tuples(
            st.lists(st.builds(v.RequiredDocument, kind=texts, website_key=st.one_of(st.none(), st.integers(0, 3)),
                               mandatory=st.booleans(), rule=texts), max_size=5),
            st.lists(st.tuples(texts, st.one_of(st.none(), st.integers(0, 3))), max_size=5),
        ),
        returns(list),
    ),
    "has_errors": (
        st.tuples(st.lists(st.builds(v.Finding, field=texts, rule=texts, severity=st.sampled_from(["error", "warning"]),
                                     message=texts, suggestion=texts), max_size=4)),
        returns(bool),
    ),
}
PARSER_NAMES = {f.__name__ for f in PARSERS if f.__name__ != "<lambda>"}
ELSEWHERE = PARSER_NAMES | {"run_preflight"}  # test_properties_a.py / test_properties_b.py


def public_functions():
    return sorted(name for name in v.__all__ if inspect.isfunction(getattr(v, name)))


def test_every_public_rule_function_is_fuzzed():
    """A new public function in validators.py fails here until it is fuzzed."""
    assert set(public_functions()) <= set(FUZZED) | ELSEWHERE, set(public_functions()) - set(FUZZED) - ELSEWHERE
    assert len(public_functions()) >= 30


@pytest.mark.parametrize("name", sorted(FUZZED))
def test_fuzz_gives_the_documented_result_or_a_validation_error(name):
    arguments, check = FUZZED[name]
    func = getattr(v, name)

    @FUZZ
    @given(arguments)
    def fuzz(args):
        try:
            result = func(*args)
        except ValidationError as error:
            assert error.messages and all(isinstance(m, str) and m.strip() for m in error.messages)
        else:
            assert check(result) is not False, (name, args, result)

    fuzz()


@FUZZ
@given(texts, texts)
def test_any_certificate_type_and_number_only_validation_error(kind, value):
    only_validation_errors(lambda x: v.normalize_certificate(kind, x), value)
