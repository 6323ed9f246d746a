"""Filing claims (备案归属, F09) for staff: the queue, the claim beside the filing, approve, refuse.

A ModelViewSet in the 「ICP备案」 menu. Every view reads claims through the registered permission
policy (:class:`ClaimPermissionPolicy`: staff holding ``view_filingclaim``); approving and refusing
need ``verify_claim``. Claims are never added, edited nor deleted here (members make them; the
record stays). Certificate scans are downloaded only through :func:`scan_download` (permission
checked, logged, never a public URL).
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_GET
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter, log
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry

from .. import permissions as perms
from ..downloads import private_file_response
from ..exceptions import FilingError
from ..models import FilingClaim, Ticket
from ..models.claims import VERIFY_CLAIM, VIEW_CLAIM, ClaimState
from ..models.tickets import HANDLE_TICKET
from ..rules.domains import domain_to_unicode
from ..services import claims as service
from ..services.workflow import available_transitions
from .policies import AppViewSetMixin, ModelWidePolicyMixin
from .read_only import ReadOnlyHistoryView, ReadOnlyUsageView
from .transitions import TransitionViewSetMixin, register_transition_log_actions

STAFF_ACTIONS = ("approve", "refuse")
REASON_FIELDS = [
    ("organizer_name", gettext_lazy("organizer name")),
    ("filing_number", gettext_lazy("filing number")),
    ("domain", gettext_lazy("domain")),
    ("member_email", gettext_lazy("member e-mail")),
    ("scans", gettext_lazy("certificate scans")),
]


class ClaimPermissionPolicy(ModelWidePolicyMixin, BasePermissionPolicy):
    """Staff with ``view_filingclaim`` see claims; nobody adds, edits or deletes one here."""

    refused_actions = ("add", "change", "delete")
    permission = VIEW_CLAIM


def staff_claims(user):
    return policy_registry.get_by_type(FilingClaim).instances_user_has_permission_for(user, "view")


def _require(request, perm):
    if not perms.has_perm(request.user, perm):
        raise PermissionDenied


# ----------------------------------------------------------------------------- listing


class ClaimFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("State"), choices=ClaimState.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = FilingClaim
        fields = ["state"]


class ClaimIndexView(generic.IndexView):
    filterset_class = ClaimFilterSet
    search_fields = ["filing_number"]  # makes the listing searchable; the search itself is ours
    default_ordering = "-created_at"

    def get_base_queryset(self):
        return staff_claims(self.request.user).select_related("claimant", "filing__owner")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        text = self.search_query.strip()
        q = (
            Q(filing_number__icontains=text) | Q(domain__icontains=text.lower()) | Q(organizer_name__icontains=text)
            | Q(member_email__icontains=text) | Q(claimant__username__icontains=text)
            | Q(filing__subject_number__icontains=text)
        )
        if text.lstrip("#").isdigit():
            q |= Q(pk=int(text.lstrip("#")))
        return queryset.filter(q)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "claim", label=gettext_lazy("Claim"), accessor=lambda c: f"#{c.pk} {c.filing_number}",
                get_url=lambda c: reverse("wagtail_beian_claims:inspect", args=[c.pk]),
            ),
            Column("claimant", label=gettext_lazy("Claimant"), accessor=lambda c: c.claimant.get_username()),
            Column("current_owner", label=gettext_lazy("Current owner"), accessor=lambda c: c.filing.owner.get_username()),
            Column("organizer_name", label=gettext_lazy("Organizer")),
            Column("domain", label=gettext_lazy("Domain"), accessor=lambda c: domain_to_unicode(c.domain)),
            StatusTagColumn("state", label=gettext_lazy("State"), accessor="get_state_display",
                            primary=lambda c: c.state == ClaimState.REQUESTED),
            DateColumn("created_at", label=gettext_lazy("Created"), sort_key="created_at"),
        ]


# ----------------------------------------------------------------------------- detail


class ClaimDetailView(generic.InspectView):
    template_name = "wagtail_beian/admin/claims/detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            staff_claims(self.request.user).select_related(
                "claimant", "previous_owner", "ticket", "filing__owner", "filing__subject"
            ),
            pk=self.pk,
        )

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        filing = claim.filing
        websites = list(filing.websites.order_by("sort_order", "pk"))
        context.update({
            "claim": claim,
            "filing": filing,
            "websites": websites,
            "name_matches": service.comparable_name(claim.organizer_name) == service.comparable_name(filing.subject.name),
            "domain_in_filing": any(w.domain == claim.domain for w in websites),
            "scans": list(claim.scans.all()),
            "actions": [t for t in available_transitions(claim, self.request.user) if t.name in STAFF_ACTIONS],
            "history": list(
                log_registry.get_logs_for_instance(claim).select_related("user").order_by("-timestamp", "-pk")
            ),
        })
        return context


# ----------------------------------------------------------------------------- actions


class StateForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)


@require_GET
def scan_download(request, pk, scan_pk):
    _require(request, VIEW_CLAIM)
    claim = get_object_or_404(staff_claims(request.user), pk=pk)
    scan = get_object_or_404(claim.scans, pk=scan_pk)
    response = private_file_response(scan.file, content_type=scan.content_type,
                                     filename=scan.original_name or f"scan-{scan.pk}")
    log(claim, "wagtail_beian.filingclaim.scan_download", user=request.user, data={"scan": scan.pk})
    return response


class ClaimFromTicketView(View):
    """Start the claim of a "claim a filing" ticket: GET confirms, POST creates (or opens the existing one)."""

    template_name = "wagtail_beian/admin/claims/action.html"

    def dispatch(self, request, *args, **kwargs):
        _require(request, VERIFY_CLAIM)
        _require(request, HANDLE_TICKET)
        self.ticket = get_object_or_404(
            Ticket.objects.select_related("owner"), pk=kwargs["ticket_pk"], request_type=service.CLAIM_TICKET_TYPE
        )
        return super().dispatch(request, *args, **kwargs)

    def ticket_url(self):
        return reverse("wagtail_beian_tickets:inspect", args=[self.ticket.pk])

    def get(self, request, ticket_pk):
        existing = self.ticket.claims.order_by("pk").first()
        if existing is not None:
            return redirect("wagtail_beian_claims:inspect", existing.pk)
        return TemplateResponse(request, self.template_name, {
            "claim": self.ticket, "title": _("Start a claim from this ticket"), "form": StateForm(), "possible": True,
            "notice": _("The ticket's fields and certificate scans become a claim of %(customer)s, checked like a claim "
                        "from the portal; the customer is told in the ticket.") % {"customer": self.ticket.owner.get_username()},
            "button": _("Start claim"), "detail_url": self.ticket_url(),
            "action_url": reverse("wagtail_beian_claims:from_ticket", args=[self.ticket.pk]),
        })

    def post(self, request, ticket_pk):
        try:
            claim = service.claim_from_ticket(self.ticket, request.user)
        except ValidationError as error:
            problems = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for texts in problems.values():
                for text in texts:
                    messages.error(request, text)
            messages.warning(request, _("No claim was started. Reply in the ticket so the customer can correct it."))
            return redirect(self.ticket_url())
        except FilingError as error:
            messages.error(request, error.message)
            return redirect(self.ticket_url())
        messages.success(request, _("Claim #%(number)s started.") % {"number": claim.pk})
        return redirect("wagtail_beian_claims:inspect", claim.pk)


class ClaimHistoryView(ReadOnlyHistoryView):
    def get_object(self):
        return get_object_or_404(staff_claims(self.request.user), pk=self.kwargs["pk"])


class ClaimViewSet(AppViewSetMixin, TransitionViewSetMixin, ModelViewSet):
    model = FilingClaim
    icon = "user"
    menu_label = gettext_lazy("Filing claims")
    name = "wagtail_beian_claims"
    url_namespace = "wagtail_beian_claims"
    url_prefix = "beian/claims"
    index_view_class = ClaimIndexView
    inspect_view_class = ClaimDetailView
    history_view_class = ClaimHistoryView
    usage_view_class = ReadOnlyUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["state"]  # never used: there is no add or edit here

    permission_policy_class = ClaimPermissionPolicy

    def get_permissions_to_register(self):
        return perms.permission_objects([VERIFY_CLAIM, VIEW_CLAIM])  # claims are never added, edited or deleted here

    @classmethod
    def register_log_actions(cls, actions):
        register_transition_log_actions(
            actions, FilingClaim, **{"wagtail_beian.filingclaim.request": gettext_lazy("Claim requested")}
        )
        actions.register_action("wagtail_beian.claim_transfer")(ClaimTransferFormatter)
        actions.register_action(
            "wagtail_beian.filingclaim.scan_download", gettext_lazy("Download claim scan"), gettext_lazy("Claim scan downloaded"),
        )

    # --- the staff transition view (admin/transitions.py): approve, refuse
    staff_transitions = STAFF_ACTIONS
    transition_permission = VERIFY_CLAIM

    def get_transition_queryset(self, request):
        return staff_claims(request.user).select_related("claimant", "filing__owner", "filing__subject")

    def transition_reason_choices(self, claim, target):
        return REASON_FIELDS

    def transition_notice(self, claim, name):
        if name != "approve":
            return ""
        return _(
            "Approving moves the filing %(number)s, with its changes, from %(owner)s to %(claimant)s. Compare the "
            "certificate scans with the filing first."
        ) % {"number": claim.filing.subject_number, "owner": claim.filing.owner.get_username(),
             "claimant": claim.claimant.get_username()}

    def perform_staff_transition(self, claim, name, user, *, expected_state=None, reasons=()):
        if name == "approve":
            return service.approve_claim(claim, user, expected_state=expected_state)
        return service.refuse_claim(claim, user, reasons, expected_state=expected_state)

    def transition_success_message(self, claim, name, label):
        if name == "approve":
            return _("Claim approved: the filing now belongs to %(claimant)s.") % {
                "claimant": claim.claimant.get_username()}
        return _("Claim refused; the member is told the reasons by e-mail.")

    def get_urlpatterns(self):
        claim = "<int:pk>/"
        return super().get_urlpatterns() + [
            path(claim + "scans/<int:scan_pk>/", scan_download, name="scan"),
            path("from-ticket/<int:ticket_pk>/", ClaimFromTicketView.as_view(), name="from_ticket"),
        ]


# ----------------------------------------------------------------------------- history


class ClaimTransferFormatter(LogFormatter):
    """On the filing's history: the filing moved to another member by claim #n."""

    label = gettext_lazy("Move filing by claim")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        users = {u.pk: u.get_username() for u in get_user_model().objects.filter(pk__in=[data.get("from_owner"), data.get("to_owner")])}
        return _("Filing moved by claim #%(claim)s: %(from)s → %(to)s") % {
            "claim": data.get("claim"), "from": users.get(data.get("from_owner"), "—"),
            "to": users.get(data.get("to_owner"), "—"),
        }
