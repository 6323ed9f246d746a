"""Certificate types and number formats for subjects and responsible persons (R06, R06b).

Checksums come from python-stdnum (``stdnum.cn.ric`` GB 11643, ``stdnum.cn.uscc`` GB 32100);
only the pieces are used, never ``ric.validate`` / ``uscc.validate`` as a whole:

* ``ric.validate`` rejects abolished and newer county codes, yet real cards carry them (the
  code is where the card was first issued; python-stdnum issue #442). We check the 2-digit
  province only.
* ``uscc.validate`` requires 8 leading digits, but positions 1–2 are the registration
  authority and category codes, which may be letters (``N`` agriculture, ``Y`` other,
  ``A`` military). GB 32100 only demands the code charset there.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import ric, uscc

from ._messages import compact, fail
from .provinces import MAINLAND_CODES

USCC = "uscc"
ORG_CODE = "org_code"
INSTITUTION = "institution"
SOCIAL_ORG = "social_org"
PRIVATE_NON_ENTERPRISE = "private_non_enterprise"
FOUNDATION = "foundation"
LAW_FIRM = "law_firm"
RESIDENT_ID = "resident_id"
PASSPORT = "passport"
HK_MACAU_PERMIT = "hk_macau_permit"
TAIWAN_PERMIT = "taiwan_permit"
HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent_residence"

CERTIFICATE_TYPES = (
    (USCC, gettext_lazy("Business licence / unified social credit code")),
    (ORG_CODE, gettext_lazy("Organisation code certificate")),
    (INSTITUTION, gettext_lazy("Public institution legal person certificate")),
    (SOCIAL_ORG, gettext_lazy("Social organisation legal person registration certificate")),
    (PRIVATE_NON_ENTERPRISE, gettext_lazy("Private non-enterprise unit registration certificate")),
    (FOUNDATION, gettext_lazy("Foundation legal person registration certificate")),
    (LAW_FIRM, gettext_lazy("Law firm practice licence")),
    (RESIDENT_ID, gettext_lazy("Resident identity card")),
    (PASSPORT, gettext_lazy("Passport")),
    (HK_MACAU_PERMIT, gettext_lazy("Mainland travel permit for Hong Kong and Macao residents")),
    (TAIWAN_PERMIT, gettext_lazy("Mainland travel permit for Taiwan residents")),
    (
        HMT_RESIDENCE_PERMIT,
        gettext_lazy("Residence permit for Hong Kong, Macao and Taiwan residents"),
    ),
    (FOREIGN_PERMANENT_RESIDENCE, gettext_lazy("Foreigner's permanent residence ID card")),
)
_TYPE_CODES = frozenset(code for code, _label in CERTIFICATE_TYPES)

#: Organisation certificates: these bodies have USCCs now, older certificates a legacy number.
ORGANISATION_TYPES = frozenset({USCC, ORG_CODE, INSTITUTION, SOCIAL_ORG,
                                PRIVATE_NON_ENTERPRISE, FOUNDATION, LAW_FIRM})
#: Personal certificates (individual subjects and every responsible person, R06b).
PERSONAL_TYPES = frozenset({RESIDENT_ID, PASSPORT, HK_MACAU_PERMIT, TAIWAN_PERMIT,
                            HMT_RESIDENCE_PERMIT, FOREIGN_PERMANENT_RESIDENCE})

# Separators people type inside certificate numbers (after NFKC folding).
_SEPARATORS = " -_./·"
_EARLIEST_BIRTH_YEAR = 1900


def _clean(value, separators: str = _SEPARATORS) -> str:
    return compact(value, separators).upper()


def _required(text: str, what) -> None:
    if not text:
        raise fail(_("Enter the %(what)s number."), "required", what=what)


# ------------------------------------------------------------------------ GB 11643 numbers


def _check_gb11643(number: str, value, what, *, province_codes) -> str:
    """Shared checks of an 18-character GB 11643 number (ID card, residence permits)."""
    if len(number) != 18:
        raise fail(
            _(
                "The %(what)s number %(value)s has %(length)s characters; it must have 18 "
                "(17 digits and a last character that is a digit or X)."
            ),
            "length",
            what=what,
            value=value,
            length=len(number),
        )
    if not (number[:17].isdigit() and number[:17].isascii() and number[17] in "0123456789X"):
        raise fail(
            _(
                "The %(what)s number %(value)s may only contain digits, and X as the last "
                "character. Check the number on the card."
            ),
            "invalid",
            what=what,
            value=value,
        )
    if number[:2] not in province_codes:
        raise fail(
            _(
                "The %(what)s number %(value)s starts with %(code)s, which is not a valid "
                "region code for this card. Check the first digits on the card."
            ),
            "province",
            what=what,
            value=value,
            code=number[:2],
        )
    try:
        birth = ric.get_birth_date(number)
    except Exception:
        birth = None
    if birth is None or birth.year < _EARLIEST_BIRTH_YEAR or birth > datetime.date.today():
        raise fail(
            _(
                "The %(what)s number %(value)s contains an impossible birth date (digits 7 to "
                "14, %(date)s). Check the number on the card."
            ),
            "birth_date",
            what=what,
            value=value,
            date=number[6:14],
        )
    if ric.calc_check_digit(number) != number[17]:
        raise fail(
            _(
                "The %(what)s number %(value)s has a wrong check digit (last character). Check "
                "the number on the card; the last character is a digit or X."
            ),
            "checksum",
            what=what,
            value=value,
        )
    return number


def normalize_resident_id(value) -> str:
    """Canonical 18-character resident ID number (R06); only the province part of the
    region code is checked, never the county."""
    what = _("ID card")
    number = _clean(value)
    _required(number, what)
    if len(number) == 15 and number.isdigit():
        raise fail(
            _(
                "%(value)s is a 15-digit first-generation ID number, which is no longer valid. "
                "Enter the 18-digit number of the current ID card."
            ),
            "first_generation",
            value=value,
        )
    return _check_gb11643(number, value, what, province_codes=MAINLAND_CODES)


def _hmt_residence_permit(value) -> str:
    what = _("residence permit")
    number = _clean(value)
    _required(number, what)
    if len(number) == 18 and number[:6] not in ("810000", "820000", "830000"):
        raise fail(
            _(
                "The residence permit number %(value)s must start with 810000 (Hong Kong), "
                "820000 (Macao) or 830000 (Taiwan). Check the number on the permit."
            ),
            "province",
            value=value,
        )
    return _check_gb11643(number, value, what, province_codes={"81", "82", "83"})


def _foreign_permanent_residence(value) -> str:
    what = _("permanent residence ID card")
    number = _clean(value)
    _required(number, what)
    # 2017 format: 3-letter nationality (ISO 3166-1 alpha-3) + 12 digits.
    if re.fullmatch(r"[A-Z]{3}\d{12}", number):
        return number
    # 2023 format: 18 characters starting with 9, GB 11643 check digit.
    if len(number) == 18 and number.startswith("9"):
        if not (number[:17].isdigit() and number[17] in "0123456789X"):
            raise fail(
                _(
                    "The permanent residence ID card number %(value)s may only contain digits, "
                    "and X as the last character. Check the number on the card."
                ),
                "invalid",
                value=value,
            )
        if ric.calc_check_digit(number) != number[17]:
            raise fail(
                _(
                    "The permanent residence ID card number %(value)s has a wrong check digit "
                    "(last character). Check the number on the card."
                ),
                "checksum",
                value=value,
            )
        return number
    raise fail(
        _(
            "%(value)s is not a foreigner's permanent residence ID card number. Enter the 18 "
            "characters of the new card (starting with 9) or the 15 characters of the old one "
            "(3 letters and 12 digits)."
        ),
        "invalid",
        value=value,
    )


# ------------------------------------------------------------------------ GB 32100 (USCC)

_USCC_ALPHABET = uscc._alphabet  # 0-9 and A-Y without I, O, S, V, Z
_USCC_RE = re.compile(rf"[{_USCC_ALPHABET}]{{2}}\d{{6}}[{_USCC_ALPHABET}]{{10}}")


def normalize_uscc(value, allow_bad_checksum: bool = False) -> str:
    """Canonical 18-character unified social credit code (R06).

    A checksum failure raises code ``"uscc_checksum"``; some early codes are real yet fail
    it, so a reviewer may pass ``allow_bad_checksum=True`` (and the caller logs that).
    """
    number = _clean(value)
    _required(number, _("unified social credit code"))
    if len(number) != 18:
        raise fail(
            _(
                "The unified social credit code %(value)s has %(length)s characters; it must "
                "have 18. Copy it from the business licence (or the organisation's certificate)."
            ),
            "length",
            value=value,
            length=len(number),
        )
    if not _USCC_RE.fullmatch(number):
        raise fail(
            _(
                "The unified social credit code %(value)s contains characters that cannot "
                "occur in it: characters 3 to 8 are digits, the others digits or capital "
                "letters except I, O, S, V and Z. Check the code on the business licence."
            ),
            "invalid",
            value=value,
        )
    if uscc.calc_check_digit(number) != number[17] and not allow_bad_checksum:
        raise fail(
            _(
                "The unified social credit code %(value)s has a wrong check character (last "
                "character). Check the code on the business licence. If the licence really "
                "shows this code, a reviewer can accept it."
            ),
            "uscc_checksum",
            value=value,
        )
    return number


# ------------------------------------------------------------------ GB 11714 (org code)

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check_char(body: str) -> str:
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_code(value) -> str:
    number = _clean(value)
    _required(number, _("organisation code"))
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", number):
        raise fail(
            _(
                "%(value)s is not an organisation code. Enter the 9 characters on the "
                "certificate: 8 digits or capital letters, then the check character (a digit "
                "or X), e.g. 12345678-5."
            ),
            "invalid",
            value=value,
        )
    if _org_code_check_char(number[:8]) != number[8]:
        raise fail(
            _(
                "The organisation code %(value)s has a wrong check character (after the dash). "
                "Check the code on the certificate."
            ),
            "checksum",
            value=value,
        )
    return f"{number[:8]}-{number[8]}"


# ------------------------------------------------------------------ other certificates


def _organisation(value, allow_bad_checksum: bool) -> str:
    """Institutions, social organisations, foundations, law firms: a USCC or a legacy number.

    Legacy certificate numbers have no single published format (e.g. 事证第110000001234号,
    京民证字第0123号), so they only get a sanity check: 4 to 40 characters including a digit.
    """
    number = _clean(value)
    _required(number, _("certificate"))
    if len(number) == 18 and _USCC_RE.fullmatch(number):
        return normalize_uscc(number, allow_bad_checksum=allow_bad_checksum)
    if (
        4 <= len(number) <= 40
        and any(ch.isdigit() for ch in number)
        and re.fullmatch(r"[0-9A-Z()\u4e00-\u9fff]+", number)
    ):
        return number
    raise fail(
        _(
            "%(value)s is not a certificate number. Enter the 18-character unified social "
            "credit code, or the number printed on the certificate."
        ),
        "invalid",
        value=value,
    )


def _passport(value) -> str:
    # Chinese passports are E/G + 8 digits or E + letter + 7 digits; foreign passports vary,
    # so any 5-17 letters and digits with at least one digit is accepted.
    number = _clean(value)
    _required(number, _("passport"))
    if re.fullmatch(r"[0-9A-Z]{5,17}", number) and any(ch.isdigit() for ch in number):
        return number
    raise fail(
        _(
            "%(value)s is not a passport number. Enter the number on the passport's photo page "
            "(letters and digits only, e.g. E12345678)."
        ),
        "invalid",
        value=value,
    )


def _hk_macau_permit(value) -> str:
    number = _clean(value, _SEPARATORS + "()")
    _required(number, _("permit"))
    if re.fullmatch(r"[HM](\d{8}|\d{10})", number):
        return number
    raise fail(
        _(
            "%(value)s is not a Hong Kong/Macao travel permit number. Enter H (Hong Kong) or M "
            "(Macao) followed by the 8 digits (10 on older permits), e.g. H12345678."
        ),
        "invalid",
        value=value,
    )


def _taiwan_permit(value) -> str:
    number = _clean(value, _SEPARATORS + "()")
    _required(number, _("permit"))
    if re.fullmatch(r"\d{8}|\d{10}", number):
        return number
    raise fail(
        _(
            "%(value)s is not a Taiwan travel permit number. Enter the 8 digits on the permit "
            "(10 digits on older permits), e.g. 12345678."
        ),
        "invalid",
        value=value,
    )


def normalize_certificate(certificate_type, value, allow_bad_checksum: bool = False) -> str:
    """Canonical number for any certificate type in ``CERTIFICATE_TYPES``.

    ``allow_bad_checksum`` is the reviewer override for USCC checksums (R06); it never
    relaxes a personal ID's check digit.
    """
    if certificate_type == USCC:
        return normalize_uscc(value, allow_bad_checksum=allow_bad_checksum)
    if certificate_type == ORG_CODE:
        number = _clean(value)
        if len(number) == 18:  # since 2015 the USCC replaces the organisation code
            return normalize_uscc(number, allow_bad_checksum=allow_bad_checksum)
        return _org_code(value)
    if certificate_type in (INSTITUTION, SOCIAL_ORG, PRIVATE_NON_ENTERPRISE, FOUNDATION, LAW_FIRM):
        return _organisation(value, allow_bad_checksum)
    if certificate_type == RESIDENT_ID:
        return normalize_resident_id(value)
    if certificate_type == PASSPORT:
        return _passport(value)
    if certificate_type == HK_MACAU_PERMIT:
        return _hk_macau_permit(value)
    if certificate_type == TAIWAN_PERMIT:
        return _taiwan_permit(value)
    if certificate_type == HMT_RESIDENCE_PERMIT:
        return _hmt_residence_permit(value)
    if certificate_type == FOREIGN_PERMANENT_RESIDENCE:
        return _foreign_permanent_residence(value)
    raise fail(
        _("%(type)s is not a known certificate type. Choose one of: %(choices)s."),
        "certificate_type",
        type=certificate_type,
        choices=", ".join(sorted(_TYPE_CODES)),
    )


def certificate_label(certificate_type):
    """The (lazy, translatable) label of a certificate type code, or the code itself."""
    return dict(CERTIFICATE_TYPES).get(certificate_type, certificate_type)


def mask_certificate_number(value) -> str:
    """``110105194912310021`` → ``110105********0021``: enough to recognise, not to reuse (PIPL)."""
    text = "" if value is None else str(value)
    n = len(text)
    if n >= 14:
        head, tail = 6, 4
    else:
        head = tail = n // 4
    return text[:head] + "*" * (n - head - tail) + text[n - tail :] if n else ""
