"""Hosted domains (F08, actual access) for staff: the imported list, and the import itself.

The list is read-only here except through the import (a text or CSV file, merge or replace; see
:mod:`wagtail_beian.services.hosted`). Looking it up needs ``view_hosteddomain``, importing needs
``add_hosteddomain`` (the manager group). The comparison with the nominal access is the report
"Served here without access here" (:class:`wagtail_beian.admin.reports.HostedWithoutAccessReport`).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from .. import permissions as perms
from ..models import HostedDomain
from ..rules.domains import domain_to_unicode
from ..services import hosted as service
from .policies import AppViewSetMixin, ModelWidePolicyMixin
from .read_only import ReadOnlyHistoryView, ReadOnlyUsageView

IMPORT_PERMISSION, VIEW_PERMISSION = perms.ADD_HOSTED_DOMAIN, perms.VIEW_HOSTED_DOMAIN
MAX_SHOWN_ERRORS = 50


class HostedDomainPermissionPolicy(ModelWidePolicyMixin, ModelPermissionPolicy):
    """Viewing with ``view_hosteddomain``; rows change only through the import."""

    refused_actions = ("add", "change", "delete")


class HostedDomainIndexView(generic.IndexView):
    search_fields = ["domain"]
    default_ordering = "domain"

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(domain__icontains=self.search_query.strip().lower())

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("imported_by")

    @cached_property
    def columns(self):
        return [
            TitleColumn("domain", label=gettext_lazy("Domain"), accessor=lambda d: domain_to_unicode(d.domain), get_url=None),
            Column("hosts", label=gettext_lazy("Hosts seen"), accessor=lambda d: ", ".join(d.hosts.split())),
            DateColumn("imported_at", label=gettext_lazy("Imported"), sort_key="imported_at"),
            Column("imported_by", label=gettext_lazy("Imported by"),
                   accessor=lambda d: d.imported_by.get_username() if d.imported_by else ""),
        ]

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if perms.has_perm(self.request.user, IMPORT_PERMISSION):
            buttons.append(HeaderButton(_("Import list"), url=reverse("wagtail_beian_hosted_domains:import"), icon_name="upload"))
        return buttons


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List of hosted domains"),
        help_text=gettext_lazy(
            "A text file with one domain or host name per line, or a CSV file with a column “domain” (or 域名); "
            "UTF-8 or GB18030. www.example.com counts as example.com."
        ),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("What to do with the current list"), widget=forms.RadioSelect, initial=service.MERGE,
        choices=[
            (service.MERGE, gettext_lazy("Merge: add the listed domains, keep the others")),
            (service.REPLACE, gettext_lazy("Replace: afterwards the list holds exactly the listed domains")),
        ],
    )
    skip_errors = forms.BooleanField(
        label=gettext_lazy("Skip bad lines"), required=False,
        help_text=gettext_lazy("Import the good lines and list the bad ones. Otherwise nothing is imported when a line is bad."),
    )


class HostedDomainImportView(View):
    template_name = "wagtail_beian/admin/hosted/import.html"

    def dispatch(self, request, *args, **kwargs):
        if not perms.has_perm(request.user, IMPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, result=None, status=200):
        errors = list(result.errors) if result else []
        return TemplateResponse(self.request, self.template_name, {
            "form": form, "result": result, "errors": errors[:MAX_SHOWN_ERRORS],
            "more_errors": max(0, len(errors) - MAX_SHOWN_ERRORS),
            "index_url": reverse("wagtail_beian_hosted_domains:index"),
        }, status=status)

    def get(self, request):
        return self.render(ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > service.MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB: split it."))
            return self.render(form, status=400)
        result = service.import_hosted_domains(
            upload.read(), request.user, mode=form.cleaned_data["mode"], skip_errors=form.cleaned_data["skip_errors"],
        )
        if not result.written:
            messages.error(request, _("Nothing was imported: correct the lines listed below and upload the file again."))
            return self.render(form, result, status=400)
        messages.success(request, _("%(added)s added, %(kept)s already listed, %(removed)s removed.") % {
            "added": result.added, "kept": result.kept, "removed": result.removed,
        })
        if result.errors:
            messages.warning(request, ngettext("%(count)s bad line skipped.", "%(count)s bad lines skipped.",
                                               len(result.errors)) % {"count": len(result.errors)})
            return self.render(ImportForm(), result)
        return redirect("wagtail_beian_hosted_domains:index")


class HostedDomainViewSet(AppViewSetMixin, ModelViewSet):
    model = HostedDomain
    permission_policy_class = HostedDomainPermissionPolicy
    icon = "site"
    menu_label = gettext_lazy("Hosted domains")
    name = "wagtail_beian_hosted_domains"
    url_namespace = "wagtail_beian_hosted_domains"
    url_prefix = "beian/hosted-domains"
    index_view_class = HostedDomainIndexView
    history_view_class = ReadOnlyHistoryView
    usage_view_class = ReadOnlyUsageView
    copy_view_enabled = False
    list_per_page = 100
    form_fields = ["domain"]  # never used: rows change only through the import

    def get_permissions_to_register(self):
        return perms.permission_objects([VIEW_PERMISSION, IMPORT_PERMISSION])  # rows change only through the import

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("import/", HostedDomainImportView.as_view(), name="import")]
