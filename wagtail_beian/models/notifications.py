"""The e-mail outbox (see wagtail_beian.notifications)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    template = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.to}: {self.subject}"
