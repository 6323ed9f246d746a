import pytest
from django.core.exceptions import ValidationError

from tests.rules.helpers import error_of, text_of
from wagtail_beian.validators import (
    SERVICE_KINDS,
    FilingNumber,
    LicenceNumber,
    PublicSecurityNumber,
    format_filing_number,
    parse_filing_number,
    parse_licence_number,
    parse_public_security_number,
    parse_subject_number,
)


pytestmark = pytest.mark.usefixtures("english")




# ------------------------------------------------------------------------- filing numbers


def test_subject_number_parses():
    number = parse_filing_number("京ICP备17042306号")
    assert number == FilingNumber("京", "11", "17042306", None, "website")
    assert number.subject_number == "京ICP备17042306号"
    assert str(number) == "京ICP备17042306号"
    assert number.is_subject_number


def test_website_number_parses():
    number = parse_filing_number("京ICP备17042306号-4")
    assert (number.site_number, number.service_kind) == (4, "website")
    assert number.subject_number == "京ICP备17042306号"
    assert str(number) == "京ICP备17042306号-4"


def test_full_width_input_is_folded():
    number = parse_filing_number("京ICP备１７０４２３０６号－４")
    assert str(number) == "京ICP备17042306号-4"
    assert str(parse_filing_number("京ＩＣＰ备17042306号")) == "京ICP备17042306号"


@pytest.mark.parametrize(
    "value",
    [" 京ICP备17042306号-4 ", "京 ICP 备 17042306 号 - 4", "京icp备17042306号-4", "京ICP备17042306号\u20144",
     "京ICP备17042306号\u3000-4"],
)
def test_spaces_case_and_dashes_are_tolerated(value):
    assert str(parse_filing_number(value)) == "京ICP备17042306号-4"


@pytest.mark.parametrize(
    "value, site, kind",
    [("京ICP备17042306号-4A", 4, "app"), ("京ICP备17042306号-1X", 1, "mini_program"),
     ("京ICP备17042306号-2K", 2, "quick_app"), ("京ICP备17042306号-3a", 3, "app"),
     ("京ICP备17042306号-12", 12, "website")],
)
def test_app_mini_program_quick_app_numbers(value, site, kind):
    number = parse_filing_number(value)
    assert (number.site_number, number.service_kind) == (site, kind)
    assert str(number) == value.upper().replace("ICP", "ICP")
    assert number.subject_number == "京ICP备17042306号"


def test_service_kinds_are_the_four_documented_ones():
    assert set(SERVICE_KINDS) == {"website", "app", "mini_program", "quick_app"}


@pytest.mark.parametrize("digits", ["123456", "17042306", "2021012345"])
def test_six_to_ten_digits_accepted(digits):
    assert parse_filing_number(f"粤ICP备{digits}号-1").digits == digits


@pytest.mark.parametrize("digits", ["12345", "12345678901"])
def test_too_few_or_too_many_digits_refused(digits):
    error = error_of(parse_filing_number, f"粤ICP备{digits}号")
    assert error.code == "invalid"
    assert "6 to 10 digits" in text_of(error)


@pytest.mark.parametrize(
    "legacy, code, current",
    [("川", "51", "蜀"), ("贵", "52", "黔"), ("云", "53", "滇"), ("甘", "62", "陇")],
)
def test_legacy_province_aliases_parse(legacy, code, current):
    number = parse_filing_number(f"{legacy}ICP备12345678号-1")
    assert number.province == legacy  # kept as issued
    assert number.province_code == code
    assert parse_filing_number(f"{current}ICP备12345678号-1").province_code == code


def test_every_province_abbreviation_parses():
    from wagtail_beian.validators import PROVINCES

    for province in PROVINCES:
        number = parse_filing_number(f"{province.abbreviation}ICP备2023000001号-1")
        assert number.province_code == province.code


def test_unknown_province_refused_with_hint():
    error = error_of(parse_filing_number, "港ICP备12345678号")
    assert error.code == "province"
    assert "province abbreviation" in text_of(error)


def test_site_number_zero_refused():
    assert error_of(parse_filing_number, "京ICP备17042306号-0").code == "site_number"


@pytest.mark.parametrize(
    "value",
    ["", "   ", None, "17042306", "京ICP备17042306", "京ICP17042306号", "ICP备17042306号",
     "京ICP备17042306号-", "京ICP备17042306号-4B", "京ICP备17042306号-4-1", "京ICP备17042306号4"],
)
def test_malformed_filing_numbers_refused_with_example(value):
    error = error_of(parse_filing_number, value)
    assert error.code in {"invalid", "required", "province"}
    assert "京ICP备17042306号-4" in text_of(error)


@pytest.mark.parametrize("value", ["京ICP证030173号", "京ICP证030173号-1", "京B2-20090008",
                                   "粤B2-20090059-5"])
def test_licence_numbers_are_not_filing_numbers(value):
    error = error_of(parse_filing_number, value)
    assert error.code == "licence_number"
    message = text_of(error)
    assert "ICP licence number" in message and "filing number" in message
    assert value in message


def test_public_security_number_is_not_a_filing_number():
    error = error_of(parse_filing_number, "京公网安备 11010802020088号")
    assert error.code == "public_security_number"
    assert "public-security" in text_of(error)


# ------------------------------------------------------------------------ subject numbers


def test_subject_number_parse_accepts_subject():
    assert str(parse_subject_number("京ICP备17042306号")) == "京ICP备17042306号"


