"""The 31 mainland provincial divisions that issue ICP filing numbers.

Codes are the first two digits of the GB/T 2260 administrative division code; the
abbreviation is the first character of every filing number the province issues.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    code: str
    abbreviation: str
    name: str
    legacy_abbreviations: tuple[str, ...] = ()
    # R07: some bureaus also require an office landline for the subject's contacts
    # (Jiangxi: landline and mobile, seed 002 四-3).
    requires_landline: bool = False

    @property
    def abbreviations(self) -> tuple[str, ...]:
        return (self.abbreviation, *self.legacy_abbreviations)

    def __str__(self) -> str:
        return self.name


PROVINCES: tuple[Province, ...] = (
    Province("11", "京", "北京市"),
    Province("12", "津", "天津市"),
    Province("13", "冀", "河北省"),
    Province("14", "晋", "山西省"),
    Province("15", "蒙", "内蒙古自治区"),
    Province("21", "辽", "辽宁省"),
    Province("22", "吉", "吉林省"),
    Province("23", "黑", "黑龙江省"),
    Province("31", "沪", "上海市"),
    Province("32", "苏", "江苏省"),
    Province("33", "浙", "浙江省"),
    Province("34", "皖", "安徽省"),
    Province("35", "闽", "福建省"),
    Province("36", "赣", "江西省", requires_landline=True),
    Province("37", "鲁", "山东省"),
    Province("41", "豫", "河南省"),
    Province("42", "鄂", "湖北省"),
    Province("43", "湘", "湖南省"),
    Province("44", "粤", "广东省"),
    Province("45", "桂", "广西壮族自治区"),
    Province("46", "琼", "海南省"),
    Province("50", "渝", "重庆市"),
    # Older numbers of these four use the other common abbreviation (川, 贵, 云, 甘).
    Province("51", "蜀", "四川省", legacy_abbreviations=("川",)),
    Province("52", "黔", "贵州省", legacy_abbreviations=("贵",)),
    Province("53", "滇", "云南省", legacy_abbreviations=("云",)),
    Province("54", "藏", "西藏自治区"),
    Province("61", "陕", "陕西省"),
    Province("62", "陇", "甘肃省", legacy_abbreviations=("甘",)),
    Province("63", "青", "青海省"),
    Province("64", "宁", "宁夏回族自治区"),
    Province("65", "新", "新疆维吾尔自治区"),
)

_BY_ABBREVIATION = {abbr: p for p in PROVINCES for abbr in p.abbreviations}
_BY_CODE = {p.code: p for p in PROVINCES}

#: Every abbreviation a filing, licence or public-security number may start with.
ALL_ABBREVIATIONS: str = "".join(_BY_ABBREVIATION)
#: The 2-digit codes of the mainland provinces (a resident ID starts with one of them).
MAINLAND_CODES: frozenset[str] = frozenset(_BY_CODE)


def province_by_abbreviation(char) -> Province | None:
    """The province for a current or legacy abbreviation (``"川"`` → Sichuan), else None."""
    if not isinstance(char, str):
        return None
    return _BY_ABBREVIATION.get(char.strip())


def province_by_code(code) -> Province | None:
    """The province for a 2-digit code (``"11"``, ``11``) or a 6-digit one (``"110000"``)."""
    if code is None or isinstance(code, bool):
        return None
    text = str(code).strip()
    if len(text) == 6 and text.isdigit():
        text = text[:2]
    return _BY_CODE.get(text)
