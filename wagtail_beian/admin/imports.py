"""Spreadsheet import in the admin: upload → preview (nothing written) → confirm → result.

Every view checks the ``import_filing`` permission and shows only the user's own jobs (404
otherwise). The confirm form carries a signed job reference (django.core.signing), never a path;
the permission is checked again on confirm. Large files run as a background task; their page shows
a progress bar that polls the JSON status view.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from .. import permissions as perms
from ..models import ImportJob, ImportStatus
from ..spreadsheets import jobs
from ..spreadsheets.importing import STATUS_LABELS, may_take_states
from ..spreadsheets.reading import max_bytes
from .policies import AppViewSetMixin

TEMPLATE_DIR = "wagtail_beian/admin/imports/"


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (xlsx or csv)"))
    customer = forms.CharField(
        label=gettext_lazy("Customer for rows without one"), required=False,
        help_text=gettext_lazy("User name or e-mail of the customer account that owns new filings whose row names none."),
    )
    take_states = forms.BooleanField(
        label=gettext_lazy("Take the state of new filings from the sheet"), required=False,
        help_text=gettext_lazy("Only for moving approved filings from an older system; every such state is logged."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_take_states(user):
            del self.fields["take_states"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is too large (at most %(max)s MB). Split it into several files.")
                % {"max": round(max_bytes() / 1048576, 1)}
            )
        return upload

    def clean_customer(self):
        name = self.cleaned_data["customer"].strip()
        if not name:
            return None
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: name}).first() or User.objects.filter(email__iexact=name).first()
        if user is None:
            raise forms.ValidationError(_("There is no customer account “%(value)s”.") % {"value": name})
        return user


def _require_import(request):
    if not perms.has_perm(request.user, perms.IMPORT):
        raise PermissionDenied


def _own_job(request, pk):
    _require_import(request)
    return get_object_or_404(ImportJob, pk=pk, created_by=request.user)


def upload(request):
    _require_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = jobs.create_job(
            form.cleaned_data["file"], request.user, default_owner=form.cleaned_data["customer"],
            take_states=form.cleaned_data.get("take_states", False),
        )
        job = jobs.enqueue(job, "check")
        return redirect("wagtail_beian_imports:job", job.pk)
    recent = ImportJob.objects.filter(created_by=request.user).order_by("-created_at")[:10]
    return render(request, TEMPLATE_DIR + "upload.html", {"form": form, "recent": recent})


def _row_view(report):
    """Rows of the report with their cells in column order and the issues at their cells."""
    columns = report.get("columns", [])
    rows = []
    for row in report.get("rows", []):
        by_column = {}
        for issue in row["issues"]:
            by_column.setdefault(issue["column"], []).append(issue)
        rows.append({
            "number": row["number"], "status": row["status"], "status_label": STATUS_LABELS[row["status"]],
            "filing": row.get("filing"),
            "cells": [{"value": row["cells"].get(c["key"], ""), "issues": by_column.get(c["key"], [])} for c in columns],
            "row_issues": by_column.get("", []),
        })
    return columns, rows


def job_detail(request, pk):
    job = _own_job(request, pk)
    columns, rows = _row_view(job.report or {})
    counts = [(STATUS_LABELS[k], v) for k, v in (job.counts or {}).items()]
    context = {
        "job": job, "columns": columns, "rows": rows, "counts": counts,
        "token": jobs.sign_job(job) if job.status == ImportStatus.READY else "",
        "status_url": reverse("wagtail_beian_imports:status", args=[job.pk]),
        "rows_total": (job.report or {}).get("rows_total", 0),
        "created": job.created_filings[:1000], "updated": job.updated_filings[:1000],
    }
    return render(request, TEMPLATE_DIR + "job.html", context)


def job_status(request, pk):
    job = _own_job(request, pk)
    return JsonResponse({
        "status": job.status, "status_label": job.get_status_display(), "running": job.is_running,
        "progress": job.progress, "total": job.total, "percent": job.percent, "counts": job.counts,
    })


@require_POST
def confirm(request):
    _require_import(request)  # checked again: permissions may have changed since the preview
    job = jobs.unsign_job(request.POST.get("token", ""), request.user)
    if job is None:
        raise Http404
    if job.status != ImportStatus.READY:
        return redirect("wagtail_beian_imports:job", job.pk)
    jobs.enqueue(job, "import")
    return redirect("wagtail_beian_imports:job", job.pk)


def urlpatterns():
    return [
        path("", upload, name="upload"),
        path("<int:pk>/", job_detail, name="job"),
        path("<int:pk>/status/", job_status, name="status"),
        path("confirm/", confirm, name="confirm"),
    ]


class ImportMenuItem(MenuItem):
    """「导入备案」 in the admin menu, for staff who may import."""

    def is_shown(self, request):
        return perms.has_perm(request.user, perms.IMPORT)


class ImportViewSet(AppViewSetMixin, ViewSet):
    """Spreadsheet import (upload, check, confirm) under ``/admin/beian/imports/``, with its menu item."""

    name = "wagtail_beian_imports"
    url_prefix = "beian/imports"
    icon = "upload"
    menu_label = gettext_lazy("Import filings")
    menu_order = 120
    add_to_admin_menu = True
    menu_item_class = ImportMenuItem

    @property
    def menu_url(self):
        return reverse("wagtail_beian_imports:upload")

    def get_urlpatterns(self):
        return urlpatterns()

    @classmethod
    def register_log_actions(cls, actions):
        actions.register_action("wagtail_beian.import_create", gettext_lazy("Import: create"),
                                gettext_lazy("Created by a spreadsheet import"))
        actions.register_action("wagtail_beian.import_update", gettext_lazy("Import: update"),
                                gettext_lazy("Updated by a spreadsheet import"))
        actions.register_action("wagtail_beian.import_state", gettext_lazy("Import: state"),
                                gettext_lazy("State taken from an imported spreadsheet"))
