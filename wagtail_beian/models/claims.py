"""Filing claims (备案归属, F09) and the provider's list of hosted domains (F08, actual access).

A **claim**: a member asks that an existing filing (approved elsewhere and moved here, imported,
or kept under another account) be moved to their account. They give their member e-mail, the
organizer name, the filing number, one domain of the filing, and certificate scans; staff compare
the scans and approve or refuse. The request is validated by
:func:`wagtail_beian.services.claims.request_claim`; every transition goes through
:func:`wagtail_beian.services.workflow.perform_transition` (lock, permission, audit log on the
claim). Approval moves the filing (and its changes) to the claimant in the same transaction, with
the filing row locked (:meth:`FilingClaim.approve`).

**Hosted domains**: the registered domains the provider actually serves, imported from a text or
CSV list (:mod:`wagtail_beian.services.hosted`). Compared with the nominal access records, they
show the websites served here without access here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .. import permissions as perms
from ..storage import private_storage, random_scan_name
from .cleaning import FSMCleanMixin
from .filings import Filing, FilingKind, FilingState

VERIFY_CLAIM, VIEW_CLAIM = perms.VERIFY_CLAIM, perms.VIEW_CLAIM


class ClaimState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", pgettext_lazy("claim state", "Approved")  # 已通过, not the filing's 已备案
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


C = ClaimState
OPEN_CLAIM_STATES = [C.REQUESTED]


def _is_claimant(claim, user):
    return bool(user and user.is_authenticated and claim.claimant_id == user.pk)


class ClaimTransferError(ValidationError):
    """The filing can no longer be moved (it changed since the claim was made)."""


class FilingClaimQuerySet(models.QuerySet):
    def for_claimant(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(claimant=user)


class FilingClaim(FSMCleanMixin, ConcurrentTransitionMixin, models.Model):
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("claimant"), on_delete=models.PROTECT,
        related_name="beian_filing_claims",
    )
    state = FSMField(_("state"), max_length=20, choices=ClaimState.choices, default=C.REQUESTED, protected=True)
    # What the member typed (normalised); the only data of the claim the claimant ever sees.
    member_email = models.EmailField(_("member e-mail"), max_length=254)
    organizer_name = models.CharField(_("organizer name"), max_length=100)
    filing_number = models.CharField(_("filing number"), max_length=40, help_text=_("e.g. 京ICP备17042306号-1."))
    domain = models.CharField(_("domain"), max_length=253)
    # What staff see: the local filing found, who owned it before approval, the ticket it came from.
    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="claims",
    )
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("previous owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    ticket = models.ForeignKey(
        "wagtail_beian.Ticket", verbose_name=_("support ticket"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="claims",
    )
    #: The reasons of a refusal, [{field, problem, suggestion}], shown to the claimant.
    refusal_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = FilingClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing claim")
        verbose_name_plural = _("filing claims")
        ordering = ["-created_at", "-pk"]
        permissions = perms.CLAIM_PERMISSIONS
        constraints = [
            # One open claim per member and filing (a double click opens one, not two).
            models.UniqueConstraint(
                fields=["claimant", "filing"], condition=models.Q(state="requested"),
                name="beian_one_open_claim_per_member",
            ),
        ]

    def __str__(self):
        return _("Claim #%(number)s: %(filing_number)s") % {"number": self.pk or "—", "filing_number": self.filing_number}

    # ------------------------------------------------------------------ transitions (F09)

    @transition(
        field=state, source=C.REQUESTED, target=C.APPROVED,
        permission=perms.staff_with(VERIFY_CLAIM),
        custom={"label": _("Approve claim"), "customer_visible": True},
    )
    def approve(self, by=None):
        self.decided_at = timezone.now()
        self._move_filing()

    @transition(
        field=state, source=C.REQUESTED, target=C.REFUSED,
        permission=perms.staff_with(VERIFY_CLAIM),
        custom={"label": _("Refuse claim"), "customer_visible": True, "needs_reasons": True},
    )
    def refuse(self, by=None):
        self.decided_at = timezone.now()

    @transition(
        field=state, source=C.REQUESTED, target=C.WITHDRAWN,
        permission=_is_claimant,
        custom={"label": _("Withdraw claim"), "customer_visible": True},
    )
    def withdraw(self, by=None):
        self.decided_at = timezone.now()

    def _move_filing(self):
        """The filing and its changes move to the claimant; the filing row is locked meanwhile.

        Runs inside perform_transition's transaction. Re-checks what may have changed since the
        claim was made: the filing must still be approved, and not already the claimant's.
        """
        filing = Filing.objects.select_for_update().get(pk=self.filing_id)
        if filing.kind != FilingKind.NEW or filing.state != FilingState.APPROVED:
            raise ClaimTransferError(
                _("The filing is no longer approved (it is “%(state)s”), so it cannot be moved. Refuse the claim "
                  "and tell the member why.") % {"state": filing.get_state_display()},
                code="filing_not_approved",
            )
        if filing.owner_id == self.claimant_id:
            raise ClaimTransferError(_("The filing already belongs to this member."), code="already_owner")
        self.previous_owner_id = filing.owner_id
        filing.owner_id = self.claimant_id
        filing.save(update_fields=["owner", "updated_at"])
        Filing.objects.filter(amends_id=filing.pk).update(owner_id=self.claimant_id, updated_at=timezone.now())


class FilingClaimScan(models.Model):
    """A certificate scan of a claim, in private storage (never a public URL)."""

    claim = models.ForeignKey(FilingClaim, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(_("file"), storage=private_storage, upload_to=random_scan_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(pgettext_lazy("beian", "content type"), max_length=50, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("claim scan")
        verbose_name_plural = _("claim scans")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name or _("Scan #%(number)s") % {"number": self.pk}


class HostedDomain(models.Model):
    """A registered domain the provider actually serves (imported list; F08 actual access)."""

    domain = models.CharField(
        _("domain"), max_length=253, unique=True,
        help_text=_("The registered domain, e.g. example.com (hosts such as www.example.com are folded into it)."),
    )
    hosts = models.TextField(_("hosts seen"), blank=True, help_text=_("The host names of the list, one per line."))
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("hosted domain")
        verbose_name_plural = _("hosted domains")
        ordering = ["domain"]

    def __str__(self):
        return self.domain
