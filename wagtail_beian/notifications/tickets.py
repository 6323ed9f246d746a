"""E-mail about support tickets: staff hear of each new ticket, the customer of each staff reply and
of the resolution. The filing password is never in any e-mail (it is not in the context at all)."""

from django.conf import settings

from ..models.tickets import HANDLE_TICKET, reopen_days
from .outbox import absolute_url, notify, staff_addresses


def admin_url(ticket):
    return absolute_url("wagtail_beian_tickets:inspect", ticket.pk)


def portal_url(ticket):
    return absolute_url("wagtail_beian_portal:ticket_detail", ticket.pk)


def ticket_staff_addresses():
    """Who hears of new tickets: ``WAGTAIL_BEIAN_TICKET_STAFF_EMAILS`` if set, else every active
    staff user who holds the ``handle_ticket`` permission."""
    configured = getattr(settings, "WAGTAIL_BEIAN_TICKET_STAFF_EMAILS", None)
    if configured is not None:
        return list(configured)
    return staff_addresses(HANDLE_TICKET)


def requested(sender, instance, **kwargs):
    notify("ticket_new", {"ticket": instance, "url": admin_url(instance)}, ticket_staff_addresses())


def replied(sender, instance, message, **kwargs):
    if message.is_staff:
        notify("ticket_reply", {"ticket": instance, "message": message, "url": portal_url(instance)},
               [instance.owner.email])


def transition_performed(sender, instance, name, **kwargs):
    if name == "resolve":
        context = {"ticket": instance, "url": portal_url(instance), "reopen_days": reopen_days()}
        notify("ticket_resolved", context, [instance.owner.email])
