"""Filing claims (备案归属, F09) in the customer portal: my claims, a new claim, withdraw.

Every view reads claims through ``FilingClaim.objects.for_claimant(request.user)``: another
member's claim (or scan) gives 404; an anonymous visitor is sent to the login page. The member
sees only what they typed, the state and the reasons: no data of the filing before approval.
The "claim a filing" support-ticket type leads here (:func:`ticket_route`).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ..downloads import private_file_response
from ..exceptions import FilingError
from ..models import FilingClaim
from ..models.claims import ClaimState
from ..services import claims as service
from ..tickets.formfields import MultipleScanField
from ..forms.tickets import DescribedFieldsMixin

TEMPLATES = "wagtail_beian/portal/claims/"


def detail_url(claim):
    return reverse("wagtail_beian_portal:claim_detail", args=[claim.pk])


def ticket_route(request, request_type):
    """A "claim a filing" request is a claim: its own form, checked at once, with a state."""
    return redirect("wagtail_beian_portal:claim_new")


class ClaimForm(DescribedFieldsMixin, forms.Form):
    """What the member types; checked by :func:`wagtail_beian.services.claims.request_claim`."""

    member_email = forms.CharField(
        label=gettext_lazy("member e-mail"), max_length=254,
        help_text=gettext_lazy("The e-mail address of your account: the filing moves to this account."),
    )
    organizer_name = forms.CharField(
        label=gettext_lazy("organizer name"), max_length=100,
        help_text=gettext_lazy("The company name as on the licence, or the person's name; never a website name."),
    )
    filing_number = forms.CharField(
        label=gettext_lazy("filing number"), max_length=40,
        help_text=gettext_lazy("e.g. 京ICP备17042306号 or 京ICP备17042306号-4."),
    )
    domain = forms.CharField(
        label=gettext_lazy("domain"), max_length=253,
        help_text=gettext_lazy("One domain of the filing, e.g. example.com, not www.example.com."),
    )
    scans = MultipleScanField(
        label=gettext_lazy("certificate scans"), max_files=service.MAX_SCANS,
        help_text=gettext_lazy(
            "Scans of the organizer's certificates (business licence, or ID card for a person): JPEG, PNG or PDF."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("member_email", "organizer_name", "filing_number", "domain"):
            self.fields[name].required = False  # the service says what is missing, with the same words
            self.fields[name].widget.attrs["aria-required"] = "true"
        self.describe_fields()


class ClaimListView(LoginRequiredMixin, View):
    def get(self, request):
        claims = FilingClaim.objects.for_claimant(request.user).order_by("-created_at", "-pk")
        return TemplateResponse(request, TEMPLATES + "list.html", {"claims": claims})


class ClaimCreateView(LoginRequiredMixin, View):
    def render(self, form, status=200):
        return TemplateResponse(self.request, TEMPLATES + "new.html", {"form": form}, status=status)

    def get(self, request):
        return self.render(ClaimForm(initial={"member_email": request.user.email}))

    def post(self, request):
        form = ClaimForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            claim = service.request_claim(request.user, form.cleaned_data, form.cleaned_data.get("scans") or [])
        except ValidationError as error:
            for field, errors in error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]:
                form.add_error(field if field in form.fields else None, errors)
            return self.render(form, status=400)
        messages.success(request, _("Your claim was sent. We compare the scans with the filing and e-mail you our decision."))
        return redirect(detail_url(claim))


class ClaimMixin(LoginRequiredMixin):
    @cached_property
    def claim(self):
        return get_object_or_404(FilingClaim.objects.for_claimant(self.request.user), pk=self.kwargs["claim_pk"])


class ClaimDetailView(ClaimMixin, View):
    def get(self, request, claim_pk):
        claim = self.claim
        return TemplateResponse(request, TEMPLATES + "detail.html", {
            "claim": claim,
            "scans": list(claim.scans.all()),
            "can_withdraw": claim.state == ClaimState.REQUESTED,
            # After approval the filing is the member's own; before, nothing of it is shown.
            "filing": claim.filing if claim.state == ClaimState.APPROVED and claim.filing.owner_id == request.user.pk else None,
        })


class ClaimWithdrawView(ClaimMixin, View):
    def get(self, request, claim_pk):
        return redirect(detail_url(self.claim))

    def post(self, request, claim_pk):
        try:
            service.withdraw_claim(self.claim, request.user, expected_state=request.POST.get("expected_state") or None)
        except FilingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your claim is withdrawn."))
        return redirect(detail_url(self.claim))


def scan_download(request, claim_pk, scan_pk):
    """One of my claim's scans (404 for anyone else's)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    claim = get_object_or_404(FilingClaim.objects.for_claimant(request.user), pk=claim_pk)
    scan = get_object_or_404(claim.scans, pk=scan_pk)
    return private_file_response(scan.file, content_type=scan.content_type, filename=scan.original_name or f"scan-{scan.pk}")
