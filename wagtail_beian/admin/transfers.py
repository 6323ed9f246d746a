"""Access transfers (新增接入 / 取消接入, F07) for staff: listing, detail, transitions, start from a ticket.

A ModelViewSet in the 「ICP备案」 menu. Every view reads transfers through the registered
permission policy (:class:`TransferPermissionPolicy`: staff who verify filings), never a bare
queryset. Transfers are requested by customers (or started by staff from a customer's ticket) and
never edited nor deleted here: the record and its history stay. Transitions are a confirmation
page (GET) and a POST with CSRF through ``perform_transition``, which checks the FSM permission of
each step. The filing password is never shown, only whether it was given.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry

from .. import permissions as perms
from ..exceptions import FilingError
from ..forms.transfers import TransferRequestForm
from ..models import AccessTransfer, TransferDirection, TransferState
from ..models.transfers import OPEN_TRANSFER_STATES
from ..rules.domains import domain_to_unicode
from ..services import transfers as service
from ..services.status import transfer_deadline_text, transfer_deadlines_described
from ..services.workflow import available_transitions
from .filters import TickedOnly
from .policies import AppViewSetMixin, ModelWidePolicyMixin
from .read_only import ReadOnlyHistoryView, ReadOnlyUsageView
from .tickets import staff_tickets
from .transitions import TransitionViewSetMixin, register_transition_log_actions


class TransferPermissionPolicy(ModelWidePolicyMixin, BasePermissionPolicy):
    """Staff who verify filings see every transfer; nobody adds, edits or deletes one here (each step is
    checked by the state machine's permission: verify, submit to bureau, complete, refuse)."""

    permission = perms.VERIFY

    def user_has_permission(self, user, action):
        # only viewing: the steps are checked by the state machine's own permissions
        return action == "view" and super().user_has_permission(user, action)

    def users_with_permission(self, action):
        users = perms.users_with(self.permission)
        return users if action == "view" else users.none()


def staff_transfers(user):
    return policy_registry.get_by_type(AccessTransfer).instances_user_has_permission_for(user, "view")


def detail_url(transfer):
    return reverse("wagtail_beian_transfers:inspect", args=[transfer.pk])


# ----------------------------------------------------------------------------- listing


class TransferFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("State"), choices=TransferState.choices, widget=forms.CheckboxSelectMultiple
    )
    direction = django_filters.ChoiceFilter(
        label=gettext_lazy("Direction"), choices=TransferDirection.choices, empty_label=gettext_lazy("All")
    )
    open = django_filters.BooleanFilter(
        label=gettext_lazy("Open only"), method="filter_open", widget=TickedOnly,
    )

    class Meta:
        model = AccessTransfer
        fields = ["state", "direction", "open"]

    def filter_open(self, queryset, name, value):
        return queryset.filter(state__in=OPEN_TRANSFER_STATES) if value else queryset


class TransferIndexView(generic.IndexView):
    filterset_class = TransferFilterSet
    search_fields = ["target_domain"]  # makes the listing searchable; the search itself is ours
    default_ordering = "-created_at"

    def get_base_queryset(self):
        return staff_transfers(self.request.user).select_related("owner")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(service.transfer_search_q(self.search_query))

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "transfer", label=gettext_lazy("Domain"), accessor=lambda t: f"#{t.pk} {domain_to_unicode(t.target_domain)}",
                get_url=detail_url,
            ),
            Column("direction", label=gettext_lazy("Direction"), accessor="get_direction_display"),
            Column("filing_number", label=gettext_lazy("Filing number"), accessor="filing_number"),
            Column("organizer", label=gettext_lazy("Organizer"), accessor="organizer_name"),
            Column("customer", label=gettext_lazy("Customer"), accessor=lambda t: t.owner.get_username()),
            StatusTagColumn("state", label=gettext_lazy("State"), accessor="get_state_display",
                            primary=lambda t: t.state in OPEN_TRANSFER_STATES),
            Column("deadline", label=gettext_lazy("Deadline"), accessor=transfer_deadline_text),
            Column("created_at", label=gettext_lazy("Requested"), accessor="created_at", sort_key="created_at"),
        ]


# ----------------------------------------------------------------------------- detail


def transfer_history(transfer):
    return list(log_registry.get_logs_for_instance(transfer).select_related("user").order_by("-timestamp", "-pk"))


class TransferDetailView(generic.InspectView):
    template_name = "wagtail_beian/admin/transfers/detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            staff_transfers(self.request.user).select_related(
                "owner", "filing__subject", "website__filing", "ticket", "responsible_certificate_type",
            ),
            pk=self.pk,
        )

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        transfer, user = self.object, self.request.user
        history = transfer_history(transfer)
        context.update(
            transfer=transfer,
            rows=service.request_rows(transfer, show_personal_data=perms.has_perm(user, perms.VIEW_PERSONAL_DATA)),
            transitions=available_transitions(transfer, user),
            reasons=service.transfer_reasons(transfer, entries=history),
            history=history,
            deadlines=transfer_deadlines_described(transfer),
            can_reveal_password=(
                transfer.has_filing_password and transfer.state in OPEN_TRANSFER_STATES
                and perms.has_perm(user, perms.REVEAL_PASSWORD)
            ),
        )
        return context


class TransferHistoryView(ReadOnlyHistoryView):
    def get_object(self):
        return get_object_or_404(staff_transfers(self.request.user), pk=self.kwargs["pk"])


