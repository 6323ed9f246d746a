"""Subjects, websites, access records and documents in the admin: find them, edit submitted data.

Staff edit a filing's data part by part (F01: only while the provider may change it). Each edit
is checked per object by the registered permission policy and written to the filing's history.
"""

from django import forms
from django.forms import modelform_factory
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .. import permissions as perms
from ..forms.filings import SUBJECT_FIELDS, WEBSITE_FIELDS
from ..models import Access, Document, Subject, Website
from ..services.edits import form_changes, initial_values, log_edit
from ..services.overrides import accept_certificate_checksum_override
from ..services.search import filing_search_q
from .policies import AppViewSetMixin, FilingPartPermissionPolicy, staff_filings


class PartMixin:
    """Objects of filings this user may see; per-object permission on every single-object view."""

    instance_action = "view"

    def part_queryset(self):
        filings = staff_filings(self.request.user)
        model = self.model
        if model is Access:
            return model.objects.filter(website__filing__in=filings).select_related("website__filing", "method")
        return model.objects.filter(filing__in=filings).select_related("filing")

    def get_object(self, queryset=None):
        pk = self.kwargs.get("pk") or self.kwargs.get(getattr(self, "pk_url_kwarg", "pk"))
        obj = get_object_or_404(self.part_queryset(), pk=pk)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, self.instance_action, obj):
            raise PermissionDenied
        return obj


def filing_url(obj):
    filing = obj.website.filing if isinstance(obj, Access) else obj.filing
    return reverse("wagtail_beian_filings:inspect", args=[filing.pk])


class PartIndexView(PartMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.part_queryset()

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        filings = staff_filings(self.request.user).filter(filing_search_q(self.search_query)).values("pk")
        if self.model is Access:
            return queryset.filter(website__filing__in=filings)
        return queryset.filter(filing__in=filings)


class PartEditView(PartMixin, generic.EditView):
    instance_action = "change"

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        self.before = initial_values(form)  # validation writes into the instance: keep what it was
        return form

    def field_prefix(self, instance):
        """The path reasons use for this record: subject, websites.<i>, websites.<i>.access, documents."""
        if isinstance(instance, Subject):
            return "subject"
        website = instance.website if isinstance(instance, (Access, Document)) else instance
        if website is None:
            return "documents"
        index = list(website.filing.websites.order_by("sort_order", "pk").values_list("pk", flat=True)).index(website.pk)
        return {Access: f"websites.{index}.access", Document: f"documents.{index}"}.get(type(instance), f"websites.{index}")

    def save_instance(self):
        instance = super().save_instance()
        filing = instance.website.filing if isinstance(instance, Access) else instance.filing
        changes = [
            c for c in form_changes(self.form, self.field_prefix(instance), self.before)
            if c["field"].rsplit(".", 1)[-1] not in SubjectStaffForm.OVERRIDE_FIELDS
        ]
        log_edit(filing, self.request.user, self.model._meta.model_name, changes, id=instance.pk)
        if self.form.cleaned_data.get("accept_checksum"):
            accept_certificate_checksum_override(instance, self.request.user, self.form.cleaned_data["override_note"])
        return instance


class SubjectStaffForm(WagtailAdminModelForm):
    """The subject editor; a reviewer holding ``override_certificate_checksum`` may also accept a
    certificate number whose only fault is its checksum (R06: some early USCCs are real yet fail
    it), with a note. The acceptance is logged by ``services.overrides``; changing the number later
    drops it unless it is accepted again."""

    OVERRIDE_FIELDS = ("accept_checksum", "override_note")

    accept_checksum = forms.BooleanField(
        label=_("Accept this certificate number although its checksum fails"), required=False,
        help_text=_("Only after comparing it with the licence: some early unified social credit codes are real "
                    "yet fail the check. Your acceptance is written to the filing's history."),
    )
    override_note = forms.CharField(
        label=_("Why it is accepted"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. checked against the licence scan; the customer sent the original."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not perms.has_perm(self.for_user, perms.OVERRIDE_CHECKSUM):
            for name in self.OVERRIDE_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("accept_checksum"):
            if not (data.get("override_note") or "").strip():
                self.add_error("override_note", _("Say why the number is accepted (e.g. checked against the licence scan)."))
            self.instance.certificate_override = True  # the model's clean then accepts the checksum
        elif {"certificate_number", "certificate_type"} & set(self.changed_data):
            self.instance.certificate_override = False  # a new number is checked again
        return data


class PartInspectView(PartMixin, generic.InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filing_url"] = filing_url(self.object)
        return context


class PartHistoryView(PartMixin, generic.history.HistoryView):
    pass


class PartViewSet(AppViewSetMixin, ModelViewSet):
    permission_policy_class = FilingPartPermissionPolicy
    index_view_class = PartIndexView
    edit_view_class = PartEditView
    inspect_view_class = PartInspectView
    history_view_class = PartHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_admin_menu = False
    list_per_page = 25


def _organizer(obj):
    filing = obj.website.filing if isinstance(obj, Access) else obj.filing
    return str(filing)


class SubjectViewSet(PartViewSet):
    model = Subject
    icon = "group"
    name = "wagtail_beian_subjects"
    url_prefix = "beian/subjects"
    menu_label = _("Subjects")
    form_fields = SUBJECT_FIELDS
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model, form=SubjectStaffForm, formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
        )

    @property
    def list_display(self):
        return [
            TitleColumn("name", label=_("Organizer name"), get_url=filing_url),
            Column("nature", label=_("Organizer nature")),
            Column("province", label=_("Province")),
            Column("certificate", label=_("Certificate number"), accessor="masked_certificate_number"),
        ]


class WebsiteViewSet(PartViewSet):
    model = Website
    icon = "globe"
    name = "wagtail_beian_websites"
    url_prefix = "beian/websites"
    menu_label = _("Websites")
    form_fields = WEBSITE_FIELDS
    search_fields = ["domain"]

    @property
    def list_display(self):
        return [
            TitleColumn("domain", label=_("Domain"), get_url=filing_url),
            Column("name", label=_("Website name")),
            Column("filing", label=_("Organizer"), accessor=_organizer),
            Column("status", label=_("Status"), accessor="get_status_display"),
        ]


class AccessViewSet(PartViewSet):
    model = Access
    icon = "cogs"
    name = "wagtail_beian_access"
    url_prefix = "beian/access"
    menu_label = _("Access records")
    form_fields = ["method", "server_location", "ip_addresses"]
    search_fields = ["ip_addresses"]

    @property
    def list_display(self):
        return [
            TitleColumn("website", label=_("Website"), accessor=lambda a: a.website.domain, get_url=filing_url),
            Column("method", label=_("Access method")),
            Column("server_location", label=_("Server location")),
            Column("ip_addresses", label=_("IP addresses")),
        ]


class DocumentViewSet(PartViewSet):
    model = Document
    icon = "doc-full"
    name = "wagtail_beian_documents"
    url_prefix = "beian/documents"
    menu_label = pgettext_lazy("beian", "Documents")
    form_fields = ["document_date"]
    search_fields = ["original_name"]

    @property
    def list_display(self):
        return [
            TitleColumn("kind", label=pgettext_lazy("beian", "Document"), accessor="get_kind_display", get_url=filing_url),
            Column("filing", label=_("Organizer"), accessor=_organizer),
            Column("document_date", label=_("Date on the document")),
            Column("review_status", label=_("Review"), accessor="get_review_status_display"),
        ]

