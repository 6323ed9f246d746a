"""E-mail about access transfers, through the app's outbox (sent after commit, retried).

The customer hears of the request and of every customer-visible transition, with the reasons
given; staff who verify transfers hear of each new request. The filing password is never in any
e-mail (it is not in the context at all).
"""

from django.utils import translation

from .. import notifications
from .. import permissions as perms


def admin_url(transfer):
    return notifications.absolute_url("beian_transfers:inspect", transfer.pk)


def portal_url(transfer):
    return notifications.absolute_url("wagtail_beian_portal:transfer_detail", transfer.pk)


def _customer_context(transfer, reasons=()):
    with translation.override(notifications.LANGUAGE):
        return {
            "transfer": transfer, "direction": transfer.get_direction_display(),
            "state_label": transfer.get_state_display(), "domain": transfer.target_domain,
            "reasons": list(reasons), "url": portal_url(transfer),
        }


def transfer_requested(transfer):
    """A new request: the customer gets a receipt, staff who verify get the request."""
    notifications.notify("transfer_transition", _customer_context(transfer), [transfer.owner.email])
    staff = {"transfer": transfer, "direction": transfer.get_direction_display(), "domain": transfer.target_domain,
             "customer": transfer.owner.get_username(), "url": admin_url(transfer)}
    notifications.notify("transfer_staff_new", staff, notifications.staff_addresses(perms.VERIFY))


def transfer_transition_performed(transfer, name, source, target, custom):
    """Called (through ``notifications.transition_performed``) after a transfer's transition is logged."""
    from wagtail.models import ModelLogEntry

    from .workflow import log_action_name

    if not custom.get("customer_visible"):
        return
    entry = (
        ModelLogEntry.objects.for_instance(transfer).filter(action=log_action_name(type(transfer), name))
        .order_by("-pk").first()
    )
    reasons = (entry.data or {}).get("reasons", []) if entry else []
    notifications.notify("transfer_transition", _customer_context(transfer, reasons), [transfer.owner.email])
