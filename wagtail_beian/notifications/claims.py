"""E-mail about filing claims (备案归属, F09): staff hear of a new claim, the claimant of the decision,
the previous owner that the filing moved (not to whom)."""

from ..models.claims import VERIFY_CLAIM
from .outbox import absolute_url, notify, staff_addresses


def requested(sender, instance, **kwargs):
    """Staff who may decide claims hear of a new one."""
    context = {"claim": instance, "url": absolute_url("wagtail_beian_claims:inspect", instance.pk)}
    notify("claim_new", context, staff_addresses(VERIFY_CLAIM))


def transition_performed(sender, instance, name, reasons=(), **kwargs):
    """The claimant hears of the approval, or of the refusal with its reasons; on approval the
    previous owner hears that the filing moved."""
    if name not in ("approve", "refuse"):
        return
    claim = instance
    context = {
        "claim": claim, "approved": name == "approve", "reasons": list(reasons),
        "url": absolute_url("wagtail_beian_portal:claim_detail", claim.pk),
    }
    notify("claim_decided", context, [claim.claimant.email])
    previous = claim.previous_owner
    if name == "approve" and previous is not None:
        notify("claim_filing_moved", {"claim": claim, "filing": claim.filing}, [previous.email])
