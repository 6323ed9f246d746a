"""R08 (subject) and W02 (domain) conflicts of a whole filing, as pre-flight findings.

The lookups and messages live with the models (:mod:`wagtail_beian.models.conflicts`).
"""

from django.utils.translation import gettext as _

from ..models import Subject, Website
from ..models.conflicts import domain_conflict_message, subject_conflict_message
from ..rules.domains import domain_to_unicode
from ..rules.preflight import Finding


def conflict_findings(filing):
    """R08 and W02 findings for a filing (errors: the bureau would refuse it)."""
    findings = []
    subject = getattr(filing, "subject", None)
    if subject is not None:
        existing = Subject.objects.conflicting_with(
            subject.certificate_type_id, subject.certificate_number, exclude=filing
        )
        if existing is not None:
            problem, suggestion = subject_conflict_message(existing, existing.filing.owner_id == filing.owner_id)
            findings.append(Finding("subject.certificate_number", "R08", "error", problem, suggestion))
    websites = list(filing.websites.all())
    conflicts = Website.objects.conflicting_with([w.domain for w in websites], exclude=filing)
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

