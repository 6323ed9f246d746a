"""R08 (subject) and W02 (domain) conflicts: the querysets that find them and the messages.

The database enforces both with partial unique constraints. These find a conflict before a save,
for ``Subject.clean`` / ``Website.clean``, pre-flight and the import, with messages that say what
to do instead. The lookups are queryset methods (``Subject.objects.conflicting_with``,
``Website.objects.conflicting_with``), so models need no service to validate themselves.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from ..rules.domains import domain_to_unicode
from ..rules.numbers import parse_filing_number
from ..rules.provinces import province_by_abbreviation


def excluded_filing_ids(filing):
    """A filing never conflicts with itself, nor a change with the filing it amends."""
    if filing is None:
        return set()
    ids = {filing.pk}
    if filing.amends_id:
        ids.add(filing.amends_id)
    return ids


class SubjectQuerySet(models.QuerySet):
    def conflicting_with(self, certificate_type_id, certificate_number, exclude=None):
        """The live subject with this certificate type and normalised number, if any (R08)."""
        if not (certificate_type_id and certificate_number):
            return None
        return (
            self.filter(is_live=True, certificate_type_id=certificate_type_id, certificate_number=certificate_number)
            .exclude(filing_id__in=excluded_filing_ids(exclude))
            .select_related("filing", "filing__owner")
            .first()
        )


class WebsiteQuerySet(models.QuerySet):
    def conflicting_with(self, domains, exclude=None):
        """{canonical domain: live Website} for the given domains, in one query (W02)."""
        domains = {d for d in domains if d}
        if not domains:
            return {}
        qs = (
            self.filter(is_live=True, domain__in=domains)
            .exclude(filing_id__in=excluded_filing_ids(exclude))
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
    """(problem, suggestion) for an R08 conflict with the live subject ``existing``."""
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
    """(problem, suggestion) for a W02 conflict with the live website ``existing``."""
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
