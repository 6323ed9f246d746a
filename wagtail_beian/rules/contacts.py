"""Contact details of subjects and responsible persons (R04, R07)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from ._messages import compact, fail, fold
from .provinces import Province, province_by_code

# R04: a number followed by a house-number unit. Arabic or Chinese numerals; letters may
# prefix or suffix the number (A12号, 12A栋).
_NUMERAL = r"(?:\d+|[零〇一二三四五六七八九十百千两]+)"
_HOUSE_UNIT = r"(?:号院|号楼|号|栋|幢|室|弄|座|单元|层|楼|户|门)"
_HOUSE_NUMBER = re.compile(rf"[A-Za-z]?{_NUMERAL}[A-Za-z]?\s*{_HOUSE_UNIT}")
# English-style addresses: "No. 12" or a leading street number ("12 Renmin Road").
_HOUSE_NUMBER_EN = re.compile(r"\b(?:No\.?|Number|#)\s*\d+|^\s*\d+[A-Za-z]?\s+\w", re.IGNORECASE)


def validate_mailing_address(value, note: str = "") -> str:
    """The mailing address, whitespace-tidied; refused unless it reaches a house number (门牌号)
    or ``note`` explains why it has none (R04)."""
    address = " ".join(fold(value).split())
    if not address:
        raise fail(
            _("Enter the mailing address, down to the house number (门牌号)."), "required"
        )
    if _HOUSE_NUMBER.search(address) or _HOUSE_NUMBER_EN.search(address):
        return address
    if " ".join(fold(note).split()):
        return address
    raise fail(
        _(
            "The mailing address %(value)s stops before the house number (门牌号). Add the "
            "number, e.g. 88号, 3栋1201室 or 12弄; if the address has no number, explain why "
            "in the note."
        ),
        "house_number",
        value=address,
    )


_MOBILE = re.compile(r"1[3-9]\d{9}")


def _strip_country_code(digits: str) -> str:
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


def normalize_mobile(value) -> str:
    """An 11-digit mainland mobile number (R07); +86 / 0086, spaces and dashes are dropped."""
    number = compact(value, " -()")
    if not number:
        raise fail(_("Enter a mobile number, e.g. 13812345678."), "required")
    number = _strip_country_code(number)
    if len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if _MOBILE.fullmatch(number) and number.isascii():
        return number
    raise fail(
        _(
            "%(value)s is not a mainland China mobile number. Enter the 11 digits starting "
            "with 1, e.g. 13812345678 (a leading +86 is fine)."
        ),
        "invalid",
        value=value,
    )


_EXTENSION = re.compile(r"^(?P<main>.*?)\s*(?:转|分机|EXT\.?|X|#)\s*(?P<ext>\d{1,6})$")


def _area_code_length(digits: str) -> int:
    # 3-digit area codes are 010 and 02x; every other code has 4 digits (0[3-9]xx).
    return 3 if digits.startswith(("010", "02")) else 4


def normalize_landline(value) -> str:
    """``(0755) 8888 6666 转 123`` → ``0755-88886666-123``: area code, 7–8 digit number,
    optional extension (R07)."""
    text = fold(value).strip().upper()
    if not text:
        raise fail(_("Enter a landline number, e.g. 010-62345678."), "required")
    ext = ""
    match = _EXTENSION.match(text)
    if match:
        text, ext = match.group("main"), match.group("ext")
    groups = [g for g in re.split(r"[\s\-()]+", text) if g]
    if (
        not ext
        and len(groups) == 3
        and groups[0].startswith("0")
        and len(groups[0]) == _area_code_length(groups[0])
        and len(groups[1]) in (7, 8)
        and len(groups[2]) <= 6
    ):
        # area-number-extension, as in the canonical form "0755-88886666-123"
        ext = groups.pop()
    digits = "".join(groups)
    if digits.startswith("+86") or digits.startswith("0086"):
        digits = _strip_country_code(digits)
        digits = digits if digits.startswith("0") else "0" + digits
    error = fail(
        _(
            "%(value)s is not a landline number. Enter the area code and the 7 or 8 digit "
            "number, e.g. 010-62345678 or 0791-8888666, with any extension after it."
        ),
        "invalid",
        value=value,
    )
    if not (digits.isdigit() and digits.isascii()):
        raise error
    if _MOBILE.fullmatch(digits):
        raise fail(
            _(
                "%(value)s is a mobile number. Enter it as the mobile number, and enter an "
                "office landline here with its area code, e.g. 010-62345678."
            ),
            "mobile_number",
            value=value,
        )
    if not digits.startswith("0") or digits.startswith("00"):
        raise fail(
            _(
                "The landline number %(value)s needs its area code, which starts with 0, "
                "e.g. 010-62345678 or 0791-8888666."
            ),
            "area_code",
            value=value,
        )
    cut = _area_code_length(digits)
    area, local = digits[:cut], digits[cut:]
    if len(local) not in (7, 8) and not ext and len(groups) >= 3:
        # "0755-88886666-123": the last dash group is the extension.
        last = groups[-1]
        if len(local) - len(last) in (7, 8) and len(last) <= 6:
            local, ext = local[: -len(last)], last
    if len(local) not in (7, 8) or local[0] == "0":
        raise error
    return f"{area}-{local}" + (f"-{ext}" if ext else "")


def normalize_email(value) -> str:
    """A valid e-mail address with its domain part lower-cased (R07)."""
    address = fold(value).strip()
    if not address:
        raise fail(_("Enter an e-mail address, e.g. name@example.com."), "required")
    try:
        EmailValidator()(address)
    except ValidationError:
        raise fail(
            _(
                "%(value)s is not a valid e-mail address. Enter an address such as "
                "name@example.com that receives mail."
            ),
            "invalid",
            value=value,
        ) from None
    local, _at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


BASE_CONTACT_FIELDS = frozenset({"mobile", "email"})


def required_contact_fields(province_code) -> frozenset[str]:
    """Contact fields the subject's province requires (R07): mobile and e-mail always,
    the landline too where the bureau asks for it (Jiangxi)."""
    province = province_code
    if not isinstance(province, Province):
        province = province_by_code(province_code)
    if province is not None and province.requires_landline:
        return BASE_CONTACT_FIELDS | {"landline"}
    return BASE_CONTACT_FIELDS
