"""Access transfers (新增接入 / 取消接入, F07) in the customer portal: request, list, follow.

Every view reads transfers through ``AccessTransfer.objects.filter(owner=request.user)``: another
customer's transfer gives 404, an anonymous visitor is sent to the login page. A request is
validated by ``services.transfers.request_transfer`` (the same function staff use), whose refusals
are shown at their fields in the customer's language; posting the same form twice requests one
transfer. The filing password is write-only: the pages say only whether it was given.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from wagtail.log_actions import registry as log_registry

from ..forms.transfers import TransferRequestForm
from ..models import AccessTransfer, TransferDirection, Website
from ..services import transfers as service

TEMPLATES = "wagtail_beian/portal/transfers/"


def detail_url(transfer):
    return reverse("wagtail_beian_portal:transfer_detail", args=[transfer.pk])


def my_transfers(user):
    if not user.is_authenticated:
        return AccessTransfer.objects.none()
    return AccessTransfer.objects.filter(owner=user)


def cancellable_websites(user):
    """My live websites with access here: each can be the subject of a cancel-access request."""
    return (
        Website.objects.filter(filing__owner=user, is_live=True, access_records__isnull=False)
        .select_related("filing__subject", "filing__amends__subject").distinct().order_by("domain")
    )


def cancel_link(website):
    filing = website.filing.public_record
    number = website.filing_number or filing.subject_number
    query = {
        "direction": TransferDirection.OUTGOING_CANCEL, "filing_number": number, "domain": website.domain,
        "organizer_name": getattr(getattr(filing, "subject", None), "name", ""),
    }
    return reverse("wagtail_beian_portal:transfer_new") + "?" + urlencode(query)


def new_transfer_url(direction, initial=None):
    return reverse("wagtail_beian_portal:transfer_new") + "?" + urlencode({"direction": direction, **(initial or {})})


class TransferListView(LoginRequiredMixin, View):
    def get(self, request):
        transfers = my_transfers(request.user).order_by("-created_at", "-pk")
        websites = [(w, cancel_link(w)) for w in cancellable_websites(request.user)]
        return TemplateResponse(request, TEMPLATES + "list.html", {
            "transfers": transfers, "websites": websites,
            "kinds": [(d.label, new_transfer_url(d.value)) for d in TransferDirection if d != TransferDirection.OUTGOING_CANCEL],
        })


class TransferCreateView(LoginRequiredMixin, View):
    """GET ``?direction=…`` (and any field, to pre-fill): the request form; POST: request it."""

    def direction(self, data):
        direction = data.get("direction")
        if direction not in TransferDirection.values:
            raise Http404
        return direction

    def render(self, form, status=200):
        return TemplateResponse(self.request, TEMPLATES + "new.html", {
            "form": form, "direction": form.direction, "direction_label": TransferDirection(form.direction).label,
        }, status=status)

    def get(self, request):
        if request.GET.get("direction") not in TransferDirection.values:
            return redirect("wagtail_beian_portal:transfer_list")  # the list offers each kind
        direction = self.direction(request.GET)
        initial = {name: request.GET[name] for name in service.FIELDS[direction] if request.GET.get(name)}
        return self.render(TransferRequestForm(direction, initial=initial))

    def post(self, request):
        direction = self.direction(request.POST)
        form = TransferRequestForm(direction, request.POST)
        if form.is_valid():
            try:
                transfer = service.request_transfer(
                    request.user, direction, form.request_data(), submission_key=form.cleaned_data.get("submission_key"),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your request was sent. You will be told by e-mail at each step."))
                return redirect(detail_url(transfer))
        return self.render(form, status=400)


class TransferDetailView(LoginRequiredMixin, View):
    def get(self, request, transfer_pk):
        transfer = get_object_or_404(
            my_transfers(request.user).select_related("filing", "website", "ticket", "responsible_certificate_type"),
            pk=transfer_pk,
        )
        history = list(log_registry.get_logs_for_instance(transfer).order_by("timestamp", "pk"))
        return TemplateResponse(request, TEMPLATES + "detail.html", {
            "transfer": transfer,
            "rows": service.request_rows(transfer),
            "reasons": service.transfer_reasons(transfer, entries=history),
            "history": history,
        })


def ticket_route(request, request_type):
    """The portal's "new ticket" of a transfer type leads here: the transfer request, pre-filled
    from the ticket-coded query (e.g. ``access_domain``) of an entry point's link."""
    direction = service.TICKET_DIRECTIONS[request_type.code]
    values = request.GET if request.method == "GET" else {}
    initial = service.transfer_data_from_ticket_values(request_type.code, values)
    initial.pop("filing_password", None)
    return redirect(new_transfer_url(direction, initial))
