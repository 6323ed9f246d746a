import pytest

from tests.rules.helpers import error_of, text_of
from wagtail_beian.validators import (
    PROVINCES,
    normalize_email,
    normalize_landline,
    normalize_mobile,
    province_by_code,
    required_contact_fields,
    validate_mailing_address,
)


pytestmark = pytest.mark.usefixtures("english")




# ----------------------------------------------------------------------- mailing address (R04)


@pytest.mark.parametrize(
    "address",
    ["北京市海淀区中关村大街27号", "北京市朝阳区望京东园四区13号楼", "上海市长宁区愚园路1258弄",
     "深圳市南山区科技园科苑路15号科兴科学园B栋3单元1201室", "杭州市西湖区文三路90号院",
     "广州市天河区珠江新城华夏路8号合景国际金融广场A座", "江西省南昌市红谷滩新区5幢",
     "成都市高新区天府三街一号", "北京市海淀区中关村大街２７号", "No. 5 Renmin Road, Beijing",
     "苏州工业园区星湖街328号创意产业园2-B栋"],
)
def test_r04_address_with_house_number_accepted(address):
    assert validate_mailing_address(address)


@pytest.mark.parametrize(
    "address",
    ["北京市海淀区", "北京市海淀区中关村大街", "深圳市南山区科技园", "苏州工业园区",
     "上海市浦东新区张江高科技园区", "广州市天河区珠江新城 A座", "北京市朝阳区望京SOHO"],
)
def test_r04_address_without_house_number_refused(address):
    error = error_of(validate_mailing_address, address)
    assert error.code == "house_number"
    message = text_of(error)
    assert address in message and "house number" in message and "note" in message


def test_r04_address_without_number_accepted_with_note():
    assert validate_mailing_address("内蒙古自治区锡林郭勒盟某牧场", note="牧区地址无门牌号") == "内蒙古自治区锡林郭勒盟某牧场"


def test_r04_blank_note_does_not_excuse_missing_number():
    assert error_of(validate_mailing_address, "北京市海淀区", note="   ").code == "house_number"


def test_r04_address_whitespace_tidied_and_full_width_folded():
    assert validate_mailing_address("  北京市海淀区\u3000中关村大街２７号 \n") == "北京市海淀区 中关村大街27号"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_r04_empty_address_refused(value):
    assert error_of(validate_mailing_address, value).code == "required"


# ------------------------------------------------------------------------------ mobile (R07)


@pytest.mark.parametrize(
    "value",
    ["13812345678", "+86 138 1234 5678", "+86-138-1234-5678", "0086 13812345678", "8613812345678",
     "１３８１２３４５６７８", " 138-1234-5678 ", "(+86) 13812345678"],
)
def test_r07_mobile_normalised_to_eleven_digits(value):
    assert normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize("value", ["19912345678", "16612345678", "15012345678"])
def test_r07_mobile_prefixes_three_to_nine(value):
    assert normalize_mobile(value) == value


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "010-12345678",
                                   "+1 415 555 0100", "abc", "1381234567x"])
def test_r07_invalid_mobile_refused(value):
    error = error_of(normalize_mobile, value)
    assert error.code == "invalid"
    assert "11 digits" in text_of(error)


def test_r07_empty_mobile_refused():
    assert error_of(normalize_mobile, "").code == "required"


# ---------------------------------------------------------------------------- landline (R07)


@pytest.mark.parametrize(
    "value, expected",
    [("010-62345678", "010-62345678"), ("01062345678", "010-62345678"), ("(010) 6234 5678", "010-62345678"),
     ("+86 10 62345678", "010-62345678"), ("0086-10-62345678", "010-62345678"),
     ("021-5123456", "021-5123456"), ("0791-8888666", "0791-8888666"), ("07918888666", "0791-8888666"),
     ("0755 8888 6666", "0755-88886666"), ("(0755) 8888 6666 转 123", "0755-88886666-123"),
     ("0755-88886666-123", "0755-88886666-123"), ("0755-88886666 ext. 12", "0755-88886666-12"),
     ("０７５５－８８８８６６６６", "0755-88886666"), ("010-6234-5678", "010-62345678")],
)
def test_r07_landline_normalised(value, expected):
    assert normalize_landline(value) == expected


def test_r07_mobile_in_landline_field_refused_with_hint():
    error = error_of(normalize_landline, "13812345678")
    assert error.code == "mobile_number"
    assert "mobile" in text_of(error)


@pytest.mark.parametrize("value", ["62345678", "6234-5678"])
def test_r07_landline_without_area_code_refused(value):
    error = error_of(normalize_landline, value)
    assert error.code == "area_code"
    assert "area code" in text_of(error)


@pytest.mark.parametrize("value", ["010-623456", "010-623456789", "0755-02345678", "phone", "010-6234567a"])
def test_r07_malformed_landline_refused(value):
    assert error_of(normalize_landline, value).code == "invalid"


# ------------------------------------------------------------------------------ e-mail (R07)


@pytest.mark.parametrize(
    "value, expected",
    [("Name@Example.COM", "Name@example.com"), (" a.b+tag@example.com.cn ", "a.b+tag@example.com.cn"),
     ("ｘ＠ｅｘａｍｐｌｅ．ｃｏｍ", "x@example.com")],
)
def test_r07_email_domain_lower_cased(value, expected):
    assert normalize_email(value) == expected


@pytest.mark.parametrize("value", ["x@", "@example.com", "x@@example.com", "not an email", "x@example"])
def test_r07_invalid_email_refused(value):
    error = error_of(normalize_email, value)
    assert error.code == "invalid"
    assert "name@example.com" in text_of(error)


def test_r07_empty_email_refused():
    assert error_of(normalize_email, "  ").code == "required"


# ------------------------------------------------------------------ per-province contacts (R07)


def test_r07_jiangxi_requires_landline():
    assert required_contact_fields("36") == {"mobile", "email", "landline"}
    assert required_contact_fields(province_by_code("36")) == {"mobile", "email", "landline"}


def test_r07_mobile_and_email_always_required():
    for province in PROVINCES:
        assert {"mobile", "email"} <= required_contact_fields(province.code)
    assert required_contact_fields("11") == {"mobile", "email"}
    assert isinstance(required_contact_fields("11"), frozenset)


def test_r07_unknown_province_gets_the_base_fields():
    assert required_contact_fields("99") == {"mobile", "email"}
