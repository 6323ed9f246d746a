"""Pre-flight of a stored filing: the pure rules (rules.preflight) plus the database ones (R08, W02).

``with_preflight_relations(queryset)`` loads everything the pure rules need in a fixed number of
queries, so listings can show pre-flight results for a page of filings without N+1 queries.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from ..models import CertificateType, Document, Filing, PreApprovalCategory, ReviewStatus, ServiceContent, Website
from ..rules.preflight import DocumentData, FilingData, SubjectData, WebsiteData, has_errors, run_preflight
from .changes import change_scope
from .conflicts import conflict_findings

#: The responsible person's fields of a subject or website (R04, R06b), after ``responsible_``.
PERSON_FIELDS = ("name", "certificate_type", "certificate_number", "mobile", "landline", "email")


@dataclass(frozen=True)
class CodeSnapshot:
    """The editable code tables the rules consult (R06b persons, R09 contents, W04 keywords)."""

    personal_certificate_types: frozenset
    individual_refused_contents: frozenset
    pre_approval_keywords: tuple

    @classmethod
    def load(cls):
        return cls(
            personal_certificate_types=frozenset(
                CertificateType.objects.filter(for_person=True, is_active=True).values_list("code", flat=True)
            ),
            individual_refused_contents=frozenset(
                ServiceContent.objects.filter(allowed_for_individual=False).values_list("code", flat=True)
            ),
            pre_approval_keywords=tuple(
                k for c in PreApprovalCategory.objects.filter(is_active=True) for k in c.keyword_list
            ),
        )


def with_preflight_relations(queryset):
    """The filing queryset with every relation the pure pre-flight rules read."""
    # A change (F05) also reads the approved filing it amends: its subject, the approved websites
    # its copies come from, and its documents. For new filings these prefetches run no query.
    return queryset.select_related(
        "subject__nature", "subject__certificate_type", "subject__province",
        "subject__responsible_certificate_type", "amends__subject",
    ).prefetch_related(
        "subject__nature__allowed_certificate_types",
        Prefetch(
            "websites",
            queryset=Website.objects.select_related("responsible_certificate_type", "source").prefetch_related(
                "service_contents", "pre_approval_categories",
                "source__service_contents", "source__pre_approval_categories",
            ),
        ),
        "documents",
        Prefetch(
            "amends__documents",
            queryset=Document.objects.exclude(review_status=ReviewStatus.REJECTED).only(
                "id", "filing_id", "website_id", "kind", "review_status"
            ),
        ),
    )


def _code(obj):
    return obj.code if obj is not None else ""


def _person(value):
    """The responsible person's fields (R04/R06b) from ``value(name, default)``."""
    return {
        f"responsible_{p}": _code(value(f"responsible_{p}", None)) if p == "certificate_type" else value(f"responsible_{p}", "")
        for p in PERSON_FIELDS
    }


def subject_data(value, codes):
    """The pure rules' view of a subject, from ``value(name, default)``: a stored subject's fields
    (:func:`build_filing_data`) or a spreadsheet row's values merged over them (the import)."""
    nature = value("nature", None)
    return SubjectData(
        nature_code=_code(nature),
        nature_is_individual=bool(nature and nature.is_individual),
        allowed_certificate_types=frozenset(t.code for t in nature.allowed_certificate_types.all()) if nature else frozenset(),
        name=value("name", ""),
        certificate_type=_code(value("certificate_type", None)),
        certificate_number=value("certificate_number", ""),
        certificate_override=value("certificate_override", False),
        investor=value("investor", ""),
        province_code=_code(value("province", None)),
        residence_address=value("residence_address", ""),
        mailing_address=value("mailing_address", ""),
        mailing_address_note=value("mailing_address_note", ""),
        responsible_is_legal_representative=value("responsible_is_legal_representative", True),
        responsible_allowed_certificate_types=codes.personal_certificate_types,
        **_person(value),
    )


def website_data(key, value, codes_of, codes):
    """The pure rules' view of a website, from ``value(name, default)`` and ``codes_of(relation)``
    (the codes of its service contents or pre-approval categories); stored or imported alike."""
    extra = {"pre_approval_keywords": codes.pre_approval_keywords} if codes.pre_approval_keywords else {}
    return WebsiteData(
        key=key, name=value("name", ""), domain=value("domain", ""), homepage=value("homepage", ""),
        service_content_codes=codes_of("service_contents"),
        individual_refused_content_codes=codes.individual_refused_contents,
        pre_approval_category_codes=codes_of("pre_approval_categories"),
        pre_approval_document_number=value("pre_approval_document_number", ""),
        domain_owner_is_organizer=value("domain_owner_is_organizer", True),
        **_person(value), **extra,
    )


def _reader(obj):
    return lambda name, default="": getattr(obj, name, default)


def build_filing_data(filing, codes=None):
    """A plain snapshot of the filing for the pure rules.

    Reads the filing's relations; load it through :func:`with_preflight_relations` to avoid
    queries per filing, and pass one :class:`CodeSnapshot` when building many.
    """
    codes = codes or CodeSnapshot.load()
    subject = getattr(filing, "subject", None)
    websites = list(filing.websites.all())
    websites_data = tuple(
        website_data(index, _reader(w), lambda name, w=w: frozenset(c.code for c in getattr(w, name).all()), codes)
        for index, w in enumerate(websites)
    )
    index_of = {w.pk: i for i, w in enumerate(websites)}
    documents = tuple(
        DocumentData(kind=d.kind, website_key=index_of.get(d.website_id), date=d.document_date,
                     rejected=d.review_status == ReviewStatus.REJECTED)
        for d in filing.documents.all()
    )
    return FilingData(
        subject=subject_data(_reader(subject), codes) if subject is not None else SubjectData(),
        websites=websites_data,
        documents=documents,
        created=timezone.localdate(filing.created_at),
        change=change_scope(filing, index_of),
    )


def load_for_preflight(filing):
    return with_preflight_relations(Filing.objects.filter(pk=filing.pk)).get()


def preflight(filing):
    """Every finding for this filing, pure rules first, then conflicts with live filings."""
    filing = load_for_preflight(filing)
    return run_preflight(build_filing_data(filing)) + conflict_findings(filing)


def has_blocking_findings(filing):
    return has_errors(preflight(filing))
