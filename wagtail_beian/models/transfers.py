"""Access transfers (新增接入 / 取消接入, F07, F08): a website's access moves to or away from us.

Three directions:

* ``incoming_new_website`` — a subject filed elsewhere adds a new website with access here;
* ``incoming_existing_website`` — an existing website moves its access here (needs the filing
  password, F10: write-only, encrypted with :mod:`wagtail_beian.crypto`, purged when the
  transfer is completed or refused);
* ``outgoing_cancel`` — the website moved away, its access here is cancelled.

The request is validated by :func:`wagtail_beian.services.transfers.request_transfer`; every
transition goes through :func:`wagtail_beian.services.workflow.perform_transition` (lock, permission,
audit log on the transfer itself — the log never contains the password).

On completion the nominal access changes (F08):

* incoming, existing website: an Access record with the given IP is created on the local website
  when the website is filed here; otherwise (filed elsewhere) the transfer is just completed;
* incoming, new website: an Access record is created on the website with the new domain when it is
  filed here (e.g. added by a change); otherwise the transfer is just completed — the nominal
  access is recorded at the bureau, and the local record follows when the website is filed here;
* outgoing: every Access record of the website here is deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .. import permissions as perms
from ..rules.domains import domain_to_unicode, normalize_domain
from .cleaning import FSMCleanMixin, normalize_into, normalize_person
from .codes import AccessMethod
from .filings import Access, ResponsiblePerson, Website
from .secrets import FilingPasswordMixin

#: Access method of Access records created by a completed transfer (else the first active one).
DEFAULT_ACCESS_METHOD = "cloud_server"


class TransferDirection(models.TextChoices):
    INCOMING_NEW_WEBSITE = "incoming_new_website", _("New access: existing subject adds a website")
    INCOMING_EXISTING_WEBSITE = "incoming_existing_website", _("New access: existing website moves here")
    OUTGOING_CANCEL = "outgoing_cancel", _("Cancel access")


class TransferState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PROVIDER_VERIFIED = "provider_verified", _("Verified by provider")
    SUBMITTED_TO_BUREAU = "submitted_to_bureau", _("Submitted to bureau")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


T = TransferState
D = TransferDirection
OPEN_TRANSFER_STATES = [T.REQUESTED, T.PROVIDER_VERIFIED, T.SUBMITTED_TO_BUREAU]


class AccessTransfer(FSMCleanMixin, ConcurrentTransitionMixin, FilingPasswordMixin, ResponsiblePerson):
    direction = models.CharField(_("direction"), max_length=30, choices=TransferDirection.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.PROTECT,
        related_name="beian_access_transfers",
    )
    state = FSMField(_("state"), max_length=20, choices=TransferState.choices, default=T.REQUESTED, protected=True)
    filing_number = models.CharField(
        _("filing number"), max_length=40, help_text=_("As entered, e.g. 京ICP备17042306号-1.")
    )
    organizer_name = models.CharField(_("organizer name"), max_length=100)
    domain = models.CharField(_("domain"), max_length=253, blank=True)
    # incoming, existing subject adds a website
    original_domain = models.CharField(_("original domain"), max_length=253, blank=True)
    new_domain = models.CharField(_("new domain"), max_length=253, blank=True)
    new_site_name = models.CharField(_("new website name"), max_length=100, blank=True)
    pre_approval_note = models.TextField(_("pre-approval note"), blank=True)
    # and the new site's responsible person: the ResponsiblePerson fields
    # incoming (both)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # the local records, when found
    website = models.ForeignKey(
        "wagtail_beian.Website", verbose_name=_("website"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="access_transfers",
    )
    filing = models.ForeignKey(
        "wagtail_beian.Filing", verbose_name=_("filing"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="access_transfers",
    )
    #: The domain whose access changes (the new domain, or the domain): kept by ``save()``; at most
    #: one open transfer per domain (database constraint).
    target_domain = models.CharField(_("domain concerned"), max_length=253, blank=True, editable=False)
    #: The support ticket this transfer was started from (its conversation), if any.
    ticket = models.OneToOneField(
        "wagtail_beian.Ticket", verbose_name=_("support ticket"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="access_transfer",
    )
    #: The form's one-time key: the same form posted twice requests one transfer, not two.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted to bureau"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("access transfer")
        verbose_name_plural = _("access transfers")
        ordering = ["-created_at", "-pk"]
        permissions = perms.TRANSFER_PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["target_domain"], condition=Q(state__in=OPEN_TRANSFER_STATES) & ~Q(target_domain=""),
                name="beian_f07_one_open_transfer_per_domain",
            ),
            models.UniqueConstraint(fields=["owner", "submission_key"], name="beian_transfer_submitted_once"),
        ]

    def __str__(self):
        return f"{self.get_direction_display()}: {domain_to_unicode(self.target_domain)}"

    def compute_target_domain(self):
        return (self.new_domain if self.direction == D.INCOMING_NEW_WEBSITE else self.domain) or ""

    def save(self, *args, **kwargs):
        self.target_domain = self.compute_target_domain()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"domain", "new_domain", "direction"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "target_domain"}
        super().save(*args, **kwargs)

    def clean(self):
        """Canonical domains, certificate number and contacts (field errors, nothing saved)."""
        errors = {}
        for field in ("domain", "original_domain", "new_domain"):
            normalize_into(self, errors, field, normalize_domain)
        normalize_person(self, errors)
        self.target_domain = self.compute_target_domain()
        if errors:
            raise ValidationError(errors)

    # ------------------------------------------------------------------ transitions

    @transition(
        field=state, source=T.REQUESTED, target=T.PROVIDER_VERIFIED,
        permission=perms.staff_with(perms.VERIFY),
        custom={"label": _("Verify"), "customer_visible": True},
    )
    def verify(self, by=None):
        self.verified_at = timezone.now()

    @transition(
        field=state, source=T.PROVIDER_VERIFIED, target=T.SUBMITTED_TO_BUREAU,
        permission=perms.staff_with(perms.SUBMIT_TO_BUREAU),
        custom={"label": _("Submit to bureau"), "customer_visible": True},
    )
    def submit_to_bureau(self, by=None):
        self.submitted_at = timezone.now()

    @transition(
        field=state, source=T.SUBMITTED_TO_BUREAU, target=T.COMPLETED,
        permission=perms.staff_with(perms.SUBMIT_TO_BUREAU),
        custom={"label": _("Complete"), "customer_visible": True},
    )
    def complete(self, by=None):
        self.purge_filing_password()
        self.completed_at = timezone.now()
        self._apply_access()

    @transition(
        field=state, source=OPEN_TRANSFER_STATES, target=T.REFUSED,
        permission=perms.staff_with(perms.VERIFY),
        custom={"label": _("Refuse"), "customer_visible": True, "needs_reasons": True},
    )
    def refuse(self, by=None):
        self.purge_filing_password()

    # ------------------------------------------------------------------ nominal access (F08)

    def _local_website(self):
        if self.website_id:
            return self.website
        return Website.objects.filter(is_live=True, domain=self.target_domain).first()

    def _apply_access(self):
        website = self._local_website()
        if website is None:
            return  # filed elsewhere: the bureau records the nominal access; nothing here to change
        self.website = website
        if self.direction == D.OUTGOING_CANCEL:
            Access.objects.filter(website=website).delete()
            return
        method = (
            AccessMethod.objects.filter(code=DEFAULT_ACCESS_METHOD).first() or AccessMethod.objects.active().first()
        )
        Access.objects.create(website=website, method=method, ip_addresses=self.ip or "")
