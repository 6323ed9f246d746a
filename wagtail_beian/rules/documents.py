"""Filing documents (D01–D05): the one place that decides which scans a filing needs.

:func:`required_documents` turns a few facts about a filing (individual or not,
who the responsible person is, which websites, whose domains, which need a
pre-approval; for a change, what it alters of the approved filing) into the list of
documents to upload. :func:`missing_documents`
compares that list with what was uploaded (used by the pre-flight check, and by
the D05 "documents still to verify" list of filings approved before scans were
required). :func:`check_document_dates` is D04.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .identity import PASSPORT

__all__ = [
    "DATED_TOGETHER",
    "DOCUMENT_KINDS",
    "DOCUMENT_LABELS",
    "DOMAIN_AUTHORIZATION",
    "DOMAIN_CERTIFICATE",
    "ID_CARD_BACK",
    "ID_CARD_FRONT",
    "LEGAL_REP_AUTHORIZATION",
    "ONSITE_PHOTO",
    "ORGANIZER_CERTIFICATE",
    "OTHER",
    "PASSPORT_PHOTO_PAGE",
    "PER_WEBSITE_KINDS",
    "PRE_APPROVAL",
    "SECURITY_AGREEMENT",
    "VERIFICATION_SHEET",
    "ChangeScope",
    "DocumentDateProblem",
    "RequiredDocument",
    "RequirementInput",
    "WebsiteChange",
    "WebsiteRequirementInput",
    "change_documents",
    "check_document_dates",
    "document_label",
    "missing_documents",
    "required_documents",
]

ORGANIZER_CERTIFICATE = "organizer_certificate"
ID_CARD_FRONT = "id_card_front"
ID_CARD_BACK = "id_card_back"
PASSPORT_PHOTO_PAGE = "passport_photo_page"
SECURITY_AGREEMENT = "security_agreement"
VERIFICATION_SHEET = "verification_sheet"
DOMAIN_CERTIFICATE = "domain_certificate"
DOMAIN_AUTHORIZATION = "domain_authorization"
ONSITE_PHOTO = "onsite_photo"
LEGAL_REP_AUTHORIZATION = "legal_rep_authorization"
PRE_APPROVAL = "pre_approval"
OTHER = "other"

DOCUMENT_KINDS = (
    (ORGANIZER_CERTIFICATE, gettext_lazy("Organizer certificate (business licence or equivalent)")),
    (ID_CARD_FRONT, gettext_lazy("Responsible person's ID card, front")),
    (ID_CARD_BACK, gettext_lazy("Responsible person's ID card, back")),
    (PASSPORT_PHOTO_PAGE, gettext_lazy("Responsible person's passport, photo page")),
    (SECURITY_AGREEMENT, gettext_lazy("Information security management agreement")),
    (
        VERIFICATION_SHEET,
        gettext_lazy("Website filing information authenticity verification sheet"),
    ),
    (DOMAIN_CERTIFICATE, gettext_lazy("Domain name certificate")),
    (DOMAIN_AUTHORIZATION, gettext_lazy("Domain name authorisation letter")),
    (ONSITE_PHOTO, gettext_lazy("On-site verification photo of the responsible person")),
    (LEGAL_REP_AUTHORIZATION, gettext_lazy("Legal representative's authorisation letter")),
    (PRE_APPROVAL, gettext_lazy("Pre-approval document")),
    (OTHER, gettext_lazy("Other document")),
)
DOCUMENT_LABELS = dict(DOCUMENT_KINDS)

#: Kinds uploaded once per website (the others once per filing).
PER_WEBSITE_KINDS = frozenset(
    {VERIFICATION_SHEET, DOMAIN_CERTIFICATE, DOMAIN_AUTHORIZATION, PRE_APPROVAL}
)
#: D04: these documents carry one and the same date.
DATED_TOGETHER = (VERIFICATION_SHEET, SECURITY_AGREEMENT, ONSITE_PHOTO)


def document_label(kind: str) -> str:
    """Human label of a document kind (the code itself when unknown)."""
    return str(DOCUMENT_LABELS.get(kind, kind))


@dataclass(frozen=True)
class WebsiteRequirementInput:
    key: Hashable
    domain_owner_is_organizer: bool = True
    needs_pre_approval: bool = False


@dataclass(frozen=True)
class WebsiteChange:
    """F05/W05: what a change does to one website (``key`` as in :class:`WebsiteRequirementInput`)."""

    key: Hashable
    #: Added through the change (W05): every document of the website is new.
    added: bool = False
    #: Any filed data of the website differs from the approved website.
    data_changed: bool = False
    #: The domain, or who owns it, differs: the domain certificate / authorisation is new.
    domain_changed: bool = False
    #: The pre-approval categories or document number differ: the pre-approval document is new.
    pre_approval_changed: bool = False


@dataclass(frozen=True)
class ChangeScope:
    """F05: a change compared with the approved filing it amends.

    ``on_file`` holds the ``(kind, website_key)`` documents of the approved filing (not rejected),
    keyed by the change's own website keys: those documents are kept for the parts the change
    does not touch, so the customer does not upload them again.
    """

    subject_changed: bool = False
    websites: tuple[WebsiteChange, ...] = ()
    on_file: frozenset = frozenset()


@dataclass(frozen=True)
class RequirementInput:
    individual: bool
    #: Enterprise only: is the subject's responsible person the legal representative?
    responsible_is_legal_representative: bool = True
    #: Certificate type code of the responsible person (for an individual: the person).
    responsible_certificate_type: str = "resident_id"
    websites: tuple[WebsiteRequirementInput, ...] = ()
    #: Set for a change (变更, F05): only what the change touches needs new documents.
    change: ChangeScope | None = None


@dataclass(frozen=True)
class RequiredDocument:
    kind: str
    website_key: Hashable | None
    mandatory: bool
    rule: str

    @property
    def label(self) -> str:
        return document_label(self.kind)


def required_documents(inp: RequirementInput) -> list[RequiredDocument]:
    """Every document a filing needs (D01 enterprise, D02 individual, D03, W04, R05).

    Per-filing documents come first, then each website's in website order. The
    on-site photo is listed with ``mandatory=False``: DOMAIN D01/D02 list it without
    the asterisk (it is taken at the provider's verification), but D04 still checks
    its date when it is there.

    For a change (``inp.change`` set) see :func:`change_documents`: the documents the change
    must carry itself.
    """
    docs = _full_set(inp)
    if inp.change is None:
        return docs
    return change_documents(docs, inp.change)


def _renewed(doc: RequiredDocument, scope: ChangeScope, sites: Mapping) -> str | None:
    """The rule that makes a change upload ``doc`` anew, or None when the approved one is kept."""
    if doc.website_key is None:
        return "F05" if scope.subject_changed else None
    site = sites.get(_key(doc.website_key))
    if site is None or site.added:
        # W05: a website (a domain) added through a change brings a new verification sheet.
        return "W05" if doc.kind == VERIFICATION_SHEET else doc.rule
    if doc.kind == VERIFICATION_SHEET and site.data_changed:
        return "F05"
    if doc.kind in (DOMAIN_CERTIFICATE, DOMAIN_AUTHORIZATION) and site.domain_changed:
        return "F05"
    if doc.kind == PRE_APPROVAL and site.pre_approval_changed:
        return "F05"
    return None


def change_documents(full: Iterable[RequiredDocument], scope: ChangeScope) -> list[RequiredDocument]:
    """F05/W05: of a filing's full document set, those a change must upload itself.

    - subject data changed → every per-filing document (licence, ID card, authorisation letter,
      security agreement, on-site photo) anew: the approved filing's do not count;
    - a website's data changed → its verification sheet anew; its domain certificate or
      authorisation too when the domain or its owner changed; its pre-approval document too when
      the pre-approval changed;
    - a website added through the change → all of its documents, the verification sheet under W05;
    - everything else keeps the approved filing's document; only one the approved filing does not
      have (D05: approved before scans were required) is still asked for, under its own rule.
    """
    full = list(full)
    sites = {_key(w.key): w for w in scope.websites}
    renewed, kept = {}, []
    for index, doc in enumerate(full):
        rule = _renewed(doc, scope, sites)
        if rule is None:
            kept.append(doc)
        else:
            renewed[index] = RequiredDocument(doc.kind, doc.website_key, doc.mandatory, rule)
    not_on_file = {id(doc) for doc in missing_documents(kept, scope.on_file, mandatory_only=False)}
    return [
        renewed.get(index, doc)
        for index, doc in enumerate(full)
        if index in renewed or id(doc) in not_on_file
    ]


def _full_set(inp: RequirementInput) -> list[RequiredDocument]:
    rule = "D02" if inp.individual else "D01"
    docs: list[RequiredDocument] = []
    if not inp.individual:
        docs.append(RequiredDocument(ORGANIZER_CERTIFICATE, None, True, "D01"))
    if inp.responsible_certificate_type == PASSPORT:
        docs.append(RequiredDocument(PASSPORT_PHOTO_PAGE, None, True, rule))
    else:
        # Resident ID cards and the two-sided permits / residence cards.
        docs.append(RequiredDocument(ID_CARD_FRONT, None, True, rule))
        docs.append(RequiredDocument(ID_CARD_BACK, None, True, rule))
    if not inp.individual and not inp.responsible_is_legal_representative:
        docs.append(RequiredDocument(LEGAL_REP_AUTHORIZATION, None, True, "R05"))
    docs.append(RequiredDocument(SECURITY_AGREEMENT, None, True, rule))
    docs.append(RequiredDocument(ONSITE_PHOTO, None, False, rule))
    for site in inp.websites:
        docs.append(RequiredDocument(VERIFICATION_SHEET, site.key, True, rule))
        if site.domain_owner_is_organizer:
            docs.append(RequiredDocument(DOMAIN_CERTIFICATE, site.key, True, rule))
        else:
            docs.append(RequiredDocument(DOMAIN_AUTHORIZATION, site.key, True, "D03"))
        if site.needs_pre_approval:
            docs.append(RequiredDocument(PRE_APPROVAL, site.key, True, "W04"))
    return docs


def _key(value) -> str | None:
    return None if value is None or value == "" else str(value)


def missing_documents(
    required: Iterable[RequiredDocument],
    present: Iterable[tuple[str, Hashable | None]],
    *,
    mandatory_only: bool = True,
) -> list[RequiredDocument]:
    """Required documents with no upload. ``present`` holds ``(kind, website_key)`` pairs.

    A per-filing document is satisfied by an upload of its kind, whatever website it
    is attached to. A per-website document is satisfied by an upload for that
    website, or by an upload attached to no website when the filing has one website
    only (customers of single-site filings rarely pick the site).
    """
    required = [doc for doc in required if doc.mandatory or not mandatory_only]
    uploaded = {(kind, _key(key)) for kind, key in present}
    kinds_uploaded = {kind for kind, _unused in uploaded}
    site_keys = {_key(doc.website_key) for doc in required if doc.website_key is not None}
    single_site = len(site_keys) == 1
    missing = []
    for doc in required:
        if doc.website_key is None:
            ok = doc.kind in kinds_uploaded
        else:
            ok = (doc.kind, _key(doc.website_key)) in uploaded or (
                single_site and (doc.kind, None) in uploaded
            )
        if not ok:
            missing.append(doc)
    return missing


@dataclass(frozen=True)
class DocumentDateProblem:
    kind: str
    website_key: Hashable | None
    #: "date_missing" | "dates_differ" | "before_creation"
    code: str
    message: str
    suggestion: str


def _dated_items(dated) -> list[tuple[str, Hashable | None, datetime.date | None]]:
    items = dated.items() if isinstance(dated, Mapping) else dated
    out = []
    for item in items:
        if len(item) == 2:
            kind, day = item
            key = None
        else:
            kind, key, day = item
        if kind in DATED_TOGETHER:
            if isinstance(day, datetime.datetime):
                day = day.date()
            out.append((kind, key, day if isinstance(day, datetime.date) else None))
    return out


def check_document_dates(dated, filing_created: datetime.date) -> list[DocumentDateProblem]:
    """D04: the verification sheet, security agreement and on-site photo carry one and
    the same date, not earlier than the filing's creation date.

    ``dated`` is a mapping ``{kind: date or None}`` or an iterable of ``(kind, date)``
    or ``(kind, website_key, date)``; kinds outside D04 are ignored, ``None`` means
    "uploaded, date not entered". Missing documents are not reported here (that is
    :func:`missing_documents`).
    """
    if isinstance(filing_created, datetime.datetime):
        filing_created = filing_created.date()
    items = _dated_items(dated)
    problems: list[DocumentDateProblem] = []
    dates = [day for _kind, _key_, day in items if day is not None]
    reference = None
    if dates:
        sheet_dates = [d for k, _key_, d in items if k == VERIFICATION_SHEET and d is not None]
        # The verification sheet sets the date (it is signed at the provider's check);
        # otherwise the most common date, the earliest on a tie.
        tally = Counter(sheet_dates or dates)
        reference = min(tally, key=lambda d: (-tally[d], d))
    for kind, key, day in items:
        label = document_label(kind)
        if day is None:
            problems.append(
                DocumentDateProblem(
                    kind,
                    key,
                    "date_missing",
                    _("%(document)s: the date on the document has not been entered.")
                    % {"document": label},
                    _("Enter the date written on the document."),
                )
            )
            continue
        if filing_created is not None and day < filing_created:
            problems.append(
                DocumentDateProblem(
                    kind,
                    key,
                    "before_creation",
                    _(
                        "%(document)s: dated %(date)s, before this filing was created "
                        "(%(created)s)."
                    )
                    % {
                        "document": label,
                        "date": day.isoformat(),
                        "created": filing_created.isoformat(),
                    },
                    _(
                        "Sign the document (or take the photo) again, dated on or after "
                        "%(created)s, and upload it."
                    )
                    % {"created": filing_created.isoformat()},
                )
            )
        if reference is not None and day != reference:
            problems.append(
                DocumentDateProblem(
                    kind,
                    key,
                    "dates_differ",
                    _(
                        "%(document)s: dated %(date)s, but the other filing documents "
                        "are dated %(reference)s. The verification sheet, the security "
                        "agreement and the on-site photo must carry the same date."
                    )
                    % {
                        "document": label,
                        "date": day.isoformat(),
                        "reference": reference.isoformat(),
                    },
                    _(
                        "Sign the verification sheet and the security agreement and take the "
                        "on-site photo on the same day, then upload them again."
                    ),
                )
            )
    return problems
