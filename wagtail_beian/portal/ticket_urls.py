"""Service-support URLs of the portal, included by ``portal/urls.py`` under ``tickets/``.

No namespace of their own: they live in the portal's (``wagtail_beian_portal:ticket_*``).
"""

from django.urls import path
from django.views.decorators.http import require_GET

from . import tickets

ticket = "<int:pk>/"

urlpatterns = [
    path("", tickets.TicketListView.as_view(), name="ticket_list"),
    path("new/", tickets.TicketCreateView.as_view(), name="ticket_new"),
    path(ticket, tickets.TicketDetailView.as_view(), name="ticket_detail"),
    path(ticket + "reply/", tickets.TicketReplyView.as_view(), name="ticket_reply"),
    path(ticket + "reopen/", tickets.TicketStateView.as_view(action="reopen"), name="ticket_reopen"),
    path(ticket + "close/", tickets.TicketStateView.as_view(action="close"), name="ticket_close"),
    path(ticket + "attachments/<int:attachment_pk>/", require_GET(tickets.attachment_download), name="ticket_attachment"),
]
