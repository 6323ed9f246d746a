import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rules.helpers import error_of
from wagtail_beian.validators import normalize_ip_list, normalize_public_ip

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize("value,expected", [(" 101.200.0.7 ", "101.200.0.7"), ("2400:3200::1", "2400:3200::1"),
                                            ("2400:3200:0:0::1", "2400:3200::1")])
def test_f08_public_ip_canonical(value, expected):
    assert normalize_public_ip(value) == expected


@pytest.mark.parametrize("value,code", [("10.0.0.1", "ip_private"), ("192.168.1.1", "ip_private"), ("127.0.0.1", "ip_private"),
                                        ("203.0.113.5", "ip_private"), ("example.com", "ip"), ("1.2.3", "ip"), ("", "ip")])
def test_f08_non_public_or_malformed_ip_refused(value, code):
    error = error_of(normalize_public_ip, value)
    assert error.code == code


def test_f08_ip_list_one_per_line_or_comma():
    assert normalize_ip_list("101.200.0.7\n 101.200.0.8, 2400:3200::1\n\n") == ["101.200.0.7", "101.200.0.8", "2400:3200::1"]
    assert error_of(normalize_ip_list, " \n ").code == "ip_required"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_ip_rules_raise_only_validation_errors(text):
    for func in (normalize_public_ip, normalize_ip_list):
        try:
            func(text)
        except ValidationError:
            pass
