"""Deadline notices (F04): which deadline e-mail went to whom, so the monitor never sends one twice."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .filings import DeadlineKind, Filing


class NoticeLevel(models.TextChoices):
    NEAR = "near", _("Deadline near")
    OVERDUE = "overdue", _("Deadline overdue")


class NoticeRecipient(models.TextChoices):
    STAFF = "staff", _("Staff")
    CUSTOMER = "customer", _("Customer")


class DeadlineNotice(models.Model):
    """One notice about one deadline of one filing, at one level, to one kind of recipient.

    ``deadline_at`` is the deadline the notice is about: a later transition that sets a new
    deadline makes a new notice. The unique constraint is what makes the monitor idempotent.
    """

    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="deadline_notices")
    deadline_kind = models.CharField(_("deadline"), max_length=10, choices=DeadlineKind.choices)
    deadline_at = models.DateTimeField(_("due"))
    level = models.CharField(_("level"), max_length=10, choices=NoticeLevel.choices)
    recipient = models.CharField(_("recipient"), max_length=10, choices=NoticeRecipient.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline notice")
        verbose_name_plural = _("deadline notices")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "deadline_kind", "deadline_at", "level", "recipient"],
                name="beian_unique_deadline_notice",
            ),
        ]

    def __str__(self):
        return f"{self.filing_id} {self.deadline_kind} {self.level} → {self.recipient}"
