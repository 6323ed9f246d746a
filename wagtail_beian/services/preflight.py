"""Pre-flight of a stored filing: the pure rules (rules.preflight) plus the database ones (R08, W02)."""

from django.utils import timezone

from ..models import CertificateType, Document, PreApprovalCategory, ServiceContent, Subject, Website
from ..rules.preflight import DocumentData, FilingData, SubjectData, WebsiteData, has_errors, run_preflight
from .conflicts import conflict_findings

_PERSON_FIELDS = ("name", "certificate_number", "mobile", "landline", "email")


def _code(obj):
    return obj.code if obj is not None else ""


def _person(row):
    values = {f"responsible_{f}": getattr(row, f"responsible_{f}") for f in _PERSON_FIELDS}
    values["responsible_certificate_type"] = _code(row.responsible_certificate_type)
    return values


def _subject_data(subject):
    if subject is None:
        return SubjectData()
    nature = subject.nature
    personal = frozenset(CertificateType.objects.filter(for_person=True, is_active=True).values_list("code", flat=True))
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
        responsible_allowed_certificate_types=personal,
        **_person(subject),
    )


def build_filing_data(filing):
    """A plain snapshot of the filing for the pure pre-flight rules (a fixed number of queries)."""
    subject = (
        Subject.objects.filter(filing=filing)
        .select_related("nature", "certificate_type", "province", "responsible_certificate_type")
        .prefetch_related("nature__allowed_certificate_types")
        .first()
    )
    websites = list(
        Website.objects.filter(filing=filing)
        .select_related("responsible_certificate_type")
        .prefetch_related("service_contents", "pre_approval_categories")
    )
    refused = frozenset(ServiceContent.objects.filter(allowed_for_individual=False).values_list("code", flat=True))
    keywords = tuple(
        k for c in PreApprovalCategory.objects.filter(is_active=True) for k in c.keyword_list
    ) or None
    website_data = []
    for index, w in enumerate(websites):
        extra = {"pre_approval_keywords": keywords} if keywords else {}
        website_data.append(WebsiteData(
            key=index, name=w.name, domain=w.domain, homepage=w.homepage,
            service_content_codes=frozenset(c.code for c in w.service_contents.all()),
            individual_refused_content_codes=refused,
            pre_approval_category_codes=frozenset(c.code for c in w.pre_approval_categories.all()),
            pre_approval_document_number=w.pre_approval_document_number,
            domain_owner_is_organizer=w.domain_owner_is_organizer,
            **_person(w), **extra,
        ))
    index_of = {w.pk: i for i, w in enumerate(websites)}
    documents = tuple(
        DocumentData(kind=d.kind, website_key=index_of.get(d.website_id), date=d.document_date)
        for d in Document.objects.filter(filing=filing).exclude(review_status="rejected")
    )
    return FilingData(
        subject=_subject_data(subject),
        websites=tuple(website_data),
        documents=documents,
        created=timezone.localdate(filing.created_at),
    )


def preflight(filing):
    """Every finding for this filing, pure rules first, then conflicts with live filings."""
    return run_preflight(build_filing_data(filing)) + conflict_findings(filing)


def has_blocking_findings(filing):
    return has_errors(preflight(filing))

