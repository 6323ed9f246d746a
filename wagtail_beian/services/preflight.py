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

_PERSON_FIELDS = ("name", "certificate_number", "mobile", "landline", "email")


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
        Prefetch("documents", queryset=Document.objects.exclude(review_status=ReviewStatus.REJECTED)),
        Prefetch(
            "amends__documents",
            queryset=Document.objects.exclude(review_status=ReviewStatus.REJECTED).only(
                "id", "filing_id", "website_id", "kind", "review_status"
            ),
        ),
    )


def _code(obj):
    return obj.code if obj is not None else ""


def _person(row):
    values = {f"responsible_{f}": getattr(row, f"responsible_{f}") for f in _PERSON_FIELDS}
    values["responsible_certificate_type"] = _code(row.responsible_certificate_type)
    return values


def _subject_data(subject, codes):
    if subject is None:
        return SubjectData()
    nature = subject.nature
    return SubjectData(
        nature_code=_code(nature),
        nature_is_individual=bool(nature and nature.is_individual),
        allowed_certificate_types=frozenset(t.code for t in nature.allowed_certificate_types.all()) if nature else frozenset(),
        name=subject.name,
        certificate_type=_code(subject.certificate_type),
        certificate_number=subject.certificate_number,
        certificate_override=subject.certificate_override,
        investor=subject.investor,
        province_code=_code(subject.province),
        residence_address=subject.residence_address,
        mailing_address=subject.mailing_address,
        mailing_address_note=subject.mailing_address_note,
        responsible_is_legal_representative=subject.responsible_is_legal_representative,
        responsible_allowed_certificate_types=codes.personal_certificate_types,
        **_person(subject),
    )


def build_filing_data(filing, codes=None):
    """A plain snapshot of the filing for the pure rules.

    Reads the filing's relations; load it through :func:`with_preflight_relations` to avoid
    queries per filing, and pass one :class:`CodeSnapshot` when building many.
    """
    codes = codes or CodeSnapshot.load()
    subject = getattr(filing, "subject", None)
    websites = list(filing.websites.all())
    extra = {"pre_approval_keywords": codes.pre_approval_keywords} if codes.pre_approval_keywords else {}
    website_data = tuple(
        WebsiteData(
            key=index, name=w.name, domain=w.domain, homepage=w.homepage,
            service_content_codes=frozenset(c.code for c in w.service_contents.all()),
            individual_refused_content_codes=codes.individual_refused_contents,
            pre_approval_category_codes=frozenset(c.code for c in w.pre_approval_categories.all()),
            pre_approval_document_number=w.pre_approval_document_number,
            domain_owner_is_organizer=w.domain_owner_is_organizer,
            **_person(w), **extra,
        )
        for index, w in enumerate(websites)
    )
    index_of = {w.pk: i for i, w in enumerate(websites)}
    documents = tuple(
        DocumentData(kind=d.kind, website_key=index_of.get(d.website_id), date=d.document_date)
        for d in filing.documents.all()
        if d.review_status != ReviewStatus.REJECTED
    )
    return FilingData(
        subject=_subject_data(subject, codes),
        websites=website_data,
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
