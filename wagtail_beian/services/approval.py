"""Numbers on approval: the subject number from the bureau's reply and the website numbers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Filing, FilingKind, Website, WebsiteStatus
from ..rules.numbers import parse_subject_number


def validate_subject_number(filing, value):
    """Check the number the bureau issued: format, province = the subject's province, unused."""
    number = parse_subject_number(value)
    province = filing.subject.province
    if province is not None and number.province_code != province.code:
        raise ValidationError(
            _(
                "%(number)s was issued in %(issued)s, but the organizer's province is %(province)s. "
                "Enter the number from the reply of the %(province)s bureau."
            )
            % {"number": number.subject_number, "issued": number.province, "province": province.name},
            code="province_mismatch",
        )
    clash = Filing.objects.filter(kind=FilingKind.NEW, subject_number=number.subject_number).exclude(pk=filing.pk)
    if clash.exists():
        raise ValidationError(
            _("%(number)s already belongs to another filing. Check the bureau's reply and enter this subject's number.")
            % {"number": number.subject_number},
            code="number_taken",
        )
    return number.subject_number


def assign_site_numbers(filing, websites):
    """Give each website the next free -N of the filing; numbers are never reused (F06)."""
    for website in websites:
        filing.last_site_number += 1
        website.site_number = filing.last_site_number
        website.save(update_fields=["site_number"])
    Filing.objects.filter(pk=filing.pk).update(last_site_number=filing.last_site_number)


def apply_approval(filing, subject_number=""):
    if filing.kind == FilingKind.CHANGE:
        from .changes import apply_change

        apply_change(filing)
        return
    if filing.subject_number:
        # Re-approval after a cancellation was refused keeps the number it has.
        subject_number = subject_number or filing.subject_number
    filing.subject_number = validate_subject_number(filing, subject_number)
    new_sites = Website.objects.filter(
        filing=filing, site_number__isnull=True, status=WebsiteStatus.ACTIVE
    ).order_by("sort_order", "pk")
    assign_site_numbers(filing, new_sites)
