"""Service support (服务支持) in the customer portal: my tickets, a new ticket, the conversation.

Every view reads tickets through ``Ticket.objects.for_owner(request.user)``: another customer's
ticket (or attachment) gives 404, an anonymous visitor is sent to the login page. Actions are
POSTs with CSRF; a GET of an action URL only leads back to the ticket.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from ..exceptions import FilingError
from ..models import Ticket, TicketAttachment
from ..models.tickets import ACTIVE_TICKET_STATES, TicketState
from ..downloads import attachment_response
from ..forms.tickets import ReplyForm, RequestTypeForm, StateForm, TicketForm
from ..services import tickets as services
from ..tickets.types import CANCELLATION, CLAIM, TRANSFER, TYPES_BY_CODE
from . import cancellations, claims, transfers

TEMPLATES = "wagtail_beian/portal/tickets/"


def detail_url(ticket):
    return reverse("wagtail_beian_portal:ticket_detail", args=[ticket.pk])


#: Where a request type with a workflow of its own (``RequestType.workflow``) leads: a claim has its
#: own form and state; new access and cancel access are access transfers; cancel filing (subject or
#: website) lists the customer's approved filings with their cancel pages. Each route returns the
#: response, or None to open the ordinary ticket form.
WORKFLOW_ROUTES = {
    CLAIM: claims.ticket_route,
    TRANSFER: transfers.ticket_route,
    CANCELLATION: cancellations.ticket_route,
}


def route_to_workflow(request, request_type):
    return WORKFLOW_ROUTES[request_type.workflow](request, request_type) if request_type.workflow else None


class TicketListView(LoginRequiredMixin, View):
    def get(self, request):
        tickets = Ticket.objects.for_owner(request.user).select_related("filing__subject").order_by("-updated_at")
        return TemplateResponse(request, TEMPLATES + "list.html", {"tickets": tickets, "has_tickets": True})


class TicketCreateView(LoginRequiredMixin, View):
    """Choose the kind of request, then fill in exactly that kind's fields (without JavaScript)."""

    def request_type(self, data):
        code = data.get("type")
        return TYPES_BY_CODE.get(code)

    def render(self, status=200, **context):
        return TemplateResponse(
            self.request, TEMPLATES + "new.html", {"has_tickets": True, **context}, status=status,
        )

    def get(self, request):
        request_type = self.request_type(request.GET)
        if request_type is None:
            return self.render(type_form=RequestTypeForm(initial={"type": request.GET.get("type")}))
        if routed := route_to_workflow(request, request_type):
            return routed
        # Entry points (e.g. "cancel access" on a filing) pre-fill what they know.
        initial = {code: request.GET[code] for code in request_type.field_codes if request.GET.get(code)}
        initial["filing"] = request.GET.get("filing")
        form = TicketForm(request_type.code, request.user, initial=initial)
        return self.render(form=form, request_type=request_type)

    def post(self, request):
        request_type = self.request_type(request.POST)
        if request_type is None:
            type_form = RequestTypeForm(request.POST)
            type_form.is_valid()
            return self.render(status=400, type_form=type_form)
        if routed := route_to_workflow(request, request_type):
            return routed
        form = TicketForm(request_type.code, request.user, request.POST, request.FILES)
        if not form.is_valid():
            return self.render(status=400, form=form, request_type=request_type)
        try:
            ticket = services.open_ticket(
                request.user, request_type.code, form.values, message=form.cleaned_data.get("message", ""),
                filing=form.cleaned_data.get("filing"), attachments=form.cleaned_data.get("attachments") or [],
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]:
                form.add_error(field if field in form.fields else None, errors)
            return self.render(status=400, form=form, request_type=request_type)
        messages.success(request, _("Your request was sent. We will answer here and by e-mail."))
        return redirect(detail_url(ticket))


class TicketMixin(LoginRequiredMixin):
    @cached_property
    def ticket(self):
        return get_object_or_404(
            Ticket.objects.for_owner(self.request.user).select_related("filing__subject", "assigned_to"),
            pk=self.kwargs["pk"],
        )


class TicketDetailView(TicketMixin, View):
    def get(self, request, pk):
        return self.render(ReplyForm(initial={"expected_state": self.ticket.state}))

    def render(self, reply_form, status=200):
        ticket = self.ticket
        conversation = list(ticket.messages.select_related("author").prefetch_related("attachments"))
        context = {
            "has_tickets": True,
            "ticket": ticket,
            "rows": ticket.field_rows(),
            "conversation": conversation,
            "field_attachments": [a for a in ticket.attachments.all() if a.field],
            "reply_form": reply_form if ticket.state in ACTIVE_TICKET_STATES else None,
            "can_reopen": ticket.can_reopen_now(),
            "reopen_until": ticket.can_reopen_until,
            "can_close": ticket.state == TicketState.RESOLVED,
            "state_form": StateForm(initial={"expected_state": ticket.state}),
        }
        return TemplateResponse(request=self.request, template=TEMPLATES + "detail.html", context=context, status=status)


class TicketReplyView(TicketDetailView):
    def get(self, request, pk):
        self.ticket  # noqa: B018 - 404 for other customers' tickets
        return redirect(detail_url(self.ticket))

    def post(self, request, pk):
        form = ReplyForm(request.POST, request.FILES)
        try:
            sent = form.is_valid() and form.send(self.ticket, request.user)
        except FilingError as error:
            messages.error(request, error.message)
            return redirect(detail_url(self.ticket))
        if not sent:
            return self.render(form, status=400)
        messages.success(request, _("Your reply was sent."))
        return redirect(detail_url(self.ticket))


class TicketStateView(TicketMixin, View):
    """POST: reopen or close (the customer's own transitions)."""

    action = None
    done_message = ""

    def get(self, request, pk):
        return redirect(detail_url(self.ticket))

    def post(self, request, pk):
        form = StateForm(request.POST)
        form.is_valid()
        expected = form.cleaned_data.get("expected_state") or None
        try:
            if self.action == "reopen":
                services.reopen_ticket(self.ticket, request.user, expected_state=expected)
                messages.success(request, _("The ticket is open again. Add a reply to tell us what is still wrong."))
            else:
                services.close_ticket(self.ticket, request.user, expected_state=expected)
                messages.success(request, _("The ticket is closed. Thank you."))
        except FilingError as error:
            messages.error(request, error.message)
        return redirect(detail_url(self.ticket))


def attachment_download(request, pk, attachment_pk):
    """One of my ticket's files (404 for anyone else's)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    ticket = get_object_or_404(Ticket.objects.for_owner(request.user), pk=pk)
    attachment = get_object_or_404(TicketAttachment, pk=attachment_pk, ticket=ticket)
    return attachment_response(attachment, request.user)