class TransferUsageView(ReadOnlyUsageView):
    def get_object(self):
        return get_object_or_404(staff_transfers(self.request.user), pk=self.kwargs["pk"])


# ----------------------------------------------------------------------------- transitions


# ----------------------------------------------------------------------------- the filing password (F10)


class RevealPasswordView(View):
    """GET: what revealing means (it is logged); POST: the filing password, once, on a page no cache
    keeps. Only staff holding ``reveal_filing_password``, only while the transfer is open."""

    template_name = "wagtail_beian/admin/transfers/password.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.transfer = get_object_or_404(staff_transfers(request.user), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not perms.has_perm(request.user, perms.REVEAL_PASSWORD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, password=None):
        response = TemplateResponse(self.request, self.template_name, {
            "transfer": self.transfer, "password": password, "detail_url": detail_url(self.transfer),
        })
        add_never_cache_headers(response)
        return response

    def get(self, request, pk):
        return self.render()

    def post(self, request, pk):
        try:
            password = service.reveal_filing_password(self.transfer, request.user)
        except FilingError as error:
            messages.error(request, error.message)
            return redirect(detail_url(self.transfer))
        return self.render(password)


# ----------------------------------------------------------------------------- start from a ticket


class TransferFromTicketView(View):
    """A support ticket of a transfer type → the transfer request, pre-filled from the ticket.

    Staff complete what the ticket lacks (e.g. the IP) and submit; the request is validated for
    the ticket's customer exactly as the customer's own request is, and linked to the ticket. The
    ticket's filing password goes over encrypted, never shown.
    """

    template_name = "wagtail_beian/admin/transfers/from_ticket.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.ticket = get_object_or_404(staff_tickets(request.user).select_related("owner"), pk=kwargs["ticket_pk"])

    def dispatch(self, request, *args, **kwargs):
        if not perms.has_perm(request.user, perms.VERIFY):
            raise PermissionDenied
        direction = service.TICKET_DIRECTIONS.get(self.ticket.request_type)
        existing = AccessTransfer.objects.filter(ticket=self.ticket).first()
        if existing is not None:
            return redirect(detail_url(existing))
        if direction is None:
            messages.error(request, _("This ticket is not about access (新增接入 / 取消接入)."))
            return redirect("wagtail_beian_tickets:inspect", self.ticket.pk)
        self.direction = direction
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return TransferRequestForm(
            self.direction, data, initial=service.initial_from_ticket(self.ticket), password_from_ticket=self.ticket,
        )

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "ticket": self.ticket, "form": form, "direction": TransferDirection(self.direction).label,
            "ticket_url": reverse("wagtail_beian_tickets:inspect", args=[self.ticket.pk]),
        }, status=status)

    def get(self, request, ticket_pk):
        return self.render(self.form())

    def post(self, request, ticket_pk):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                transfer = service.transfer_from_ticket(self.ticket, request.user, form.request_data())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Access transfer requested for the ticket's customer."))
                return redirect(detail_url(transfer))
        return self.render(form, status=400)


# ----------------------------------------------------------------------------- viewset


class TransferURLFinder(ModelAdminURLFinder):
    edit_url_name = "wagtail_beian_transfers:inspect"


class TransferViewSet(AppViewSetMixin, TransitionViewSetMixin, ModelViewSet):
    model = AccessTransfer
    icon = "resubmit"
    menu_label = gettext_lazy("Access transfers")
    menu_order = 150
    url_namespace = "wagtail_beian_transfers"
    url_prefix = "beian/transfers"
    index_view_class = TransferIndexView
    inspect_view_class = TransferDetailView
    history_view_class = TransferHistoryView
    usage_view_class = TransferUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    url_finder_class = TransferURLFinder
    list_per_page = 50
    form_fields = ["organizer_name"]  # no add or edit view is routed: transfers are never edited here

    def get_common_view_kwargs(self, **kwargs):
        # no add, edit or delete view is routed
        return super().get_common_view_kwargs(**{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs})

    permission_policy_class = TransferPermissionPolicy

    def get_permissions_to_register(self):
        # who may act is decided by verify_filing / submit_to_bureau; revealing the password is its own
        return perms.permission_objects([perms.REVEAL_PASSWORD])

    @classmethod
    def register_log_actions(cls, actions):
        register_transition_log_actions(actions, AccessTransfer)
        actions.register_action(
            "wagtail_beian.accesstransfer.request", gettext_lazy("Request access transfer"),
            gettext_lazy("Access transfer requested"),
        )
        actions.register_action(
            "wagtail_beian.ticket.start_transfer", gettext_lazy("Start access transfer"),
            gettext_lazy("Access transfer started from the ticket"),
        )
        actions.register_action(
            "wagtail_beian.accesstransfer.reveal_password", gettext_lazy("Reveal filing password"),
            gettext_lazy("Filing password revealed"),
        )

    # --- the staff transition view (admin/transitions.py)
    transition_permission = perms.VERIFY

    def get_transition_queryset(self, request):
        return staff_transfers(request.user).select_related("owner")

    def transition_reason_choices(self, transfer, target):
        return service.reason_field_choices(transfer)

    def get_urlpatterns(self):
        routed = [p for p in super().get_urlpatterns() if p.name not in {"add", "edit", "delete"}]
        return routed + [
            path("from-ticket/<int:ticket_pk>/", TransferFromTicketView.as_view(), name="from_ticket"),
            path("<int:pk>/password/", RevealPasswordView.as_view(), name="reveal_password"),
        ]
