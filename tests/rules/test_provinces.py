import pytest

from wagtail_beian.validators import (
    PROVINCES,
    Province,
    province_by_abbreviation,
    province_by_code,
)

CURRENT = "京津沪渝冀豫滇辽黑湘皖鲁新苏浙赣鄂桂陇晋蒙陕吉闽黔粤青藏蜀宁琼"


def test_thirty_one_mainland_provinces_with_the_domain_abbreviations():
    assert len(PROVINCES) == 31
    assert sorted(p.abbreviation for p in PROVINCES) == sorted(CURRENT)
    assert len({p.code for p in PROVINCES}) == 31
    assert all(len(p.code) == 2 and p.code.isdigit() for p in PROVINCES)
    assert all(p.name for p in PROVINCES)


def test_province_is_frozen():
    with pytest.raises(AttributeError):
        PROVINCES[0].code = "99"


@pytest.mark.parametrize(
    "abbr, code, name",
    [("京", "11", "北京市"), ("沪", "31", "上海市"), ("粤", "44", "广东省"), ("蜀", "51", "四川省"),
     ("黔", "52", "贵州省"), ("滇", "53", "云南省"), ("陇", "62", "甘肃省"), ("新", "65", "新疆维吾尔自治区"),
     ("赣", "36", "江西省"), ("蒙", "15", "内蒙古自治区")],
)
def test_lookup_by_current_abbreviation_and_code(abbr, code, name):
    province = province_by_abbreviation(abbr)
    assert isinstance(province, Province)
    assert (province.code, province.name) == (code, name)
    assert province_by_code(code) is province


@pytest.mark.parametrize("legacy, current, code", [("川", "蜀", "51"), ("贵", "黔", "52"),
                                                   ("云", "滇", "53"), ("甘", "陇", "62")])
def test_legacy_abbreviations_resolve_to_the_same_province(legacy, current, code):
    province = province_by_abbreviation(legacy)
    assert province is province_by_abbreviation(current)
    assert province.code == code
    assert legacy in province.legacy_abbreviations


def test_province_by_code_accepts_int_and_six_digit_division_code():
    assert province_by_code(11).abbreviation == "京"
    assert province_by_code("440000").abbreviation == "粤"
    assert province_by_code("440305").abbreviation == "粤"


@pytest.mark.parametrize("bad", ["港", "澳", "台", "", "京京", None, 1, "ICP"])
def test_unknown_abbreviation_is_none(bad):
    assert province_by_abbreviation(bad) is None


@pytest.mark.parametrize("bad", ["71", "81", "82", "00", "1", "", None, "abc", "1100", True])
def test_unknown_code_is_none(bad):
    assert province_by_code(bad) is None


def test_r07_jiangxi_requires_landline_and_no_other_province_does():
    assert province_by_code("36").requires_landline is True
    assert [p.abbreviation for p in PROVINCES if p.requires_landline] == ["赣"]
