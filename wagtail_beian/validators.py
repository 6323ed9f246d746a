"""Public API of the pure rules: import from here, not from ``wagtail_beian.rules.*``."""

from wagtail_beian.rules.contacts import (
    normalize_email,
    normalize_landline,
    normalize_mobile,
    required_contact_fields,
    validate_mailing_address,
)
from wagtail_beian.rules.documents import (
    DOCUMENT_KINDS,
    RequiredDocument,
    RequirementInput,
    WebsiteRequirementInput,
    check_document_dates,
    missing_documents,
    required_documents,
)
from wagtail_beian.rules.preflight import (
    DocumentData,
    FilingData,
    Finding,
    SubjectData,
    WebsiteData,
    has_errors,
    run_preflight,
)
from wagtail_beian.rules.workdays import (
    WorkdayFallbackWarning,
    add_workdays,
    is_workday,
    uncovered_years,
    workdays_between,
)
from wagtail_beian.rules.domains import default_homepage, domain_to_unicode, normalize_domain
from wagtail_beian.rules.identity import (
    CERTIFICATE_TYPES,
    FOREIGN_PERMANENT_RESIDENCE,
    FOUNDATION,
    HK_MACAU_PERMIT,
    HMT_RESIDENCE_PERMIT,
    INSTITUTION,
    LAW_FIRM,
    ORG_CODE,
    ORGANISATION_TYPES,
    PASSPORT,
    PERSONAL_TYPES,
    PRIVATE_NON_ENTERPRISE,
    RESIDENT_ID,
    SOCIAL_ORG,
    TAIWAN_PERMIT,
    USCC,
    certificate_label,
    mask_certificate_number,
    normalize_certificate,
    normalize_resident_id,
    normalize_uscc,
)
from wagtail_beian.rules.network import normalize_ip_list, normalize_public_ip
from wagtail_beian.rules.numbers import (
    SERVICE_KINDS,
    FilingNumber,
    LicenceNumber,
    PublicSecurityNumber,
    format_filing_number,
    parse_filing_number,
    parse_licence_number,
    parse_public_security_number,
    parse_subject_number,
)
from wagtail_beian.rules.provinces import (
    PROVINCES,
    Province,
    province_by_abbreviation,
    province_by_code,
)

__all__ = [
    # provinces
    "PROVINCES",
    "Province",
    "province_by_abbreviation",
    "province_by_code",
    # numbers
    "SERVICE_KINDS",
    "FilingNumber",
    "LicenceNumber",
    "PublicSecurityNumber",
    "format_filing_number",
    "parse_filing_number",
    "parse_licence_number",
    "parse_public_security_number",
    "parse_subject_number",
    # identity
    "CERTIFICATE_TYPES",
    "FOREIGN_PERMANENT_RESIDENCE",
    "FOUNDATION",
    "HK_MACAU_PERMIT",
    "HMT_RESIDENCE_PERMIT",
    "INSTITUTION",
    "LAW_FIRM",
    "ORG_CODE",
    "ORGANISATION_TYPES",
    "PASSPORT",
    "PERSONAL_TYPES",
    "PRIVATE_NON_ENTERPRISE",
    "RESIDENT_ID",
    "SOCIAL_ORG",
    "TAIWAN_PERMIT",
    "USCC",
    "certificate_label",
    "mask_certificate_number",
    "normalize_certificate",
    "normalize_resident_id",
    "normalize_uscc",
    # domains
    "default_homepage",
    "domain_to_unicode",
    "normalize_domain",
    # contacts
    "normalize_email",
    "normalize_landline",
    "normalize_mobile",
    "required_contact_fields",
    "validate_mailing_address",
    # working days (F04)
    "WorkdayFallbackWarning",
    "add_workdays",
    "is_workday",
    "uncovered_years",
    "workdays_between",
    # documents (D01–D04)
    "DOCUMENT_KINDS",
    "RequiredDocument",
    "RequirementInput",
    "WebsiteRequirementInput",
    "check_document_dates",
    "missing_documents",
    "required_documents",
    # pre-flight
    "DocumentData",
    "FilingData",
    "Finding",
    "SubjectData",
    "WebsiteData",
    "has_errors",
    "run_preflight",
    # network (F07, F08)
    "normalize_ip_list",
    "normalize_public_ip",
]
