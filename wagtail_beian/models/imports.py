"""Spreadsheet import jobs (issue 6): one uploaded file, its check (preview) and its import.

The uploaded file stays in the private storage under ``file_name`` (never a path from the client);
the preview report, the counts and the lists of created and updated filings are kept as JSON so the
result page can be shown again and background imports can report progress.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    READY = "ready", _("Checked, waiting for confirmation")
    INVALID = "invalid", _("Refused: nothing was imported")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed: nothing was imported")


class ImportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    file_name = models.CharField(max_length=255, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    default_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer for rows without one"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    take_states = models.BooleanField(_("take states from the sheet"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    background = models.BooleanField(_("in the background"), default=False)
    progress = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_filings = models.JSONField(default=list, blank=True)
    updated_filings = models.JSONField(default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self):
        return self.status in (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def percent(self):
        return int(100 * self.progress / self.total) if self.total else (0 if self.is_running else 100)
