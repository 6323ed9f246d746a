"""The pre-flight check: every rule that can be checked before a filing is submitted.

:func:`run_preflight` takes a plain snapshot of a filing (:class:`FilingData`, built by
the models layer from the database and the editable code tables) and returns
field-level :class:`Finding` objects, like the WeChat filing API's
``{key_name, error, suggest}``: the field, what is wrong, and what to do. Errors block
submission, warnings are shown to the customer and to the reviewer.

Rules that need the database — R08 subject conflicts and W02 conflicts with other
filings — are added by the models layer; here W02 only covers the same domain twice
in one filing. Blank or nonsensical input always gives a finding, never an exception.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from urllib.parse import urlsplit

import idna

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import contacts, documents, domains, identity, provinces
from ._messages import fold

__all__ = [
    "DocumentData",
    "ERROR",
    "FilingData",
    "Finding",
    "PRE_APPROVAL_KEYWORDS",
    "SubjectData",
    "WARNING",
    "WebsiteData",
    "has_errors",
    "requirement_input",
    "run_preflight",
]

ERROR = "error"
WARNING = "warning"

#: Words in a site name that suggest a service needing a pre-approval (W04, seed 000 #5 #6,
#: 003 其它9). The models layer passes the keywords of the editable code table instead.
PRE_APPROVAL_KEYWORDS: tuple[str, ...] = (
    "新闻", "资讯", "论坛", "社区", "BBS", "出版", "教育", "培训", "学校", "医疗", "医院",
    "健康", "药品", "医药", "药", "医疗器械", "文化", "视听", "影视", "电影", "电视", "广播",
    "视频", "直播", "网约车", "金融", "理财", "贷", "支付", "彩票", "游戏",
)

#: R09: an individual's site name suggesting a forum, a shop or an enterprise.
_INDIVIDUAL_REFUSED_NAME_WORDS: tuple[str, ...] = (
    "论坛", "社区", "BBS", "聊天", "交友", "商城", "购物", "商店", "网店", "交易", "公司",
    "企业", "集团", "官网", "官方",
)

# R01: an organizer name is a company's or a person's, never a website's.
_URLISH = re.compile(
    r"(https?://|www\.|\.(com|cn|net|org|top|xyz|vip|info|cc|io|me|site|online|shop|club|"
    r"中国|公司|网络)\b)",
    re.IGNORECASE,
)
_SITE_NAME_WORDS = ("网站", "主页", "首页", "博客", "论坛", "官网")
_SITE_NAME_ENDINGS = ("网", "站", "吧", "之家", "社区", "平台")


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True)
class SubjectData:
    nature_code: str = ""
    nature_is_individual: bool = False
    #: R06b, from the editable code table: certificate types allowed for this nature.
    allowed_certificate_types: frozenset[str] = frozenset()
    name: str = ""
    certificate_type: str = ""
    certificate_number: str = ""
    #: R06: a reviewer accepted a certificate whose checksum fails (logged by the caller).
    certificate_override: bool = False
    investor: str = ""
    province_code: str = ""
    residence_address: str = ""
    mailing_address: str = ""
    mailing_address_note: str = ""
    responsible_name: str = ""
    responsible_certificate_type: str = ""
    responsible_certificate_number: str = ""
    #: R06b, from the editable code table: certificate types of responsible persons
    #: (for the subject's and every website's responsible person).
    responsible_allowed_certificate_types: frozenset[str] = identity.PERSONAL_TYPES
    responsible_is_legal_representative: bool = True
    responsible_mobile: str = ""
    responsible_landline: str = ""
    responsible_email: str = ""


@dataclass(frozen=True)
class WebsiteData:
    key: Hashable = None
    name: str = ""
    domain: str = ""
    #: Blank → ``www.`` + domain (W01).
    homepage: str = ""
    service_content_codes: frozenset[str] = frozenset()
    #: R09, from the editable code table: contents individuals may not file.
    individual_refused_content_codes: frozenset[str] = frozenset()
    pre_approval_category_codes: frozenset[str] = frozenset()
    pre_approval_document_number: str = ""
    #: W04, from the editable code table (defaults to :data:`PRE_APPROVAL_KEYWORDS`).
    pre_approval_keywords: tuple[str, ...] = PRE_APPROVAL_KEYWORDS
    domain_owner_is_organizer: bool = True
    #: The website's responsible person (W03). All blank → the subject's responsible person.
    responsible_name: str = ""
    responsible_certificate_type: str = ""
    responsible_certificate_number: str = ""
    responsible_mobile: str = ""
    responsible_landline: str = ""
    responsible_email: str = ""


@dataclass(frozen=True)
class DocumentData:
    kind: str
    website_key: Hashable = None
    date: datetime.date | None = None
    #: Rejected at the provider's review: it counts as missing, and the finding says so.
    rejected: bool = False


@dataclass(frozen=True)
class FilingData:
    subject: SubjectData
    websites: tuple[WebsiteData, ...] = ()
    documents: tuple[DocumentData, ...] = ()
    created: datetime.date | None = None
    #: Display names of code-table codes (nature, content, pre-approval category), if known.
    code_names: Mapping[str, str] = field(default_factory=dict)
    #: A change (变更, F05): what it alters of the approved filing, and the documents on file there.
    change: documents.ChangeScope | None = None


@dataclass(frozen=True)
class Finding:
    field: str
    rule: str
    severity: str
    message: str
    suggestion: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        return asdict(self)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


# -------------------------------------------------------------------------- helpers


def _text(value) -> str:
    """Any input as stripped text (``None`` and non-strings never crash a rule)."""
    if value is None:
        return ""
    return fold(value).strip()


def _codes(value) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    try:
        return frozenset(_text(code) for code in value if _text(code))
    except TypeError:
        return frozenset()


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _error_code(exc: ValidationError) -> str | None:
    return getattr(exc, "code", None) or next(
        (getattr(e, "code", None) for e in getattr(exc, "error_list", [])), None
    )


def _person_key(name: str) -> str:
    return "".join(_text(name).split()).casefold()


class _Collector:
    def __init__(self, data: FilingData):
        self.findings: list[Finding] = []
        names = getattr(data, "code_names", None)
        self.names = names if isinstance(names, Mapping) else {}
        self.nature_name = ""

    def add(self, field_: str, rule: str, severity: str, message: str, suggestion: str) -> None:
        self.findings.append(Finding(field_, rule, severity, str(message), str(suggestion)))

    def error(self, field_, rule, message, suggestion):
        self.add(field_, rule, ERROR, message, suggestion)

    def warning(self, field_, rule, message, suggestion):
        self.add(field_, rule, WARNING, message, suggestion)

    def name_of(self, code) -> str:
        return str(self.names.get(code) or identity.certificate_label(code) or code)


# ----------------------------------------------------------------------------- rules


def _check_required(c: _Collector, path: str, value, what: str, rule: str) -> bool:
    if _text(value):
        return True
    c.error(
        path,
        rule,
        _("The %(what)s is missing.") % {"what": what},
        _("Enter the %(what)s.") % {"what": what},
    )
    return False


def _check_certificate(
    c: _Collector, prefix: str, cert_type, number, *, allowed, person: bool, override=False
) -> str | None:
    """R01/R06/R06b for one certificate; returns the normalised number or None."""
    cert_type = _text(cert_type)
    type_path = f"{prefix}certificate_type"
    number_path = f"{prefix}certificate_number"
    if not cert_type:
        c.error(
            type_path,
            "R01",
            _("The certificate type is missing."),
            _("Choose the type of certificate shown on the scan."),
        )
        return None
    if allowed and cert_type not in allowed:
        choices = ", ".join(sorted(str(c.name_of(t)) for t in allowed))
        if person:
            c.error(
                type_path,
                "R01",
                _(
                    "The certificate type %(type)s cannot identify a responsible person: a "
                    "personal certificate is needed."
                )
                % {"type": c.name_of(cert_type)},
                _("Choose one of: %(choices)s.") % {"choices": choices},
            )
        else:
            c.error(
                type_path,
                "R01",
                _(
                    "The certificate type %(type)s does not match the organizer nature "
                    "%(nature)s: the nature and the certificate must agree."
                )
                % {"type": c.name_of(cert_type), "nature": c.nature_name},
                _(
                    "Choose one of: %(choices)s. If the organizer nature is wrong, correct "
                    "the nature instead."
                )
                % {"choices": choices},
            )
        # The number cannot be judged against the wrong type.
        return None
    if not _text(number):
        c.error(
            number_path,
            "R06",
            _("The certificate number is missing."),
            _("Enter the number exactly as printed on the certificate."),
        )
        return None
    try:
        return identity.normalize_certificate(cert_type, number)
    except ValidationError as exc:
        if _error_code(exc) == "uscc_checksum" and override:
            c.warning(
                number_path,
                "R06",
                _(
                    "The unified social credit code %(value)s fails the checksum; a reviewer "
                    "accepted it as printed on the licence."
                )
                % {"value": _text(number)},
                _("No action needed unless the licence shows a different code."),
            )
            try:
                return identity.normalize_certificate(cert_type, number, allow_bad_checksum=True)
            except ValidationError:
                return None
        c.error(
            number_path,
            "R06",
            _error_text(exc),
            _("Correct the number so that it matches the certificate scan."),
        )
        return None


def _looks_like_site_name(name: str, site_names: set[str]) -> str:
    """'' when fine; else the reason ('site' = equals a site name, 'url', 'word', 'ending')."""
    key = _person_key(name)
    if key and key in site_names:
        return "site"
    if _URLISH.search(name):
        return "url"
    if any(word in name for word in _SITE_NAME_WORDS):
        return "word"
    if name.endswith(_SITE_NAME_ENDINGS):
        return "ending"
    return ""


def _check_subject(c: _Collector, data: FilingData) -> tuple[str | None, str | None]:
    s = data.subject
    individual = bool(s.nature_is_individual)
    allowed = _codes(s.allowed_certificate_types)
    c.nature_name = c.name_of(_text(s.nature_code)) if _text(s.nature_code) else ""

    # R01: nature and certificate agree; the organizer name is not a website name.
    if not _text(s.nature_code):
        c.error(
            "subject.nature_code",
            "R01",
            _("The organizer nature is missing."),
            _("Choose the organizer nature: enterprise, individual, government body, …"),
        )
    elif not allowed:
        c.error(
            "subject.nature_code",
            "R06b",
            _("No certificate type is allowed for the organizer nature %(nature)s.")
            % {"nature": c.nature_name},
            _("Choose another organizer nature, or ask staff to complete the code table."),
        )
    subject_number = _check_certificate(
        c,
        "subject.",
        s.certificate_type,
        s.certificate_number,
        allowed=allowed,
        person=False,
        override=bool(s.certificate_override),
    )
    name = _text(s.name)
    if _check_required(c, "subject.name", name, _("organizer name"), "R01"):
        site_names = {_person_key(getattr(w, "name", "")) for w in _websites(data)} - {""}
        reason = _looks_like_site_name(name, site_names)
        if reason:
            if individual:
                hint = _("Enter your own name exactly as on your ID card.")
            else:
                hint = _("Enter the company's full name exactly as on the business licence.")
            message = _(
                "The organizer name %(name)s looks like a website name. The organizer is the "
                "company or the person running the websites."
            ) % {"name": name}
            (c.error if reason in ("site", "url", "word") else c.warning)(
                "subject.name", "R01", message, hint
            )

    # R02: the investor may equal the organizer name — only presence is checked.
    _check_required(c, "subject.investor", s.investor, _("investor or superior authority"), "R02")

    # R05 / R07 / R04: province, addresses.
    province_code = _text(s.province_code)
    if not province_code:
        c.error(
            "subject.province_code",
            "R05",
            _("The province of the organizer's domicile is missing."),
            _(
                "Choose the province where the organizer is registered (or where the ID card "
                "was issued)."
            ),
        )
    elif provinces.province_by_code(province_code) is None:
        c.error(
            "subject.province_code",
            "R05",
            _("%(code)s is not a mainland province code.") % {"code": province_code},
            _("Choose the province where the organizer is registered."),
        )
        province_code = ""
    _check_required(
        c,
        "subject.residence_address",
        s.residence_address,
        _("residence address (as on the ID card)") if individual
        else _("residence address (as on the business licence)"),
        "R05",
    )
    mailing = s.mailing_address
    if _check_required(c, "subject.mailing_address", mailing, _("mailing address"), "R04"):
        try:
            contacts.validate_mailing_address(
                _text(mailing), note=_text(s.mailing_address_note)
            )
        except ValidationError as exc:
            c.error(
                "subject.mailing_address",
                "R04",
                _error_text(exc),
                _(
                    "Enter the address down to the house number (门牌号), or explain in the note "
                    "why there is none."
                ),
            )

    # Responsible person (R05, R03 for individuals).
    responsible_name = _text(s.responsible_name)
    _check_required(
        c, "subject.responsible_name", responsible_name, _("responsible person's name"), "R05"
    )
    responsible_number = _check_certificate(
        c,
        "subject.responsible_",
        s.responsible_certificate_type,
        s.responsible_certificate_number,
        allowed=_codes(s.responsible_allowed_certificate_types) or identity.PERSONAL_TYPES,
        person=True,
    )
    if (
        individual
        and name
        and responsible_name
        and _person_key(name) != _person_key(responsible_name)
    ):
        c.error(
            "subject.responsible_name",
            "R05",
            _(
                "For an individual the responsible person is the person himself, but "
                "%(responsible)s is not %(name)s."
            )
            % {"responsible": responsible_name, "name": name},
            _("Enter %(name)s as the responsible person; it cannot be delegated.") % {"name": name},
        )
    if (
        individual
        and subject_number
        and responsible_number
        and (
            subject_number != responsible_number
            or _text(s.certificate_type) != _text(s.responsible_certificate_type)
        )
    ):
        c.error(
            "subject.responsible_certificate_number",
            "R05",
            _(
                "For an individual the responsible person's certificate must be the "
                "organizer's own certificate."
            ),
            _("Enter the same certificate type and number as for the organizer."),
        )

    _check_contacts(c, "subject.responsible_", s, province_code)
    return subject_number, responsible_number


def _check_contacts(c: _Collector, prefix: str, person, province_code: str) -> None:
    """R07: contacts reachable; per-province required fields."""
    try:
        required = contacts.required_contact_fields(province_code or None)
    except (ValidationError, LookupError, ValueError, TypeError):
        required = frozenset({"mobile", "email"})
    checks = (
        ("mobile", contacts.normalize_mobile, _("mobile number")),
        ("landline", contacts.normalize_landline, _("office landline number")),
        ("email", contacts.normalize_email, _("e-mail address")),
    )
    for kind, normalize, what in checks:
        value = _text(getattr(person, f"responsible_{kind}", ""))
        path = f"{prefix}{kind}"
        if not value:
            if kind in required:
                if kind == "landline":
                    suggestion = _(
                        "The bureau of this province also requires an office landline: enter "
                        "it with the area code, e.g. 0791-88888888."
                    )
                else:
                    suggestion = _(
                        "Enter the %(what)s; the bureau contacts the responsible person there."
                    ) % {"what": what}
                c.error(path, "R07", _("The %(what)s is missing.") % {"what": what}, suggestion)
            continue
        try:
            normalize(value)
        except ValidationError as exc:
            c.error(
                path,
                "R07",
                _error_text(exc),
                _("Correct the %(what)s so that the bureau can reach the responsible person.")
                % {"what": what},
            )


def _check_website(
    c: _Collector,
    index: int,
    site: WebsiteData,
    data: FilingData,
    seen_domains: dict[str, int],
    subject_responsible: tuple[str, str, str | None],
    province_code: str,
) -> None:
    s = data.subject
    individual = bool(s.nature_is_individual)
    prefix = f"websites.{index}."
    site_name = _text(site.name)
    _check_required(c, prefix + "name", site_name, _("website name"), "W01")

    # W01: the registered domain, never a subdomain; homepage under it.
    domain = None
    if _text(site.domain):
        try:
            domain = domains.normalize_domain(site.domain)
        except ValidationError as exc:
            c.error(
                prefix + "domain",
                "W01",
                _error_text(exc),
                _("Enter the registered domain only, e.g. example.com."),
            )
    else:
        c.error(
            prefix + "domain",
            "W01",
            _("The website's domain is missing."),
            _("Enter the registered domain of the website, e.g. example.com."),
        )
    if domain:
        # W02 inside this filing: one domain, one website.
        if domain in seen_domains:
            c.error(
                prefix + "domain",
                "W02",
                _("The domain %(domain)s is already listed for website %(other)s of this filing.")
                % {"domain": domains.domain_to_unicode(domain), "other": seen_domains[domain] + 1},
                _("A domain is filed once: remove this website or enter its own domain."),
            )
        else:
            seen_domains[domain] = index
        homepage = _text(site.homepage)
        if homepage:
            host = _homepage_host(homepage)
            if host is None or not (host == domain or host.endswith("." + domain)):
                c.error(
                    prefix + "homepage",
                    "W01",
                    _("The homepage %(homepage)s is not on the domain %(domain)s.")
                    % {"homepage": homepage, "domain": domains.domain_to_unicode(domain)},
                    _("Enter an address on this domain, e.g. %(default)s, or leave it blank.")
                    % {"default": domains.default_homepage(domains.domain_to_unicode(domain))},
                )

    # R09: individuals file blog-like sites only.
    contents = _codes(site.service_content_codes)
    if individual:
        refused = contents & _codes(site.individual_refused_content_codes)
        if refused:
            c.error(
                prefix + "service_content_codes",
                "R09",
                _(
                    "An individual cannot file a website offering %(contents)s. Personal sites "
                    "are limited to blog-like content without forums, message boards, chat, "
                    "shops or enterprise content."
                )
                % {"contents": ", ".join(sorted(c.name_of(code) for code in refused))},
                _(
                    "Remove these services from the site, or file it under a company or "
                    "organisation."
                ),
            )
        words = [w for w in _INDIVIDUAL_REFUSED_NAME_WORDS if w.casefold() in site_name.casefold()]
        if words:
            c.warning(
                prefix + "name",
                "R09",
                _(
                    "The website name %(name)s suggests a forum, a shop or a company (%(words)s), "
                    "which an individual cannot file."
                )
                % {"name": site_name, "words": ", ".join(words)},
                _("Choose a name that describes a personal blog or homepage."),
            )

    # W04: pre-approval.
    categories = _codes(site.pre_approval_category_codes)
    approval_number = _text(site.pre_approval_document_number)
    if categories and not approval_number:
        c.error(
            prefix + "pre_approval_document_number",
            "W04",
            _(
                "The website offers %(categories)s, which needs a pre-approval document "
                "(前置审批)."
            )
            % {"categories": ", ".join(sorted(c.name_of(code) for code in categories))},
            _(
                "Enter the approval document number and upload the approval, or remove the "
                "service from the site."
            ),
        )
    if not categories and not approval_number and site_name:
        keywords = site.pre_approval_keywords
        if not isinstance(keywords, (tuple, list, frozenset, set)):
            keywords = PRE_APPROVAL_KEYWORDS
        folded_name = site_name.casefold()
        hits = [k for k in map(_text, keywords) if k and k.casefold() in folded_name]
        if hits:
            c.error(
                prefix + "name",
                "W04",
                _(
                    "The website name %(name)s uses %(words)s, which the bureau reads as a "
                    "service needing a pre-approval (前置审批), and no approval is given."
                )
                % {"name": site_name, "words": ", ".join(hits)},
                _(
                    "Select the pre-approval category and enter the approval document number, "
                    "or choose a name without these words."
                ),
            )

    # W03 / R03: the website's responsible person.
    has_own = any(
        _text(getattr(site, f"responsible_{f}", ""))
        for f in ("name", "certificate_type", "certificate_number", "mobile", "landline", "email")
    )
    if not has_own:
        return
    _check_required(
        c, prefix + "responsible_name", site.responsible_name, _("responsible person's name"), "W03"
    )
    number = _check_certificate(
        c,
        prefix + "responsible_",
        site.responsible_certificate_type,
        site.responsible_certificate_number,
        allowed=_codes(s.responsible_allowed_certificate_types) or identity.PERSONAL_TYPES,
        person=True,
    )
    if individual:
        subject_name, subject_type, subject_number = subject_responsible
        same_name = _person_key(site.responsible_name) == _person_key(subject_name)
        same_cert = (
            number is None
            or subject_number is None
            or (
                number == subject_number
                and _text(site.responsible_certificate_type) == subject_type
            )
        )
        if not (same_name and same_cert):
            c.error(
                prefix + "responsible_name",
                "R03",
                _(
                    "For an individual the website's responsible person is the person himself "
                    "(%(name)s); it cannot be delegated."
                )
                % {"name": subject_name or _text(s.name)},
                _("Enter the organizer's own name and certificate, or leave these fields blank."),
            )
    _check_contacts(c, prefix + "responsible_", site, province_code)


def _homepage_host(homepage: str) -> str | None:
    text = homepage if "//" in homepage else "//" + homepage
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    try:
        return idna.encode(host.rstrip("."), uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def _document_path(kind: str, website_key) -> str:
    if website_key is None or website_key == "":
        return f"documents.{kind}"
    return f"documents.{website_key}.{kind}"


def _websites(data: FilingData) -> list[WebsiteData]:
    return [w for w in (data.websites or ()) if isinstance(w, WebsiteData)]


def requirement_input(data: FilingData) -> documents.RequirementInput:
    """The facts :func:`documents.required_documents` needs, taken from a filing snapshot.

    A website's key is its ``key``, or its index in ``data.websites`` when that is None.
    """
    s = data.subject
    individual = bool(s.nature_is_individual)
    # An individual is his own responsible person: his certificate decides the scans.
    responsible_type = _text(s.certificate_type if individual else s.responsible_certificate_type)
    if individual and responsible_type not in identity.PERSONAL_TYPES:
        responsible_type = _text(s.responsible_certificate_type)
    return documents.RequirementInput(
        individual=individual,
        responsible_is_legal_representative=bool(s.responsible_is_legal_representative),
        responsible_certificate_type=responsible_type or identity.RESIDENT_ID,
        websites=tuple(
            documents.WebsiteRequirementInput(
                key=w.key if w.key is not None else index,
                domain_owner_is_organizer=bool(w.domain_owner_is_organizer),
                needs_pre_approval=bool(_codes(w.pre_approval_category_codes)),
            )
            for index, w in enumerate(_websites(data))
        ),
        change=data.change if isinstance(data.change, documents.ChangeScope) else None,
    )


def _check_documents(c: _Collector, data: FilingData) -> None:
    uploaded = [d for d in (data.documents or ()) if isinstance(d, DocumentData)]
    docs = [d for d in uploaded if not d.rejected]
    rejected = {(d.kind, d.website_key) for d in uploaded if d.rejected}
    required = documents.required_documents(requirement_input(data))
    site_labels = {}
    for index, w in enumerate(_websites(data)):
        key = w.key if w.key is not None else index
        site_labels[str(key)] = _text(w.domain) or _text(w.name) or str(index + 1)
    for doc in documents.missing_documents(required, [(d.kind, d.website_key) for d in docs]):
        label = documents.document_label(doc.kind)
        if doc.kind == documents.LEGAL_REP_AUTHORIZATION:
            message = _(
                "The responsible person is not the legal representative, so the legal "
                "representative's authorisation letter (法人授权书) is needed."
            )
        elif (doc.kind, doc.website_key) in rejected:
            message = _("Rejected at review: %(document)s. Upload a new scan.") % {"document": label}
        elif doc.website_key is not None:
            message = _("Not uploaded for website %(site)s: %(document)s.") % {
                "site": site_labels.get(str(doc.website_key), doc.website_key),
                "document": label,
            }
        else:
            message = _("Not uploaded: %(document)s.") % {"document": label}
        if doc.kind == documents.DOMAIN_AUTHORIZATION:
            suggestion = _(
                "The domain is registered to someone else: upload the domain authorisation "
                "letter signed by the domain owner (grantor) to the organizer (grantee)."
            )
        elif doc.kind == documents.PRE_APPROVAL:
            suggestion = _("Upload the approval document issued by the competent authority.")
        else:
            suggestion = _("Upload a clear, complete scan of this document.")
        c.error(_document_path(doc.kind, doc.website_key), doc.rule, message, suggestion)

    created = data.created
    if not isinstance(created, datetime.date):
        created = None
    dated = [(d.kind, d.website_key, d.date) for d in docs if d.kind in documents.DATED_TOGETHER]
    for problem in documents.check_document_dates(dated, created):
        c.error(
            _document_path(problem.kind, problem.website_key),
            "D04",
            problem.message,
            problem.suggestion,
        )


# ------------------------------------------------------------------------------- API


def run_preflight(data: FilingData) -> list[Finding]:
    """Every rule checkable before submission, as field-level findings (errors first)."""
    if not isinstance(data.subject, SubjectData):
        data = replace(data, subject=SubjectData())
    c = _Collector(data)
    subject_number, _responsible_number = _check_subject(c, data)
    s = data.subject
    websites = _websites(data)
    if not websites:
        c.error(
            "websites",
            "F08",
            _("The filing lists no website; a subject without websites is an empty shell."),
            _("Add the website (its name and domain) that this filing is for."),
        )
    seen: dict[str, int] = {}
    # R03: an individual's websites belong to the person himself.
    subject_responsible = (_text(s.name), _text(s.certificate_type), subject_number)
    province_code = _text(s.province_code)
    if provinces.province_by_code(province_code) is None:
        province_code = ""
    for index, site in enumerate(websites):
        _check_website(c, index, site, data, seen, subject_responsible, province_code)
    _check_documents(c, data)
    return sorted(c.findings, key=lambda f: f.severity != ERROR)
