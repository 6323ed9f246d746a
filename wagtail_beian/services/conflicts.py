"""Conflict detection among live filings: R08 (subject) and W02 (domain), set-based.

The database enforces both with partial unique constraints; these functions find conflicts
before a save, with messages that say what to do instead.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Subject, Website
from ..rules.domains import domain_to_unicode
from ..rules.numbers import parse_filing_number
from ..rules.preflight import Finding
from ..rules.provinces import province_by_abbreviation


def _excluded_filing_ids(filing):
    """A filing never conflicts with itself, nor a change with the filing it amends."""
    if filing is None:
        return set()
    ids = {filing.pk}
    if filing.amends_id:
        ids.add(filing.amends_id)
    return ids


def find_subject_conflict(certificate_type_id, certificate_number, exclude=None):
    """The live subject with this certificate type and normalised number, if any (R08)."""
    if not (certificate_type_id and certificate_number):
        return None
    return (
        Subject.objects.filter(
            is_live=True, certificate_type_id=certificate_type_id, certificate_number=certificate_number
        )
        .exclude(filing_id__in=_excluded_filing_ids(exclude))
        .select_related("filing", "filing__owner")
        .first()
    )


def find_domain_conflicts(domains, exclude=None):
    """{canonical domain: live Website} for the given domains, in one query (W02)."""
    domains = {d for d in domains if d}
    if not domains:
        return {}
    qs = (
        Website.objects.filter(is_live=True, domain__in=domains)
        .exclude(filing_id__in=_excluded_filing_ids(exclude))
        .select_related("filing")
    )
    return {w.domain: w for w in qs}


def _where_to_cancel(number):
    """The province named by the first character of an existing number, for the message."""
    if not number:
        return None
    try:
        parsed = parse_filing_number(number)
    except ValidationError:
        return None
    province = province_by_abbreviation(parsed.province)
    return province.name if province else parsed.province


def subject_conflict_message(existing, own_customer):
    number = existing.filing.subject_number
    if own_customer:
        problem = _("This organizer already has a filing here (%(ref)s).") % {"ref": number or _("in progress")}
        suggestion = _("Add the website to the existing filing instead of filing the organizer again.")
    else:
        problem = _("This organizer (same certificate type and number) is already filed%(number)s.") % {
            "number": f" ({number})" if number else ""
        }
        province = _where_to_cancel(number)
        suggestion = (
            _("Add the website to the existing filing; or cancel it at the bureau of %(province)s first.")
            % {"province": province}
            if province
            else _("Add the website to the existing filing; or have the other filing withdrawn first.")
        )
    return problem, suggestion


def domain_conflict_message(existing):
    number = existing.filing_number or existing.filing.public_record.subject_number
    province = _where_to_cancel(number)
    problem = _("The domain %(domain)s is already filed%(number)s.") % {
        "domain": domain_to_unicode(existing.domain),
        "number": f" ({number})" if number else "",
    }
    if province:
        suggestion = _(
            "A domain is filed only once. Cancel the existing website filing at the bureau of %(province)s "
            "(or cancel its access there), then file it here."
        ) % {"province": province}
    else:
        suggestion = _("A domain is filed only once. Use the existing filing, or have it withdrawn first.")
    return problem, suggestion


def conflict_findings(filing):
    """R08 and W02 findings for a filing (errors: the bureau would refuse it)."""
    findings = []
    subject = getattr(filing, "subject", None)
    if subject is not None:
        existing = find_subject_conflict(subject.certificate_type_id, subject.certificate_number, exclude=filing)
        if existing is not None:
            problem, suggestion = subject_conflict_message(existing, existing.filing.owner_id == filing.owner_id)
            findings.append(Finding("subject.certificate_number", "R08", "error", problem, suggestion))
    websites = list(filing.websites.all())
    conflicts = find_domain_conflicts([w.domain for w in websites], exclude=filing)
    seen = {}
    for index, website in enumerate(websites):
        existing = conflicts.get(website.domain)
        if existing is not None and existing.pk != website.source_id:
            problem, suggestion = domain_conflict_message(existing)
            findings.append(Finding(f"websites.{index}.domain", "W02", "error", problem, suggestion))
        if website.domain and website.domain in seen:
            findings.append(Finding(
                f"websites.{index}.domain", "W02", "error",
                _("The domain %(domain)s is listed twice in this filing.") % {"domain": domain_to_unicode(website.domain)},
                _("Each website has exactly one domain; remove the duplicate."),
            ))
        seen.setdefault(website.domain, index)
    return findings


__all__ = [
    "conflict_findings",
    "find_domain_conflicts",
    "find_subject_conflict",
]
