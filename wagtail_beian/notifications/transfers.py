"""E-mail about access transfers (F07).

The customer hears of the request and of every customer-visible transition, with the reasons
given; staff who verify transfers hear of each new request. The filing password is never in any
e-mail (it is not in the context at all).
"""

from django.utils import translation

from .. import permissions as perms
from .outbox import LANGUAGE, absolute_url, notify, staff_addresses


def admin_url(transfer):
    return absolute_url("wagtail_beian_transfers:inspect", transfer.pk)


def portal_url(transfer):
    return absolute_url("wagtail_beian_portal:transfer_detail", transfer.pk)


def _customer_context(transfer, reasons=()):
    with translation.override(LANGUAGE):
        return {
            "transfer": transfer, "direction": transfer.get_direction_display(),
            "state_label": transfer.get_state_display(), "domain": transfer.target_domain,
            "reasons": list(reasons), "url": portal_url(transfer),
        }


def requested(sender, instance, **kwargs):
    """A new request: the customer gets a receipt, staff who verify get the request."""
    transfer = instance
    notify("transfer_transition", _customer_context(transfer), [transfer.owner.email])
    staff = {"transfer": transfer, "direction": transfer.get_direction_display(), "domain": transfer.target_domain,
             "customer": transfer.owner.get_username(), "url": admin_url(transfer)}
    notify("transfer_staff_new", staff, staff_addresses(perms.VERIFY))


def transition_performed(sender, instance, custom, reasons=(), **kwargs):
    """The customer hears of each customer-visible transition, with the reasons given."""
    if custom.get("customer_visible"):
        notify("transfer_transition", _customer_context(instance, reasons), [instance.owner.email])
