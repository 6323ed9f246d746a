import datetime

import pytest
from stdnum.cn import ric, uscc

from tests.rules.helpers import error_of, text_of
from wagtail_beian.validators import (
    CERTIFICATE_TYPES,
    ORGANISATION_TYPES,
    PERSONAL_TYPES,
    certificate_label,
    mask_certificate_number,
    normalize_certificate,
    normalize_resident_id,
    normalize_uscc,
)


pytestmark = pytest.mark.usefixtures("english")




def with_ric_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def with_uscc_check(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


VALID_ID = "11010519491231002X"
VALID_USCC = "91110000600037341L"


# ------------------------------------------------------------------------ types table


def test_r06b_certificate_types_table_has_every_documented_type():
    codes = [code for code, _label in CERTIFICATE_TYPES]
    assert codes == [
        "uscc", "org_code", "institution", "social_org", "private_non_enterprise", "foundation",
        "law_firm", "resident_id", "passport", "hk_macau_permit", "taiwan_permit",
        "hmt_residence_permit", "foreign_permanent_residence",
    ]
    assert all(str(label) for _code, label in CERTIFICATE_TYPES)
    assert ORGANISATION_TYPES | PERSONAL_TYPES == set(codes)
    assert not ORGANISATION_TYPES & PERSONAL_TYPES


def test_certificate_labels_are_lazy_and_translatable():
    label = certificate_label("resident_id")
    assert str(label) == "Resident identity card"
    assert certificate_label("nope") == "nope"


# ------------------------------------------------------------------------ resident ID (R06)


def test_r06_resident_id_valid_number_returned_canonical():
    assert normalize_resident_id(VALID_ID) == VALID_ID


def test_r06_resident_id_lowercase_x_normalised():
    assert normalize_resident_id("11010519491231002x") == VALID_ID


@pytest.mark.parametrize(
    "value",
    ["１１０１０５１９４９１２３１００２Ｘ", " 110105 19491231 002X ", "110105-19491231-002x",
     "110105\u300019491231002X"],
)
def test_r06_resident_id_full_width_and_separators_folded(value):
    assert normalize_resident_id(value) == VALID_ID


def test_r06_resident_id_wrong_check_digit_refused():
    error = error_of(normalize_resident_id, "110105194912310021")
    assert error.code == "checksum"
    message = text_of(error)
    assert "110105194912310021" in message and "check digit" in message and "X" in message


def test_r06_resident_id_abolished_county_code_accepted():
    # 110103 崇文区 was merged away in 2010 but its cards are still valid.
    number = with_ric_check("11010319900101002")
    assert normalize_resident_id(number) == number


def test_r06_resident_id_county_newer_than_birth_year_accepted():
    # python-stdnum's full validate() rejects these (upstream issue #442); real cards carry them.
    for first17 in ("11011919800101001", "36010219700301004", "51010419880808005"):
        number = with_ric_check(first17)
        with pytest.raises(Exception):
            ric.validate(number)
        assert normalize_resident_id(number) == number


def test_r06_resident_id_unknown_county_with_valid_province_accepted():
    number = with_ric_check("11999919850615003")
    assert normalize_resident_id(number) == number


@pytest.mark.parametrize("province", ["00", "10", "20", "71", "81", "91", "99"])
def test_r06_resident_id_invalid_province_refused(province):
    error = error_of(normalize_resident_id, with_ric_check(province + "010519491231002"))
    assert error.code == "province"


def test_r06_resident_id_impossible_birth_date_refused():
    error = error_of(normalize_resident_id, with_ric_check("11010519490231002"))
    assert error.code == "birth_date"
    assert "19490231" in text_of(error)


def test_r06_resident_id_future_birth_date_refused():
    future = datetime.date.today() + datetime.timedelta(days=400)
    error = error_of(normalize_resident_id, with_ric_check(f"110105{future:%Y%m%d}002"))
    assert error.code == "birth_date"


def test_r06_resident_id_leap_day_accepted():
    number = with_ric_check("11010520000229007")
    assert normalize_resident_id(number) == number


def test_r06_resident_id_first_generation_15_digits_refused():
    error = error_of(normalize_resident_id, "110105491231002")
    assert error.code == "first_generation"
    assert "18-digit" in text_of(error)


@pytest.mark.parametrize("value, code", [("", "required"), (None, "required"),
                                         ("1101051949123100", "length"),
                                         ("1101051949123100XX", "invalid"),
                                         ("11010519491231002Y", "invalid"),
                                         ("A1010519491231002X", "invalid")])
def test_r06_resident_id_malformed_refused(value, code):
    assert error_of(normalize_resident_id, value).code == code


# ---------------------------------------------------------------------------- USCC (R06)


def test_r06_uscc_valid_and_lower_case_normalised():
    assert normalize_uscc(VALID_USCC) == VALID_USCC
    assert normalize_uscc("91110000600037341l") == VALID_USCC
    assert normalize_uscc("９１１１００００６０００３７３４１Ｌ") == VALID_USCC
    assert normalize_uscc(" 9111 0000 6000 3734 1L ") == VALID_USCC


def test_r06_uscc_with_letter_authority_code_accepted():
    # 'N' (agriculture) in position 1 is legal under GB 32100 although stdnum's validate()
    # insists on 8 leading digits.
    number = with_uscc_check("N2110000MA0XXXXX0")
    assert normalize_uscc(number) == number


def test_r06_uscc_bad_checksum_has_its_own_code():
    error = error_of(normalize_uscc, "91110000600037341M")
    assert error.code == "uscc_checksum"
    assert "reviewer" in text_of(error)


def test_r06_uscc_reviewer_override_accepts_bad_checksum_only():
    assert normalize_uscc("91110000600037341m", allow_bad_checksum=True) == "91110000600037341M"
    # the override never relaxes the format
    assert error_of(normalize_uscc, "9111000060003734", allow_bad_checksum=True).code == "length"
    assert error_of(normalize_uscc, "91110000600037341I", allow_bad_checksum=True).code == "invalid"


@pytest.mark.parametrize(
    "value, code",
    [("", "required"), ("12345", "length"), ("9111000060003734100", "length"),
     ("911100006000373O1L", "invalid"), ("91AB0000600037341L", "invalid")],
)
def test_r06_uscc_malformed_refused(value, code):
    assert error_of(normalize_uscc, value).code == code


# -------------------------------------------------------------- normalize_certificate (R06b)


def test_r06b_dispatch_uscc_and_resident_id():
    assert normalize_certificate("uscc", "91110000600037341l") == VALID_USCC
    assert normalize_certificate("resident_id", "11010519491231002x") == VALID_ID


def test_r06b_uscc_override_passes_through_dispatch():
    assert error_of(normalize_certificate, "uscc", "91110000600037341M").code == "uscc_checksum"
    assert normalize_certificate("uscc", "91110000600037341M", allow_bad_checksum=True)


def test_r06b_override_never_relaxes_personal_id_checksum():
    error = error_of(normalize_certificate, "resident_id", "110105194912310021", allow_bad_checksum=True)
    assert error.code == "checksum"


@pytest.mark.parametrize("value", ["60003734-1", "600037341", "D2143569-X", "d2143569x", "６０００３７３４－１"])
def test_r06b_org_code_with_valid_check_char(value):
    assert normalize_certificate("org_code", value) in {"60003734-1", "D2143569-X"}


def test_r06b_org_code_wrong_check_char_refused():
    error = error_of(normalize_certificate, "org_code", "60003734-2")
    assert error.code == "checksum"


@pytest.mark.parametrize("value", ["6000373", "60003734-12", "6000-37?4-1"])
def test_r06b_org_code_malformed_refused(value):
    assert error_of(normalize_certificate, "org_code", value).code == "invalid"


def test_r06b_org_code_field_accepts_the_uscc_that_replaced_it():
    assert normalize_certificate("org_code", VALID_USCC) == VALID_USCC


@pytest.mark.parametrize("kind", ["institution", "social_org", "private_non_enterprise", "foundation", "law_firm"])
def test_r06b_organisations_accept_uscc_or_legacy_number(kind):
    law_firm_uscc = with_uscc_check("31110000E00017525")
    assert normalize_certificate(kind, law_firm_uscc.lower()) == law_firm_uscc
    assert normalize_certificate(kind, "事证第110000001234号") == "事证第110000001234号"
    assert normalize_certificate(kind, "京民证字第0123号") == "京民证字第0123号"


@pytest.mark.parametrize("kind", ["institution", "social_org", "foundation", "law_firm"])
def test_r06b_organisations_uscc_checksum_enforced_with_override(kind):
    bad = VALID_USCC[:-1] + "M"
    assert error_of(normalize_certificate, kind, bad).code == "uscc_checksum"
    assert normalize_certificate(kind, bad, allow_bad_checksum=True) == bad


@pytest.mark.parametrize("value", ["", "abc", "第号", "1" * 41, "12<script>34"])
def test_r06b_organisations_refuse_nonsense(value):
    assert error_of(normalize_certificate, "institution", value).code in {"invalid", "required"}


@pytest.mark.parametrize("value, expected", [("E12345678", "E12345678"), ("g 1234 5678", "G12345678"),
                                             ("EA1234567", "EA1234567"), ("C01X00T47", "C01X00T47")])
def test_r06b_passport_accepted(value, expected):
    assert normalize_certificate("passport", value) == expected


@pytest.mark.parametrize("value", ["", "ABCDEFGH", "E12", "E1234567890123456789", "E1234567!"])
def test_r06b_passport_refused(value):
    assert error_of(normalize_certificate, "passport", value).code in {"invalid", "required"}


@pytest.mark.parametrize("value, expected", [("H12345678", "H12345678"), ("m1234567890", "M1234567890"),
                                             ("Ｈ１２３４５６７８", "H12345678")])
def test_r06b_hk_macau_permit_accepted(value, expected):
    assert normalize_certificate("hk_macau_permit", value) == expected


@pytest.mark.parametrize("value", ["X12345678", "H1234567", "H123456789", "12345678"])
def test_r06b_hk_macau_permit_refused(value):
    error = error_of(normalize_certificate, "hk_macau_permit", value)
    assert error.code == "invalid"
    assert "H12345678" in text_of(error)


@pytest.mark.parametrize("value", ["12345678", "1234567890", "1234-5678"])
def test_r06b_taiwan_permit_accepted(value):
    assert normalize_certificate("taiwan_permit", value).isdigit()


@pytest.mark.parametrize("value", ["1234567", "123456789", "T12345678"])
def test_r06b_taiwan_permit_refused(value):
    assert error_of(normalize_certificate, "taiwan_permit", value).code == "invalid"


@pytest.mark.parametrize("first17", ["81000019900101001", "82000019850505002", "83000019700707003"])
def test_r06b_hmt_residence_permit_accepted(first17):
    number = with_ric_check(first17)
    assert normalize_certificate("hmt_residence_permit", number.lower()) == number


def test_r06b_hmt_residence_permit_refuses_mainland_id_and_bad_checksum():
    assert error_of(normalize_certificate, "hmt_residence_permit", VALID_ID).code == "province"
    good = with_ric_check("81000019900101001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert error_of(normalize_certificate, "hmt_residence_permit", bad).code == "checksum"


def test_r06b_foreign_permanent_residence_new_and_old_format():
    new = with_ric_check("93315619800101001")
    assert normalize_certificate("foreign_permanent_residence", new) == new
    assert normalize_certificate("foreign_permanent_residence", "usa110080010101") == "USA110080010101"


def test_r06b_foreign_permanent_residence_refused():
    new = with_ric_check("93315619800101001")
    bad = new[:-1] + ("0" if new[-1] != "0" else "1")
    assert error_of(normalize_certificate, "foreign_permanent_residence", bad).code == "checksum"
    assert error_of(normalize_certificate, "foreign_permanent_residence", "US1100800101").code == "invalid"
    assert error_of(normalize_certificate, "foreign_permanent_residence", VALID_ID).code == "invalid"


def test_r06b_unknown_certificate_type_refused():
    error = error_of(normalize_certificate, "driving_licence", "123")
    assert error.code == "certificate_type"
    assert "resident_id" in text_of(error)


# ---------------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    "value, masked",
    [("11010519491231002X", "110105********002X"), ("91110000600037341L", "911100********341L"),
     ("E12345678", "E1*****78"), ("H1234567890", "H1*******90"), ("1234", "1**4"), ("12", "**"), ("", "")],
)
def test_mask_certificate_number(value, masked):
    assert mask_certificate_number(value) == masked


def test_mask_never_reveals_most_of_a_short_number():
    for n in range(1, 14):
        masked = mask_certificate_number("7" * n)
        assert len(masked) == n
        assert masked.count("*") >= n / 2
