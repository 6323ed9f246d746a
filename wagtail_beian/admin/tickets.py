"""Service support (服务支持) for staff: the ticket queue, the conversation, reply, assign, resolve.

A ModelViewSet with its own menu item. Every view reads tickets through the registered permission
policy (:class:`TicketPermissionPolicy`: staff holding ``handle_ticket``), never a bare queryset.
Tickets are never created nor deleted here (customers open them; the record stays). Actions are a
confirmation page (GET) and a POST with CSRF. The filing password is never shown: only whether it
was provided.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry

from .. import permissions as perms
from ..exceptions import FilingError
from ..models import Filing, Ticket, TicketAttachment
from ..models.tickets import ACTIVE_TICKET_STATES, HANDLE_TICKET, STAFF_TURN_STATES, TicketState
from ..downloads import attachment_response
from ..forms.tickets import ReplyForm, ticket_handlers
from ..rules.domains import normalize_domain
from ..services import tickets as services
from ..services.workflow import available_transitions
from ..tickets.types import DOMAIN_FIELDS, request_type_choices
from .filters import TickedOnly
from .policies import AppViewSetMixin, ModelWidePolicyMixin
from .transitions import TransitionViewSetMixin, register_transition_log_actions

#: The transitions staff trigger with a button (replies go through the reply form).
STAFF_ACTIONS = ("resolve", "close", "reopen")


class TicketPermissionPolicy(ModelWidePolicyMixin, BasePermissionPolicy):
    """Staff with ``handle_ticket`` see and handle every ticket; nobody adds or deletes one here."""

    refused_actions = ("add", "delete")
    permission = HANDLE_TICKET

    def users_with_permission(self, action):
        if action in self.refused_actions:
            return ticket_handlers().none()
        return ticket_handlers()


def staff_tickets(user):
    return policy_registry.get_by_type(Ticket).instances_user_has_permission_for(user, "view")


def _require_handler(request):
    if not perms.has_perm(request.user, HANDLE_TICKET):
        raise PermissionDenied


# ----------------------------------------------------------------------------- listing


def _handler_queryset(request=None):
    return ticket_handlers()


class TicketFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("State"), choices=TicketState.choices, widget=forms.CheckboxSelectMultiple
    )
    request_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Request type"), choices=request_type_choices, empty_label=gettext_lazy("All")
    )
    assigned_to = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Assigned to"), queryset=_handler_queryset, null_label=gettext_lazy("Nobody")
    )
    waiting_for_staff = django_filters.BooleanFilter(
        label=gettext_lazy("Waiting for staff"), method="filter_waiting_for_staff",
        widget=TickedOnly,
    )

    class Meta:
        model = Ticket
        fields = ["state", "request_type", "assigned_to", "waiting_for_staff"]

    def filter_waiting_for_staff(self, queryset, name, value):
        return queryset.filter(state__in=STAFF_TURN_STATES) if value else queryset


def ticket_search_q(query):
    """Customer (user name, e-mail, name), organizer name, domain (any spelling), filing number.

    Never the password: it is not in the searched data at all.
    """
    text = (query or "").strip()
    if not text:
        return Q()
    q = (
        Q(owner__username__icontains=text) | Q(owner__email__icontains=text)
        | Q(owner__first_name__icontains=text) | Q(owner__last_name__icontains=text)
        | Q(fields__organizer_name__icontains=text)
        | Q(fields__filing_number__icontains=text) | Q(filing__subject_number__icontains=text)
    )
    if text.startswith("#") and text[1:].isdigit():
        q |= Q(pk=int(text[1:]))
    elif text.isdigit():
        q |= Q(pk=int(text))
    domains = {text.lower()}
    try:
        domains.add(normalize_domain(text))
    except ValidationError:
        pass
    for code in DOMAIN_FIELDS:
        for domain in domains:
            q |= Q(**{f"fields__{code}__icontains": domain})
    return q


class TicketIndexView(generic.IndexView):
    filterset_class = TicketFilterSet
    search_fields = ["request_type"]  # makes the listing searchable; the search itself is ours
    default_ordering = "-updated_at"

    def get_base_queryset(self):
        return staff_tickets(self.request.user).select_related("owner", "assigned_to", "filing")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(ticket_search_q(self.search_query))

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "ticket", label=gettext_lazy("Ticket"), accessor=lambda t: f"#{t.pk} {t.request_type_label}",
                get_url=lambda t: reverse("wagtail_beian_tickets:inspect", args=[t.pk]),
            ),
            Column("customer", label=gettext_lazy("Customer"), accessor=lambda t: t.owner.get_username()),
            Column("organizer", label=gettext_lazy("Organizer"), accessor=lambda t: t.fields.get("organizer_name", "")),
            Column("domains", label=gettext_lazy("Domains"),
                   accessor=lambda t: ", ".join(t.fields[c] for c in DOMAIN_FIELDS if t.fields.get(c))),
            StatusTagColumn("state", label=gettext_lazy("State"), accessor="get_state_display",
                            primary=lambda t: t.state in STAFF_TURN_STATES),
            Column("assigned_to", label=gettext_lazy("Assigned to"),
                   accessor=lambda t: t.assigned_to.get_username() if t.assigned_to else ""),
            Column("updated_at", label=gettext_lazy("Last update"), accessor=lambda t: t.updated_at, sort_key="updated_at"),
        ]


# ----------------------------------------------------------------------------- detail


class TicketDetailView(generic.InspectView):
    template_name = "wagtail_beian/admin/tickets/detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            staff_tickets(self.request.user).select_related("owner", "assigned_to", "filing__subject"), pk=self.pk
        )

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(ticket_context(self.object, self.request.user))
        context["reply_form"] = ReplyForm(initial={"expected_state": self.object.state})
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = []
        if self.user_has_permission("change"):
            buttons.append(HeaderButton(
                _("Assign or link a filing"), url=reverse("wagtail_beian_tickets:edit", args=[self.object.pk]), icon_name="user",
            ))
        return buttons


def ticket_context(ticket, user):
    conversation = list(ticket.messages.select_related("author").prefetch_related("attachments"))
    actions = [t for t in available_transitions(ticket, user) if t.name in STAFF_ACTIONS]
    return {
        "ticket": ticket,
        "rows": ticket.field_rows(),
        "request_type": ticket.request_type_obj,
        "conversation": conversation,
        "field_attachments": list(ticket.attachments.filter(message__isnull=True)),
        "actions": actions,
        "can_reply": ticket.state in ACTIVE_TICKET_STATES,
        "history": list(log_registry.get_logs_for_instance(ticket).select_related("user").order_by("-timestamp", "-pk")),
    }


# ----------------------------------------------------------------------------- actions


class TicketActionView(View):
    """Common part of the staff actions on one ticket: the ticket (404 if not visible), the permission."""

    template_name = "wagtail_beian/admin/tickets/action.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.ticket = get_object_or_404(staff_tickets(request.user).select_related("owner"), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        _require_handler(request)
        return super().dispatch(request, *args, **kwargs)

    def detail_url(self):
        return reverse("wagtail_beian_tickets:inspect", args=[self.ticket.pk])

    def render(self, status=200, **context):
        return TemplateResponse(self.request, self.template_name, {
            "ticket": self.ticket, "detail_url": self.detail_url(), **context,
        }, status=status)


class TicketReplyView(TicketActionView):
    def get(self, request, pk):
        return self.render(
            title=_("Reply"), form=ReplyForm(initial={"expected_state": self.ticket.state}),
            action_url=reverse("wagtail_beian_tickets:reply", args=[pk]), multipart=True,
            possible=self.ticket.state in ACTIVE_TICKET_STATES, button=_("Send reply"),
        )

    def post(self, request, pk):
        form = ReplyForm(request.POST, request.FILES)
        try:
            sent = form.is_valid() and form.send(self.ticket, request.user)
        except FilingError as error:
            messages.error(request, error.message)
            return redirect(self.detail_url())
        if sent:
            messages.success(request, _("Reply sent; the customer is told by e-mail."))
            return redirect(self.detail_url())
        return self.render(
            status=400, title=_("Reply"), form=form, action_url=reverse("wagtail_beian_tickets:reply", args=[pk]),
            multipart=True, possible=True, button=_("Send reply"),
        )


def attachment_download(request, pk, attachment_pk):
    _require_handler(request)
    ticket = get_object_or_404(staff_tickets(request.user), pk=pk)
    attachment = get_object_or_404(TicketAttachment, pk=attachment_pk, ticket=ticket)
    return attachment_response(attachment, request.user)


# ----------------------------------------------------------------------------- assign / link


class TicketStaffForm(WagtailAdminModelForm):
    """Assign the ticket and link it to one of the customer's filings."""

    class Meta:
        model = Ticket
        fields = ["assigned_to", "filing"]
        widgets = {"assigned_to": forms.Select, "filing": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = ticket_handlers()
        self.fields["filing"].queryset = Filing.objects.filter(owner_id=self.instance.owner_id).select_related("subject")
        self.fields["filing"].help_text = _("Only this customer's filings can be linked.")


class TicketEditView(generic.EditView):
    page_title = gettext_lazy("Assign or link a filing")
    success_message = gettext_lazy("Ticket updated.")

    def get_object(self, queryset=None):
        return get_object_or_404(staff_tickets(self.request.user), pk=self.object_pk)

    def save_instance(self):
        ticket = Ticket.objects.get(pk=self.object.pk)
        data = self.form.cleaned_data
        if "assigned_to" in self.form.changed_data:
            ticket = services.assign_ticket(ticket, self.request.user, data.get("assigned_to"))
        if "filing" in self.form.changed_data:
            ticket = services.link_filing(ticket, self.request.user, data.get("filing"))
        return ticket

    def get_success_url(self):
        return reverse("wagtail_beian_tickets:inspect", args=[self.object.pk])


class TicketHistoryView(generic.history.HistoryView):
    def get_object(self):
        return get_object_or_404(staff_tickets(self.request.user), pk=self.kwargs["pk"])


class TicketViewSet(AppViewSetMixin, TransitionViewSetMixin, ModelViewSet):
    model = Ticket
    icon = "help"
    menu_label = gettext_lazy("Service support")
    menu_name = "wagtail_beian_tickets"
    menu_order = 260
    add_to_admin_menu = True
    url_namespace = "wagtail_beian_tickets"
    url_prefix = "beian/tickets"
    index_view_class = TicketIndexView
    inspect_view_class = TicketDetailView
    edit_view_class = TicketEditView
    history_view_class = TicketHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return TicketStaffForm

    permission_policy_class = TicketPermissionPolicy

    def get_permissions_to_register(self):
        return perms.permission_objects([HANDLE_TICKET])  # the one permission the ticket policy checks

    @classmethod
    def register_log_actions(cls, actions):
        register_transition_log_actions(actions, Ticket)
        actions.register_action("wagtail_beian.ticket.open", gettext_lazy("Open ticket"), gettext_lazy("Ticket opened"))
        actions.register_action("wagtail_beian.ticket.assign", gettext_lazy("Assign ticket"), gettext_lazy("Ticket assigned"))
        actions.register_action(
            "wagtail_beian.ticket.link_filing", gettext_lazy("Link ticket to a filing"), gettext_lazy("Ticket linked to a filing"),
        )
        actions.register_action(
            "wagtail_beian.ticket.attachment_download", gettext_lazy("Download ticket attachment"),
            gettext_lazy("Ticket attachment downloaded"),
        )

    # --- the staff transition view (admin/transitions.py): resolve, close, reopen
    staff_transitions = STAFF_ACTIONS
    transition_permission = HANDLE_TICKET

    def get_transition_queryset(self, request):
        return staff_tickets(request.user).select_related("owner")

    def transition_notice(self, ticket, name):
        return _("The filing password is deleted when the ticket is resolved.") if name == "resolve" else ""

    def perform_staff_transition(self, ticket, name, user, *, expected_state=None):
        action = {"resolve": services.resolve_ticket, "close": services.close_ticket, "reopen": services.reopen_ticket}
        return action[name](ticket, user, expected_state=expected_state)

    def get_urlpatterns(self):
        ticket = "<int:pk>/"
        return super().get_urlpatterns() + [
            path(ticket + "reply/", TicketReplyView.as_view(), name="reply"),
            path(ticket + "attachments/<int:attachment_pk>/", attachment_download, name="attachment"),
        ]
