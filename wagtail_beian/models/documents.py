"""Document scans of a filing (D01–D05), kept in private storage."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..rules.documents import DOCUMENT_KINDS
from ..storage import private_storage, random_scan_name
from .states import ReviewStatus


class Document(models.Model):
    filing = models.ForeignKey("wagtail_beian.Filing", on_delete=models.CASCADE, related_name="documents")
    website = models.ForeignKey(
        "wagtail_beian.Website", null=True, blank=True, on_delete=models.CASCADE, related_name="documents",
        help_text=_("For documents that belong to one website (verification sheet, domain certificate)."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=DOCUMENT_KINDS)
    file = models.FileField(_("file"), storage=private_storage, upload_to=random_scan_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(pgettext_lazy("beian", "content type"), max_length=50, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    document_date = models.DateField(
        _("date on the document"), null=True, blank=True,
        help_text=_("Verification sheet, security agreement and on-site photo carry one and the same date (D04)."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    review_status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_reason = models.TextField(_("review reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("beian", "document")
        verbose_name_plural = pgettext_lazy("beian", "documents")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.original_name})"
