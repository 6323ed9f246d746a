"""Code tables (代码表): seeded by a data migration, edited by staff because the bureau changes them."""

import time

from django.db import DatabaseError, models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..rules import workdays


class CodeTableQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class CodeTable(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("beian", "active"), default=True)

    objects = CodeTableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Province(CodeTable):
    """A provincial bureau's area; ``code`` is the 2-digit GB/T 2260 division code."""

    abbreviation = models.CharField(_("abbreviation"), max_length=2, unique=True)
    legacy_abbreviations = models.CharField(
        _("legacy abbreviations"), max_length=10, blank=True,
        help_text=_("Older abbreviations still found in filing numbers, e.g. 川 for 蜀."),
    )
    requires_landline = models.BooleanField(
        _("landline required"), default=False,
        help_text=_("The bureau of this province requires a landline number for contacts (R07)."),
    )

    class Meta(CodeTable.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    @property
    def all_abbreviations(self):
        return {self.abbreviation, *self.legacy_abbreviations}


class CertificateType(CodeTable):
    """``code`` is one of the certificate type codes known to ``wagtail_beian.rules.identity``."""

    for_organizer = models.BooleanField(_("for organizers"), default=True)
    for_person = models.BooleanField(_("for responsible persons"), default=False)

    class Meta(CodeTable.Meta):
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")


class OrganizerNature(CodeTable):
    """R06b: organizer nature → allowed certificate types."""

    is_individual = models.BooleanField(_("individual"), default=False)
    allowed_certificate_types = models.ManyToManyField(
        CertificateType, verbose_name=_("allowed certificate types"), related_name="natures"
    )

    class Meta(CodeTable.Meta):
        verbose_name = _("organizer nature")
        verbose_name_plural = _("organizer natures")


class PreApprovalCategory(CodeTable):
    """W04: services that need a pre-approval document (前置审批)."""

    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True,
        help_text=_("Comma-separated words that flag a site name as needing this approval."),
    )

    class Meta(CodeTable.Meta):
        verbose_name = _("pre-approval category")
        verbose_name_plural = _("pre-approval categories")

    @property
    def keyword_list(self):
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class ServiceContent(CodeTable):
    allowed_for_individual = models.BooleanField(
        _("allowed for individuals"), default=True,
        help_text=_("Individuals may only file blog-like sites (R09)."),
    )

    class Meta(CodeTable.Meta):
        verbose_name = _("service content")
        verbose_name_plural = _("service contents")


class AccessMethod(CodeTable):
    class Meta(CodeTable.Meta):
        verbose_name = _("access method")
        verbose_name_plural = _("access methods")


class HolidayOverride(models.Model):
    """A staff-edited exception to the working-day calendar (F04)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: an adjusted working day (调休). Unticked: a holiday.")
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}".strip()


# --- the staff-edited holiday table feeds the one working-day calendar (F04) ------------------------

#: Other processes see a staff edit within this many seconds; this process at once.
OVERRIDE_CACHE_SECONDS = 60
_override_cache = {}


def holiday_overrides():
    """{date: is_workday} of the holiday table, cached; the override source of ``rules.workdays``."""
    loaded_at = _override_cache.get("loaded_at")
    if loaded_at is None or time.monotonic() - loaded_at > OVERRIDE_CACHE_SECONDS:
        try:
            overrides = dict(HolidayOverride.objects.values_list("date", "is_workday"))
        except DatabaseError:  # the table is not migrated yet (e.g. during migrate)
            return {}
        _override_cache.update(overrides=overrides, loaded_at=time.monotonic())
    return _override_cache["overrides"]


def invalidate_overrides(**kwargs):
    """Forget the cached holiday table and the working days computed from it (a receiver too)."""
    _override_cache.clear()
    workdays.clear_cache()
