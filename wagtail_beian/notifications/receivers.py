"""Which e-mail (and text message) answers which event: the app's signals connected to one module per aggregate.

``connect`` runs once, from ``WagtailBeianConfig.ready``.
"""

from ..models import AccessTransfer, Filing, FilingClaim, Ticket, Website
from ..signals import assigned, requested, ticket_replied, transition_performed
from . import claims, filings, texts, tickets, transfers

RECEIVERS = [
    (transition_performed, Filing, filings.transition_performed),
    (transition_performed, Filing, texts.transition_performed),
    (transition_performed, Website, filings.transition_performed),
    (transition_performed, AccessTransfer, transfers.transition_performed),
    (transition_performed, FilingClaim, claims.transition_performed),
    (transition_performed, Ticket, tickets.transition_performed),
    (requested, AccessTransfer, transfers.requested),
    (requested, FilingClaim, claims.requested),
    (requested, Ticket, tickets.requested),
    (ticket_replied, Ticket, tickets.replied),
    (assigned, Filing, filings.assigned),
]


def connect():
    for signal, sender, receiver in RECEIVERS:
        uid = f"wagtail_beian.notifications:{receiver.__module__}.{receiver.__name__}:{sender.__name__}"
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
