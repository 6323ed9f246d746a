"""Deadline notices (F04, W05): which deadline e-mail went to whom, so the monitor never sends one twice."""

from django.db import models
from django.db.models import Q
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
    """One notice about one deadline of one filing or access transfer, at one level, to one kind of recipient.

    ``deadline_at`` is the deadline the notice is about: a later transition that sets a new
    deadline makes a new notice. The unique constraints are what make the monitor idempotent;
    exactly one of ``filing`` and ``transfer`` is set.
    """

    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="deadline_notices",
    )
    transfer = models.ForeignKey(
        "wagtail_beian.AccessTransfer", verbose_name=_("access transfer"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="deadline_notices",
    )
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
                condition=Q(filing__isnull=False),
                name="beian_unique_deadline_notice",
            ),
            models.UniqueConstraint(
                fields=["transfer", "deadline_kind", "deadline_at", "level", "recipient"],
                condition=Q(transfer__isnull=False),
                name="beian_unique_transfer_deadline_notice",
            ),
            models.CheckConstraint(
                condition=Q(filing__isnull=False, transfer__isnull=True) | Q(filing__isnull=True, transfer__isnull=False),
                name="beian_deadline_notice_one_subject",
            ),
        ]

    def __str__(self):
        about = f"filing {self.filing_id}" if self.filing_id else f"transfer {self.transfer_id}"
        return f"{about} {self.deadline_kind} {self.level} → {self.recipient}"
