"""The app's own signals: what happened, for whoever listens.

The services send them; the listeners (e-mail in :mod:`wagtail_beian.notifications`, caches) are
connected in ``WagtailBeianConfig.ready``. So the workflow never calls up into the e-mail code:
a new kind of notice is a new receiver, not a change to the workflow.

All are sent inside the transaction of the change they report, after it is saved and logged;
receivers that write (the e-mail outbox) write in that transaction, so a rollback sends nothing.
"""

from django.dispatch import Signal

#: A state-machine transition was performed (services.workflow.perform_transition).
#: sender: the model class. Keyword arguments: ``instance`` (saved), ``name`` (the transition),
#: ``source`` and ``target`` (states), ``custom`` (the transition's metadata: label,
#: customer_visible...), ``user``, ``reasons`` (a list of {field, problem, suggestion}).
transition_performed = Signal()

#: A record entered its workflow without a transition. sender: the model class;
#: ``instance``, ``user``. Sent for a new access transfer, filing claim and support ticket.
requested = Signal()

#: A reply was added to a support ticket. sender: the Ticket class; ``instance`` (the ticket),
#: ``message`` (the TicketMessage), ``user``.
ticket_replied = Signal()

#: A filing was assigned to a clerk by someone else. sender: the Filing class; ``instance``,
#: ``user`` (who assigned it), ``clerk``.
assigned = Signal()
