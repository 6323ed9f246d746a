"""Property tests for the pure rules: idempotence, generated valid numbers, and that no
input makes a validator fail with anything but a ValidationError."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from wagtail_beian.rules.identity import CERTIFICATE_TYPES
from wagtail_beian.rules.provinces import MAINLAND_CODES
from wagtail_beian.validators import (
    PROVINCES,
    domain_to_unicode,
    format_filing_number,
    mask_certificate_number,
    normalize_certificate,
    normalize_domain,
    normalize_email,
    normalize_landline,
    normalize_mobile,
    normalize_resident_id,
    normalize_uscc,
    parse_filing_number,
    parse_licence_number,
    parse_public_security_number,
    parse_subject_number,
    validate_mailing_address,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DIGITS = "0123456789"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def digits(n: int, m: int | None = None):
    return st.text(DIGITS, min_size=n, max_size=n if m is None else m)


# ----------------------------------------------------------------------------- generators


@st.composite
def resident_ids(draw):
    province = draw(st.sampled_from(sorted(MAINLAND_CODES)))
    county = draw(digits(4))  # any county, abolished or unknown: only the province is checked
    birth = draw(st.dates(datetime.date(1900, 1, 1), datetime.date.today()))
    first17 = f"{province}{county}{birth:%Y%m%d}{draw(digits(3))}"
    return first17 + ric.calc_check_digit(first17 + "0")


@st.composite
def usccs(draw):
    first17 = (
        draw(st.text(USCC_ALPHABET, min_size=2, max_size=2))
        + draw(digits(6))
        + draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    )
    return first17 + uscc.calc_check_digit(first17)


@st.composite
def messy(draw, value: str):
    """The same number as a person might type it: lower case, full width, spaces."""
    if draw(st.booleans()):
        value = value.lower()
    if draw(st.booleans()):
        value = value.translate(FULL_WIDTH)
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(value)))
        value = value[:cut] + draw(st.sampled_from([" ", "\u3000", "  "])) + value[cut:]
    return value


ABBREVIATIONS = [a for p in PROVINCES for a in p.abbreviations]


@st.composite
def filing_numbers(draw):
    number = f"{draw(st.sampled_from(ABBREVIATIONS))}ICP备{draw(digits(6, 10))}号"
    if draw(st.booleans()):
        number += f"-{draw(st.integers(1, 9999))}{draw(st.sampled_from(['', 'A', 'X', 'K']))}"
    return number


@st.composite
def licence_numbers(draw):
    abbr = draw(st.sampled_from(ABBREVIATIONS))
    if draw(st.booleans()):
        number = f"{abbr}ICP证{draw(digits(6, 10))}号"
    else:
        number = f"{abbr}{draw(st.sampled_from(['B1', 'B2', 'A2']))}-{draw(digits(8))}"
    if draw(st.booleans()):
        number += f"-{draw(st.integers(1, 9999))}"
    return number


@st.composite
def psb_numbers(draw):
    province = draw(st.sampled_from(PROVINCES))
    abbr = draw(st.sampled_from(province.abbreviations))
    space = draw(st.sampled_from(["", " "]))
    return f"{abbr}公网安备{space}{province.code}{draw(digits(12))}号"


LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True).filter(
    lambda s: s[2:4] != "--"
)
SUFFIXES = ["com", "cn", "com.cn", "net", "org.cn", "中国", "公司", "gov.cn", "xn--fiqs8s", "io"]


@st.composite
def domains(draw):
    label = draw(st.one_of(LABEL, st.text("例子中文网站北京", min_size=1, max_size=6)))
    return f"{label}.{draw(st.sampled_from(SUFFIXES))}"


@st.composite
def mobiles(draw):
    number = "1" + draw(st.sampled_from("3456789")) + draw(digits(9))
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086", "86"]))
    return number, prefix + number


@st.composite
def landlines(draw):
    area = draw(st.sampled_from(["010", "020", "021", "029", "0755", "0791", "0571", "0991"]))
    local = draw(st.sampled_from("23456789")) + draw(digits(6, 7))
    ext = draw(st.one_of(st.just(""), digits(1, 6)))
    sep = draw(st.sampled_from(["-", " ", ""]))
    value = f"{area}{sep}{local}" + (f" 转 {ext}" if ext else "")
    expected = f"{area}-{local}" + (f"-{ext}" if ext else "")
    return expected, value


# ------------------------------------------------------------------- valid numbers survive


@FAST
@given(resident_ids(), st.data())
def test_r06_generated_resident_ids_normalise_and_are_idempotent(number, data):
    typed = data.draw(messy(number))
    assert normalize_resident_id(typed) == number
    assert normalize_resident_id(number) == number
    assert normalize_certificate("resident_id", typed) == number


@FAST
@given(resident_ids())
def test_r06_one_wrong_check_digit_is_always_caught(number):
    wrong = next(c for c in "0123456789X" if c != number[-1])
    with pytest.raises(ValidationError) as info:
        normalize_resident_id(number[:-1] + wrong)
    assert info.value.code == "checksum"


@FAST
@given(usccs(), st.data())
def test_r06_generated_usccs_normalise_and_are_idempotent(number, data):
    typed = data.draw(messy(number))
    assert normalize_uscc(typed) == number
    assert normalize_uscc(normalize_uscc(typed)) == number
    assert normalize_certificate("uscc", typed) == number


@FAST
@given(usccs())
def test_r06_uscc_wrong_check_char_needs_the_override(number):
    wrong = next(c for c in USCC_ALPHABET if c != number[-1])
    bad = number[:-1] + wrong
    with pytest.raises(ValidationError) as info:
        normalize_uscc(bad)
    assert info.value.code == "uscc_checksum"
    assert normalize_uscc(bad, allow_bad_checksum=True) == bad


@FAST
@given(filing_numbers(), st.data())
def test_filing_numbers_round_trip(number, data):
    parsed = parse_filing_number(data.draw(messy(number)))
    assert str(parsed) == number.upper()
    assert parse_filing_number(str(parsed)) == parsed
    assert format_filing_number(parsed) == str(parsed)
    assert str(parse_subject_number(parsed.subject_number)) == parsed.subject_number
    if parsed.site_number is not None:
        assert format_filing_number(parsed.subject_number, parsed.site_number, parsed.service_kind) == str(parsed)
        with pytest.raises(ValidationError):
            parse_subject_number(number)
    with pytest.raises(ValidationError):
        parse_licence_number(number)
    with pytest.raises(ValidationError):
        parse_public_security_number(number)


@FAST
@given(licence_numbers())
def test_licence_numbers_round_trip_and_are_never_filing_numbers(number):
    parsed = parse_licence_number(number)
    assert str(parsed) == number
    assert parse_licence_number(str(parsed)) == parsed
    with pytest.raises(ValidationError):
        parse_filing_number(number)
    with pytest.raises(ValidationError):
        parse_public_security_number(number)


@FAST
@given(psb_numbers())
def test_public_security_numbers_round_trip_and_are_never_icp_numbers(number):
    parsed = parse_public_security_number(number)
    assert parse_public_security_number(str(parsed)) == parsed
    assert number.endswith(parsed.query_code + "号")
    for parser in (parse_filing_number, parse_licence_number):
        with pytest.raises(ValidationError):
            parser(number)


@FAST
@given(domains())
def test_w01_domain_normalisation_is_idempotent_and_spelling_independent(domain):
    try:
        canonical = normalize_domain(domain)
    except ValidationError:
        assume(False)
    assert canonical == canonical.lower() and canonical.isascii()
    assert normalize_domain(canonical) == canonical
    assert normalize_domain(domain_to_unicode(canonical)) == canonical
    assert normalize_domain(domain.upper().replace(".", "。")) == canonical
    with pytest.raises(ValidationError) as info:
        normalize_domain("www." + canonical)
    assert info.value.code == "subdomain"


@FAST
@given(mobiles())
def test_r07_mobile_normalisation(pair):
    expected, typed = pair
    assert normalize_mobile(typed) == expected
    assert normalize_mobile(expected) == expected


@FAST
@given(landlines())
def test_r07_landline_normalisation(pair):
    expected, typed = pair
    assert normalize_landline(typed) == expected
    assert normalize_landline(expected) == expected


@FAST
@given(st.emails())
def test_r07_email_normalisation_is_idempotent(address):
    try:
        once = normalize_email(address)
    except ValidationError:
        assume(False)
    assert normalize_email(once) == once


@FAST
@given(st.text(min_size=1), st.integers(1, 9999), st.sampled_from(["号", "弄", "栋", "室", "号楼"]))
def test_r04_address_with_number_is_idempotent(prefix, number, unit):
    address = validate_mailing_address(f"{prefix}{number}{unit}")
    assert validate_mailing_address(address) == address


@FAST
@given(st.text(max_size=40))
def test_masking_keeps_length_and_hides_the_middle(value):
    masked = mask_certificate_number(value)
    assert len(masked) == len(value)
    if len(value) >= 4:
        assert "*" in masked


# ---------------------------------------------------------------------- no other exceptions

NUMBER_CHARS = "京川港ICPicp备证号公网安-－0123456789１２AXKB 　"
PARSERS = [
    parse_filing_number,
    parse_subject_number,
    parse_licence_number,
    parse_public_security_number,
    format_filing_number,
    normalize_resident_id,
    normalize_uscc,
    normalize_domain,
    normalize_mobile,
    normalize_landline,
    normalize_email,
    validate_mailing_address,
] + [
    (lambda value, kind=kind: normalize_certificate(kind, value))
    for kind, _label in CERTIFICATE_TYPES
]


def only_validation_errors(func, value):
    try:
        result = func(value)
    except ValidationError as error:
        assert error.messages
        assert all(isinstance(m, str) and m.strip() for m in error.messages)
    else:
        assert result is not None


@pytest.mark.parametrize("func", PARSERS)
@FAST
@given(value=st.text())
def test_arbitrary_text_raises_only_validation_error(func, value):
    only_validation_errors(func, value)


@pytest.mark.parametrize("func", PARSERS[:4])
@FAST
@given(value=st.text(NUMBER_CHARS, max_size=30))
def test_number_like_text_raises_only_validation_error(func, value):
    only_validation_errors(func, value)


@pytest.mark.parametrize("func", [normalize_domain, normalize_email])
@FAST
@given(value=st.text("abc.-_:/@[]1。例子中国xn-", max_size=30))
def test_domain_like_text_raises_only_validation_error(func, value):
    only_validation_errors(func, value)