@pytest.mark.parametrize("value, suffix", [("京ICP备17042306号-4", "-4"), ("京ICP备17042306号-4A", "-4A")])
def test_subject_number_with_site_suffix_refused_with_the_subject_number(value, suffix):
    error = error_of(parse_subject_number, value)
    assert error.code == "site_suffix"
    message = text_of(error)
    assert f'"{suffix}"' in message
    assert message.endswith("京ICP备17042306号.")


# ------------------------------------------------------------------------------ formatting


def test_format_subject_plus_site():
    assert format_filing_number("京ICP备17042306号", 4) == "京ICP备17042306号-4"
    assert format_filing_number("京ICP备17042306号", 4, "app") == "京ICP备17042306号-4A"
    assert format_filing_number("京ICP备17042306号", 1, "mini_program") == "京ICP备17042306号-1X"
    assert format_filing_number("京ICP备17042306号", 2, "quick_app") == "京ICP备17042306号-2K"


def test_format_filing_number_object_round_trips():
    number = parse_filing_number("川ICP备12345678号-1X")
    assert format_filing_number(number) == "川ICP备12345678号-1X"
    assert format_filing_number(number, 7) == "川ICP备12345678号-7"
    assert format_filing_number("京ICP备１７０４２３０６号") == "京ICP备17042306号"


def test_format_replaces_an_existing_site_suffix():
    assert format_filing_number("京ICP备17042306号-4", 5, "app") == "京ICP备17042306号-5A"


def test_format_app_without_site_number_refused():
    assert error_of(format_filing_number, "京ICP备17042306号", None, "app").code == "site_number_required"


def test_format_site_number_below_one_refused():
    assert error_of(format_filing_number, "京ICP备17042306号", 0).code == "site_number"


def test_format_refuses_garbage():
    assert error_of(format_filing_number, "not a number").code == "invalid"


# ------------------------------------------------------------------------ licence numbers


def test_icp_licence_number_parses():
    number = parse_licence_number("京ICP证030173号")
    assert number == LicenceNumber("京", "11", "ICP", "030173", None, "website")
    assert str(number) == number.licence_number == "京ICP证030173号"


def test_icp_licence_number_with_site_and_full_width():
    number = parse_licence_number("京ICP证０３０１７３号－１")
    assert number.site_number == 1
    assert str(number) == "京ICP证030173号-1"


@pytest.mark.parametrize(
    "value, province_code, site",
    [("京B2-20090008", "11", None), ("粤B2-20090059-5", "44", 5), ("沪b2-20040001", "31", None)],
)
def test_telecom_licence_numbers_parse(value, province_code, site):
    number = parse_licence_number(value)
    assert (number.category, number.province_code, number.site_number) == ("B2", province_code, site)
    assert str(number) == value.upper()


def test_licence_parser_refuses_filing_number():
    error = error_of(parse_licence_number, "京ICP备17042306号-1")
    assert error.code == "filing_number"
    message = text_of(error)
    assert "ICP filing number" in message and "京ICP证030173号" in message


def test_licence_parser_refuses_public_security_number():
    error = error_of(parse_licence_number, "京公网安备 11010802020088号")
    assert error.code == "public_security_number"


@pytest.mark.parametrize("value", ["", "京ICP证号", "京B2-2009", "B2-20090008", "京C3-20090008"])
def test_malformed_licence_numbers_refused(value):
    assert error_of(parse_licence_number, value).code in {"invalid", "required", "province"}


# ------------------------------------------------------------------ public-security numbers


@pytest.mark.parametrize(
    "value", ["京公网安备 11010802020088号", "京公网安备11010802020088号", "京公网安备　１１０１０８０２０２００８８号"]
)
def test_public_security_number_parses(value):
    number = parse_public_security_number(value)
    assert number == PublicSecurityNumber("京", "11", "11010802020088")
    assert number.query_code == "11010802020088"
    assert str(number) == "京公网安备 11010802020088号"


def test_public_security_number_with_legacy_province():
    assert parse_public_security_number("川公网安备 51010402000001号").province_code == "51"


def test_public_security_number_must_agree_with_its_province():
    error = error_of(parse_public_security_number, "京公网安备 31010802020088号")
    assert error.code == "province_mismatch"
    message = text_of(error)
    assert "31" in message and "11" in message


@pytest.mark.parametrize("value", ["京公网安备 1101080202008号", "京公网安备 110108020200889号",
                                   "京公网安备 11010802020088", ""])
def test_malformed_public_security_numbers_refused(value):
    error = error_of(parse_public_security_number, value)
    assert error.code in {"invalid", "required"}


@pytest.mark.parametrize(
    "value, code",
    [("京ICP备17042306号-4", "filing_number"), ("京ICP证030173号", "licence_number"),
     ("京B2-20090008", "licence_number")],
)
def test_public_security_parser_refuses_icp_numbers(value, code):
    error = error_of(parse_public_security_number, value)
    assert error.code == code
    assert "京公网安备 11010802020088号" in text_of(error)


def test_messages_carry_the_value_as_a_param():
    error = error_of(parse_filing_number, "京ICP证030173号")
    assert error.params["value"] == "京ICP证030173号"


@pytest.mark.parametrize("kind", ["", "web", "网站", "APP"])
def test_an_unknown_service_kind_is_a_validation_error_not_a_crash(kind):
    # found by the fuzz test (hypothesis): an import or a form may pass any text as the kind
    with pytest.raises(ValidationError) as error:
        format_filing_number("京ICP备000000号-1", None, kind)
    assert error.value.code == "service_kind"
