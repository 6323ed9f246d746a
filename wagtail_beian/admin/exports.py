"""Spreadsheet export from the filing listing, and the empty import template (issue 6).

Wagtail's own listing export (``SpreadsheetExportMixin``) writes one row per object, builds the
xlsx in memory and iterates the queryset without chunked prefetching. We keep its buttons and
URLs (``?export=xlsx`` / ``?export=csv`` next to the listing's own query string, so filters,
search and ordering carry over) and answer them with :mod:`wagtail_beian.spreadsheets.exporting`:
one row per website, streamed, certificate numbers masked by permission.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import Button

from .. import permissions as perms
from ..spreadsheets import exporting
from ..spreadsheets.template import template_bytes, template_filename
from .policies import staff_filings

VIEW_FILING = perms.VIEW_FILING


class FilingExportMixin:
    """For the filing IndexView: the listing's Download XLSX / CSV buttons, and a template link."""

    export_filename = "beian-filings"

    @cached_property
    def show_export_buttons(self):
        return True

    def export_queryset(self):
        """What the listing shows this user, filtered, searched and ordered as on screen.

        The same steps as ``BaseListingView.get_queryset``, from the permission-checked filings
        without the listing's annotations (the export loads its own relations, chunk by chunk).
        """
        queryset = staff_filings(self.request.user)
        queryset = self.order_queryset(queryset)
        queryset = self.filter_queryset(queryset)
        return self.search_queryset(queryset)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return exporting.export_response(self.export_queryset(), request.GET["export"], request.user)
        return super().get(request, *args, **kwargs)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                _("Spreadsheet template"), url=reverse("wagtail_beian_filings:spreadsheet_template"),
                icon_name="download", priority=110,
            )
        )
        return buttons


def spreadsheet_template(request):
    """The empty xlsx template (headers, dropdowns, explanations) for whoever may see filings."""
    if not perms.has_perm(request.user, VIEW_FILING):
        raise PermissionDenied
    response = HttpResponse(template_bytes(), content_type=exporting.CONTENT_TYPES[exporting.XLSX])
    response["Content-Disposition"] = f'attachment; filename="{template_filename()}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
