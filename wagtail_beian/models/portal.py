"""What the provider configures for its customer portal, per Wagtail site."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..rules.numbers import parse_filing_number, parse_licence_number, parse_public_security_number

DEFAULT_LOCATIONS = "北京\n上海\n广州\n深圳\n杭州"


@register_setting(icon="doc-full-inverse")
class PortalSettings(BaseSiteSetting):
    provider_name = models.CharField(
        _("access provider's name"), max_length=100, blank=True,
        help_text=_("As registered with the MIIT; printed on the verification sheets customers generate."),
    )
    verification_sheet_template = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("verification sheet template"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    security_agreement_text = models.TextField(
        _("security agreement text"), blank=True,
        help_text=_("The information-security agreement's clauses, one paragraph per line. When set, customers "
                    "generate the agreement filled in with their organizer and websites, ready to sign."),
    )
    security_agreement_template = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("security agreement template"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    photo_background = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("on-site photo background"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The curtain or background customers print or use for the on-site photo."),
    )
    server_locations = models.TextField(
        _("server locations offered"), default=DEFAULT_LOCATIONS,
        help_text=_("One per line; customers choose one for each website's access."),
    )

    panels = [
        FieldPanel("provider_name"),
        FieldPanel("security_agreement_text"),
        FieldPanel("verification_sheet_template"),
        FieldPanel("security_agreement_template"),
        FieldPanel("photo_background"),
        FieldPanel("server_locations"),
    ]

    class Meta:
        verbose_name = _("ICP filing portal")

    @property
    def location_list(self):
        return [line.strip() for line in self.server_locations.splitlines() if line.strip()]

    def template_for(self, kind):
        return {
            "verification_sheet": self.verification_sheet_template,
            "security_agreement": self.security_agreement_template,
            "onsite_photo": self.photo_background,
        }.get(kind)


@register_setting(icon="site")
class SiteFilingNumbers(BaseSiteSetting):
    """What the footer of a hosted site shows, when the filings alone cannot tell."""

    icp_number = models.CharField(
        _("ICP filing number"), max_length=40, blank=True,
        help_text=_("Leave empty to use the approved website filing whose domain matches this site's host name."),
    )
    public_security_number = models.CharField(
        _("public-security filing number"), max_length=40, blank=True,
        help_text=_("e.g. 京公网安备 11010802020088号; shown with a link to its record."),
    )

    panels = [FieldPanel("icp_number"), FieldPanel("public_security_number")]

    class Meta:
        verbose_name = _("filing numbers in the footer")

    def clean(self):
        errors = {}
        if self.icp_number:
            try:
                self.icp_number = str(parse_filing_number(self.icp_number))
            except ValidationError as filing_error:
                try:
                    self.icp_number = str(parse_licence_number(self.icp_number))
                except ValidationError:
                    errors["icp_number"] = filing_error.messages
        if self.public_security_number:
            try:
                self.public_security_number = str(parse_public_security_number(self.public_security_number))
            except ValidationError as error:
                errors["public_security_number"] = error.messages
        if errors:
            raise ValidationError(errors)
