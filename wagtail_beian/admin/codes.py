"""Code tables (代码表) in the admin: one ModelViewSet per table, grouped under one menu item.

Permissions are Wagtail's model permissions (add/change/delete/view) through the default
model permission policy: the manager group edits, the clerk group only views (groups.py).
With view-only permission the index and the inspect view open; add, edit, delete, usage and
history refuse (PermissionDenied → a redirect with a message inside the admin).
"""

import datetime

from django import forms
from django.contrib.admin.utils import NestedObjects
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import (
    AccessMethod,
    CertificateType,
    HolidayOverride,
    OrganizerNature,
    PreApprovalCategory,
    Province,
    ServiceContent,
)
from ..rules import identity, workdays

# ---------------------------------------------------------------------------------- forms


class CodeTableForm(WagtailAdminModelForm):
    """The ``code`` is what the rules, the seed and stored filings refer to: fixed once created."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code is used by the rules and cannot be changed.")


class ProvinceForm(CodeTableForm):
    def clean_code(self):
        code = self.cleaned_data["code"]
        if not (len(code) == 2 and code.isdigit()):
            raise forms.ValidationError(
                _("Enter the 2-digit division code of the province (GB/T 2260), e.g. 11 for Beijing.")
            )
        return code


class CertificateTypeForm(CodeTableForm):
    def clean_code(self):
        code = self.cleaned_data["code"]
        known = [c for c, _label in identity.CERTIFICATE_TYPES]
        if code not in known:
            raise forms.ValidationError(
                _("Unknown certificate type code %(code)s: the number checks know only %(known)s."),
                params={"code": code, "known": ", ".join(known)},
            )
        return code


# ---------------------------------------------------------------------------------- views


def protected_by(instance):
    """Rows that stop ``instance`` from being deleted (PROTECT/RESTRICT): {verbose_name_plural: count}.

    Asked of Django's deletion collector, the same one ``delete()`` uses, so the answer holds
    whether or not Wagtail's reference index knows the referencing models.
    """
    collector = NestedObjects(using=router.db_for_write(type(instance)) or DEFAULT_DB_ALIAS)
    collector.collect([instance])
    counts = {}
    for obj in collector.protected:
        name = capfirst(obj._meta.verbose_name_plural)
        counts[name] = counts.get(name, 0) + 1
    return counts


class CodeTableDeleteView(generic.DeleteView):
    """Wagtail's delete view, refusing with a clear message when filings still use the row."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.protected_counts = protected_by(self.object)

    @property
    def protected_message(self):
        users = "; ".join(f"{name}: {count}" for name, count in self.protected_counts.items())
        message = gettext("%(object)s cannot be deleted: it is still used (%(users)s).") % {
            "object": self.object, "users": users,
        }
        if any(f.name == "is_active" for f in self.model._meta.fields):
            message += " " + gettext("Untick “%(active)s” to stop offering it instead.") % {
                "active": capfirst(self.model._meta.get_field("is_active").verbose_name),
            }
        return message

    def get(self, request, *args, **kwargs):
        if self.protected_counts:
            messages.error(request, self.protected_message)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if self.protected_counts:
            messages.error(self.request, self.protected_message)
            return HttpResponseRedirect(self.get_delete_url())
        try:
            return super().form_valid(form)
        except (ProtectedError, RestrictedError):  # a filing started using it meanwhile
            self.protected_counts = protected_by(self.object) or {capfirst(gettext("filings")): 1}
            messages.error(self.request, self.protected_message)
            return HttpResponseRedirect(self.get_delete_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.protected_counts:
            # Hides the "Yes, delete" form of Wagtail's template.
            context["is_protected"] = True
        return context


class CodeTableInspectView(generic.InspectView):
    """Read-only view of a row (the clerk's way in): yes/no in the user's language, not True/False."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return yesno(value) if isinstance(value, bool) else value


class HolidayOverrideIndexView(generic.IndexView):
    """The holiday table, warning about years whose working days are counted Monday–Friday."""

    def get(self, request, *args, **kwargs):
        if not self.results_only and not self.is_export:
            years = uncovered_years_ahead()
            if years:
                messages.warning(request, uncovered_years_message(years))
        return super().get(request, *args, **kwargs)


def uncovered_years_ahead(today=None):
    """Years of the next 12 months that neither chinese_calendar nor the override table covers (F04)."""
    today = today or timezone.localdate()
    try:
        a_year_later = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        a_year_later = datetime.date(today.year + 1, 3, 1)
    return workdays.uncovered_years(today, a_year_later - datetime.timedelta(days=1))


def uncovered_years_message(years):
    return ngettext(
        "No holiday calendar for %(years)s: working days in that year are counted Monday to "
        "Friday, so deadlines may be wrong. Enter the statutory holidays and the adjusted "
        "working days (调休) of %(years)s here once the State Council publishes them.",
        "No holiday calendar for %(years)s: working days in those years are counted Monday to "
        "Friday, so deadlines may be wrong. Enter the statutory holidays and the adjusted "
        "working days (调休) of %(years)s here once the State Council publishes them.",
        len(years),
    ) % {"years": ", ".join(str(year) for year in years)}


# ------------------------------------------------------------------------------- viewsets


class CodeTableViewSet(ModelViewSet):
    """Shared set-up of the code tables: code/name/active, searchable, no copy, inspect for viewers."""

    add_to_admin_menu = False  # listed in CodeTablesGroup's submenu
    copy_view_enabled = False
    # Viewers (the clerk group has only "view") reach the rows through the inspect view;
    # enabling it also puts the "view" permission into Wagtail's group editor.
    inspect_view_enabled = True
    delete_view_class = CodeTableDeleteView
    inspect_view_class = CodeTableInspectView
    inspect_view_fields_exclude = ["id"]
    list_display = ["name", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    ordering = ["sort_order", "code"]
    list_per_page = 50
    form_fields = ["code", "name", "sort_order", "is_active"]
    #: Widgets other than Wagtail's defaults, by field name.
    form_widgets = {}
    base_form_class = CodeTableForm

    def get_common_view_kwargs(self, **kwargs):
        # Subjects, websites and access records are not in Wagtail's reference index, so its
        # usage count would say "used 0 times" of a province used by every Beijing filing.
        # The delete view asks Django's collector instead (CodeTableDeleteView).
        return super().get_common_view_kwargs(**{"usage_url_name": None, **kwargs})

    def get_edit_handler(self):
        # Panels rather than a bare ModelForm: Wagtail's admin widgets (date picker, ...)
        # and a base form class that validates the codes.
        panels = [FieldPanel(name, widget=self.form_widgets.get(name)) for name in self.form_fields]
        return ObjectList(panels, base_form_class=self.base_form_class).bind_to_model(self.model)


class ProvinceViewSet(CodeTableViewSet):
    model = Province
    name = "wagtail_beian_provinces"
    url_prefix = "beian/codes/provinces"
    icon = "site"
    menu_order = 100
    list_display = [
        "name", "code", "abbreviation", "legacy_abbreviations", "requires_landline", "is_active",
    ]
    list_filter = ["is_active", "requires_landline"]
    search_fields = ["code", "name", "abbreviation", "legacy_abbreviations"]
    form_fields = [
        "code", "name", "abbreviation", "legacy_abbreviations", "requires_landline", "sort_order", "is_active",
    ]
    base_form_class = ProvinceForm


class CertificateTypeViewSet(CodeTableViewSet):
    model = CertificateType
    name = "wagtail_beian_certificate_types"
    url_prefix = "beian/codes/certificate-types"
    icon = "form"
    menu_order = 200
    list_display = ["name", "code", "for_organizer", "for_person", "is_active"]
    list_filter = ["is_active", "for_organizer", "for_person"]
    form_fields = ["code", "name", "for_organizer", "for_person", "sort_order", "is_active"]
    base_form_class = CertificateTypeForm


class OrganizerNatureViewSet(CodeTableViewSet):
    """R06b: which certificate types each organizer nature may file with; staff edit it."""

    model = OrganizerNature
    name = "wagtail_beian_organizer_natures"
    url_prefix = "beian/codes/organizer-natures"
    icon = "group"
    menu_order = 300
    list_display = ["name", "code", "is_individual", "is_active"]
    list_filter = ["is_active", "is_individual"]
    form_fields = ["code", "name", "is_individual", "allowed_certificate_types", "sort_order", "is_active"]
    form_widgets = {"allowed_certificate_types": forms.CheckboxSelectMultiple}


class PreApprovalCategoryViewSet(CodeTableViewSet):
    """W04: services needing a pre-approval document, and the site-name keywords that flag them."""

    model = PreApprovalCategory
    name = "wagtail_beian_pre_approval_categories"
    url_prefix = "beian/codes/pre-approval-categories"
    icon = "doc-full"
    menu_order = 400
    list_display = ["name", "code", "keywords", "is_active"]
    search_fields = ["code", "name", "keywords"]
    form_fields = ["code", "name", "keywords", "sort_order", "is_active"]


class ServiceContentViewSet(CodeTableViewSet):
    """R09: service contents, and whether individuals may file them."""

    model = ServiceContent
    name = "wagtail_beian_service_contents"
    url_prefix = "beian/codes/service-contents"
    icon = "list-ul"
    menu_order = 500
    list_display = ["name", "code", "allowed_for_individual", "is_active"]
    list_filter = ["is_active", "allowed_for_individual"]
    form_fields = ["code", "name", "allowed_for_individual", "sort_order", "is_active"]


class AccessMethodViewSet(CodeTableViewSet):
    model = AccessMethod
    name = "wagtail_beian_access_methods"
    url_prefix = "beian/codes/access-methods"
    icon = "link"
    menu_order = 600


class HolidayOverrideViewSet(CodeTableViewSet):
    """F04: statutory holidays and adjusted working days that chinese_calendar does not (yet) know.

    Saving or deleting a row invalidates the working-day cache (models.codes.invalidate_overrides), so deadlines
    computed afterwards use it at once in this process and within a minute in the others.
    """

    model = HolidayOverride
    name = "wagtail_beian_holiday_overrides"
    url_prefix = "beian/codes/holidays"
    icon = "date"
    menu_order = 700
    index_view_class = HolidayOverrideIndexView
    delete_view_class = generic.DeleteView  # nothing refers to a holiday
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday", "date"]
    search_fields = ["note"]
    ordering = ["date"]
    list_per_page = 50
    form_fields = ["date", "is_workday", "note"]
    base_form_class = WagtailAdminModelForm


class CodeTablesGroup(ViewSetGroup):
    menu_label = _("ICP code tables")
    menu_icon = "list-ul"
    menu_name = "wagtail_beian_code_tables"
    menu_order = 9000
    add_to_admin_menu = True
    items = (
        ProvinceViewSet,
        CertificateTypeViewSet,
        OrganizerNatureViewSet,
        PreApprovalCategoryViewSet,
        ServiceContentViewSet,
        AccessMethodViewSet,
        HolidayOverrideViewSet,
    )
