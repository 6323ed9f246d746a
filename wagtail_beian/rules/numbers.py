"""Filing, licence and public-security numbers: parsed and formatted here and nowhere else.

* filing number (备案号): ``京ICP备17042306号`` (subject), ``京ICP备17042306号-4`` (website),
  ``-4A`` app, ``-1X`` mini-program, ``-2K`` quick app;
* ICP licence number (经营许可证): ``京ICP证030173号`` or ``京B2-20090008``, optionally ``-N``;
* public-security filing number (公安备案): ``京公网安备 11010802020088号``.

Each parser recognises the other two kinds and refuses them with a message that says what
was entered and where it belongs, so the three are never confused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ._messages import compact, fail
from .provinces import ALL_ABBREVIATIONS, Province, province_by_abbreviation

WEBSITE = "website"
APP = "app"
MINI_PROGRAM = "mini_program"
QUICK_APP = "quick_app"
SERVICE_KINDS = (WEBSITE, APP, MINI_PROGRAM, QUICK_APP)

_KIND_BY_LETTER = {"": WEBSITE, "A": APP, "X": MINI_PROGRAM, "K": QUICK_APP}
_LETTER_BY_KIND = {kind: letter for letter, kind in _KIND_BY_LETTER.items()}

_ABBR = f"[{ALL_ABBREVIATIONS}]"
_SUFFIX = r"(?:-(?P<site>\d{1,4})(?P<kind>[AXK])?)?"

_FILING_RE = re.compile(rf"^(?P<abbr>{_ABBR})ICP备(?P<digits>\d{{6,10}})号{_SUFFIX}$")
_ICP_LICENCE_RE = re.compile(rf"^(?P<abbr>{_ABBR})ICP证(?P<digits>\d{{6,10}})号{_SUFFIX}$")
_TELECOM_LICENCE_RE = re.compile(
    rf"^(?P<abbr>{_ABBR})(?P<category>[AB][12](?:[.、][AB][12])*)-(?P<digits>\d{{8}}){_SUFFIX}$"
)
_PSB_RE = re.compile(rf"^(?P<abbr>{_ABBR})公网安备(?P<digits>\d{{14}})号$")

# Loose shapes, only to recognise what kind of number someone typed in the wrong field.
_LOOKS_LIKE_LICENCE = re.compile(r"ICP证|^.?[AB][12](?:[.、][AB][12])*-\d")
_LOOKS_LIKE_PSB = re.compile(r"公网安备|公安备案|^.?公网安")
_LOOKS_LIKE_FILING = re.compile(r"ICP备")

FILING_EXAMPLE = "京ICP备17042306号-4"
LICENCE_EXAMPLE = "京ICP证030173号"
PSB_EXAMPLE = "京公网安备 11010802020088号"


def _clean(value) -> str:
    # NFKC folds full-width digits, letters and "－"; spaces never matter in these numbers.
    return compact(value, separators="").upper()


def _province(abbr: str) -> Province:
    province = province_by_abbreviation(abbr)
    assert province is not None  # the regexes only admit known abbreviations
    return province


def _site(match) -> tuple[int | None, str]:
    site = match.group("site")
    if site is None:
        return None, WEBSITE
    number = int(site)
    if number < 1:
        raise fail(
            _(
                "The website number after the dash in %(value)s must be 1 or more. Enter the "
                "number as shown in the filing system, e.g. %(example)s."
            ),
            "site_number",
            value=match.string,
            example=FILING_EXAMPLE,
        )
    return number, _KIND_BY_LETTER[match.group("kind") or ""]


def _suffix(site_number: int | None, service_kind: str) -> str:
    if site_number is None:
        return ""
    return f"-{site_number}{_LETTER_BY_KIND[service_kind]}"


def _kind_name(kind: str) -> str:
    return {
        "filing": _("ICP filing number (备案号)"),
        "licence": _("ICP licence number (经营许可证)"),
        "public_security": _("public-security filing number (公安备案号)"),
    }[kind]


_EXAMPLES = {"filing": FILING_EXAMPLE, "licence": LICENCE_EXAMPLE, "public_security": PSB_EXAMPLE}


def _refuse_other_kinds(text: str, original, expected: str) -> None:
    """Refuse a licence / PSB / filing number typed where another kind is expected."""
    found = None
    if expected != "licence" and _LOOKS_LIKE_LICENCE.search(text):
        found, code = "licence", "licence_number"
    elif expected != "public_security" and _LOOKS_LIKE_PSB.search(text):
        found, code = "public_security", "public_security_number"
    elif expected != "filing" and _LOOKS_LIKE_FILING.search(text):
        found, code = "filing", "filing_number"
    if found is None:
        return
    raise fail(
        _(
            "%(value)s is the %(found)s, which has its own field. Here enter the "
            "%(expected)s, e.g. %(example)s."
        ),
        code,
        value=original,
        found=_kind_name(found),
        expected=_kind_name(expected),
        example=_EXAMPLES[expected],
    )


def _refuse_unknown_province(text: str, original, example: str, *patterns) -> None:
    """A number of the right shape whose first character is no (or a wrong) province."""
    if not text or text[0] in ALL_ABBREVIATIONS:
        return
    if any(p.match("京" + text[1:]) or p.match("京" + text) for p in patterns):
        raise fail(
            _(
                "%(value)s does not start with a province abbreviation. The number starts with "
                "the one-character abbreviation of the issuing province (京, 沪, 粤, 蜀 ...), "
                "e.g. %(example)s."
            ),
            "province",
            value=original,
            example=example,
        )


def _required(text: str, example: str) -> None:
    if not text:
        raise fail(_("Enter a number, e.g. %(example)s."), "required", example=example)


# --------------------------------------------------------------------------- filing numbers


@dataclass(frozen=True)
class FilingNumber:
    province: str  # abbreviation as written in the number (legacy 川 stays 川)
    province_code: str
    digits: str
    site_number: int | None = None
    service_kind: str = WEBSITE

    @property
    def subject_number(self) -> str:
        return f"{self.province}ICP备{self.digits}号"

    @property
    def is_subject_number(self) -> bool:
        return self.site_number is None

    def __str__(self) -> str:
        return self.subject_number + _suffix(self.site_number, self.service_kind)


def parse_filing_number(value) -> FilingNumber:
    """Parse a subject or website/app filing number; anything else is a ValidationError."""
    text = _clean(value)
    _required(text, FILING_EXAMPLE)
    match = _FILING_RE.match(text)
    if match is None:
        _refuse_other_kinds(text, value, "filing")
        _refuse_unknown_province(text, value, FILING_EXAMPLE, _FILING_RE)
        raise fail(
            _(
                "%(value)s is not an ICP filing number. A filing number is the province "
                "abbreviation, ICP备, 6 to 10 digits and 号, optionally followed by the website "
                "number, e.g. %(example)s (apps end in A, mini-programs in X, quick apps in K)."
            ),
            "invalid",
            value=value,
            example=FILING_EXAMPLE,
        )
    site_number, kind = _site(match)
    abbr = match.group("abbr")
    return FilingNumber(abbr, _province(abbr).code, match.group("digits"), site_number, kind)


def parse_subject_number(value) -> FilingNumber:
    """Parse a subject filing number: refused with a hint when it carries a ``-N`` suffix."""
    number = parse_filing_number(value)
    if number.site_number is not None:
        raise fail(
            _(
                "%(value)s is the number of one website or app, not of the subject. Enter the "
                "subject number without the \"-%(suffix)s\" at the end: %(subject)s."
            ),
            "site_suffix",
            value=value,
            suffix=str(number)[len(number.subject_number) + 1 :],
            subject=number.subject_number,
        )
    return number


def format_filing_number(
    subject_number_or_filing_number, site_number: int | None = None, service_kind: str = WEBSITE
) -> str:
    """``format_filing_number("京ICP备17042306号", 4, "app")`` → ``"京ICP备17042306号-4A"``.

    Given a FilingNumber (or a full number) and no ``site_number``, the number is formatted
    as it stands; a ``site_number`` replaces any site suffix it has.
    """
    number = subject_number_or_filing_number
    if not isinstance(number, FilingNumber):
        number = parse_filing_number(number)
    if service_kind not in SERVICE_KINDS:  # a value from outside (an import, a form): a validation error
        raise fail(
            _("Unknown kind of filed service “%(kind)s”: website, app, mini-program or quick app."),
            "service_kind", kind=str(service_kind)[:40],
        )
    if site_number is None:
        if service_kind != WEBSITE and number.site_number is None:
            raise fail(
                _(
                    "An app, mini-program or quick-app number needs its sequence number, "
                    "e.g. %(example)s."
                ),
                "site_number_required",
                example="京ICP备17042306号-4A",
            )
        if service_kind != WEBSITE:
            return str(
                FilingNumber(
                    number.province, number.province_code, number.digits,
                    number.site_number, service_kind,
                )
            )
        return str(number)
    site_number = int(site_number)
    if site_number < 1:
        raise fail(
            _("The website number must be 1 or more, e.g. %(example)s."),
            "site_number",
            example=FILING_EXAMPLE,
        )
    return number.subject_number + _suffix(site_number, service_kind)


# -------------------------------------------------------------------------- licence numbers


@dataclass(frozen=True)
class LicenceNumber:
    province: str
    province_code: str
    category: str  # "ICP" for 京ICP证030173号, else the telecom category such as "B2"
    digits: str
    site_number: int | None = None
    service_kind: str = WEBSITE

    @property
    def licence_number(self) -> str:
        if self.category == "ICP":
            return f"{self.province}ICP证{self.digits}号"
        return f"{self.province}{self.category}-{self.digits}"

    def __str__(self) -> str:
        return self.licence_number + _suffix(self.site_number, self.service_kind)


def parse_licence_number(value) -> LicenceNumber:
    """Parse a value-added telecom (ICP) licence number, with an optional website suffix."""
    text = _clean(value)
    _required(text, LICENCE_EXAMPLE)
    match = _ICP_LICENCE_RE.match(text)
    category = "ICP"
    if match is None:
        match = _TELECOM_LICENCE_RE.match(text)
        if match is not None:
            category = match.group("category").replace("、", ".")
    if match is None:
        _refuse_other_kinds(text, value, "licence")
        _refuse_unknown_province(
            text, value, LICENCE_EXAMPLE, _ICP_LICENCE_RE, _TELECOM_LICENCE_RE
        )
        raise fail(
            _(
                "%(value)s is not an ICP licence number. Enter the number on the value-added "
                "telecom business licence, e.g. %(example)s or 京B2-20090008, optionally with "
                "the website number (-1)."
            ),
            "invalid",
            value=value,
            example=LICENCE_EXAMPLE,
        )
    site_number, kind = _site(match)
    abbr = match.group("abbr")
    return LicenceNumber(
        abbr, _province(abbr).code, category, match.group("digits"), site_number, kind
    )


# -------------------------------------------------------------------- public-security numbers


@dataclass(frozen=True)
class PublicSecurityNumber:
    province: str
    province_code: str
    digits: str

    @property
    def query_code(self) -> str:
        """The code the MPS filing site (beian.mps.gov.cn) looks the record up by."""
        return self.digits

    def __str__(self) -> str:
        return f"{self.province}公网安备 {self.digits}号"


def parse_public_security_number(value) -> PublicSecurityNumber:
    """Parse ``京公网安备 11010802020088号`` (space optional)."""
    text = _clean(value)
    _required(text, PSB_EXAMPLE)
    match = _PSB_RE.match(text)
    if match is None:
        _refuse_other_kinds(text, value, "public_security")
        _refuse_unknown_province(text, value, PSB_EXAMPLE, _PSB_RE)
        raise fail(
            _(
                "%(value)s is not a public-security filing number. Enter it as shown on the "
                "public-security filing certificate: the province abbreviation, 公网安备, 14 "
                "digits and 号, e.g. %(example)s."
            ),
            "invalid",
            value=value,
            example=PSB_EXAMPLE,
        )
    abbr, digits = match.group("abbr"), match.group("digits")
    province = _province(abbr)
    if digits[:2] != province.code:
        raise fail(
            _(
                "In %(value)s the digits start with %(found)s, but numbers issued in "
                "%(province)s start with %(code)s. Check the number on the public-security "
                "filing certificate."
            ),
            "province_mismatch",
            value=value,
            found=digits[:2],
            province=province.name,
            code=province.code,
        )
    return PublicSecurityNumber(abbr, province.code, digits)
