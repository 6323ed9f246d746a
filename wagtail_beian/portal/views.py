"""The customer portal: my filings, the filing wizard, fixing a return, and what follows approval.

Every view reads the filing through ``Filing.objects.for_owner(request.user)``: another customer's
id gives 404. Each wizard step saves to the database, so leaving and coming back loses nothing.
"""

from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from wagtail.log_actions import log
from wagtail.models import Site

from ..exceptions import ConcurrentChange, FilingError, TransitionBlocked, TransitionNotAllowed
from ..forms.filings import (
    SUBJECT_FIELDS,
    WEBSITE_FIELDS,
    AccessForm,
    PublicSecurityNumberForm,
    SubjectForm,
    WebsiteForm,
)
from ..models import (
    Access,
    Document,
    Filing,
    FilingKind,
    FilingReason,
    FilingState,
    PortalSettings,
    Subject,
    Website,
    WebsiteStatus,
)
from ..rules.documents import DATED_TOGETHER
from ..rules.domains import domain_to_unicode
from ..services.changes import start_change
from ..services.documents import required_documents_for
from ..services.fields import display_rows, field_labels, label_items, required_document_path
from ..services.preflight import preflight
from ..services.reasons import answer_reason, change_entries, unanswered_findings, with_changes
from ..services.edits import form_changes, initial_values, log_edit
from ..services.footer import website_footer_numbers
from ..services.status import progress, stepper
from ..services.workflow import perform_transition, transitions_of
from ..downloads import attachment_response_for
from ..printouts import FontMissing, agreement_file_name, security_agreement, sheet_file_name, verification_sheet
from ..uploads import ScanField
from .editing import Editability, field_url, next_step, notes_by_path, notes_for

S = FilingState
STEPS = [
    ("subject", gettext_lazy("Organizer")),
    ("websites", gettext_lazy("Websites")),
    ("documents", pgettext_lazy("beian", "Documents")),
    ("summary", gettext_lazy("Check and submit")),
]


def portal_settings(request):
    site = Site.find_for_request(request)
    return PortalSettings.for_site(site) if site else PortalSettings()


class CustomerView(LoginRequiredMixin, View):
    """A view of one of the customer's own filings."""

    template_name = None
    step = None

    @cached_property
    def filing(self):
        return get_object_or_404(
            Filing.objects.for_owner(self.request.user).select_related("subject", "amends"), pk=self.kwargs["pk"]
        )

    @cached_property
    def editability(self):
        return Editability(self.filing, self.request.user)

    @cached_property
    def notes(self):
        """{field path: [Note]}: the open reasons, and pre-flight's findings about the saved data.

        Findings appear only once the customer has saved something (a new draft shows no red
        boxes), and never on a form sent back with errors (:meth:`form_notes`): they describe the
        stored values, which the form's own errors are about to replace. A document not uploaded
        yet is said at its slot as such, not as an error; the check step lists it.
        """
        subject = getattr(self.filing, "subject", None)
        started = subject is not None and subject.pk is not None  # an unsaved form's Subject is not a start
        findings = preflight(self.filing) if self.filing.is_customer_editable and started else []
        findings = [f for f in findings if f.rule != "D01"]
        return notes_by_path(self.filing.open_reasons(), findings)

    def form_notes(self, form, prefix, names):
        """The notes of a form's fields; only the reasons when the form came back with errors."""
        notes = notes_by_path(self.filing.open_reasons(), []) if form.is_bound and form.errors else self.notes
        return notes_for(notes, prefix, names)

    def context(self, **extra):
        return {
            "filing": self.filing, "steps": STEPS, "step": self.step, "editability": self.editability,
            "next_step": next_step(self.filing), **extra,
        }

    def render(self, status=200, **extra):
        return TemplateResponse(self.request, self.template_name, self.context(**extra), status=status)

    def detail_url(self):
        return reverse("wagtail_beian_portal:filing_detail", args=[self.filing.pk])

    def website_index(self, website):
        """The website's place among the filing's, as field paths name it (``websites.<i>.…``)."""
        return list(self.filing.websites.values_list("pk", flat=True)).index(website.pk)

    def refuse_if_locked(self):
        if not self.editability.any:
            messages.info(self.request, _("This filing cannot be changed now: %(next)s") % {"next": next_step(self.filing)})
            return redirect(self.detail_url())
        return None


class LogoutView(LoginRequiredMixin, View):
    """GET asks, POST (with CSRF) signs the customer out, back to ``LOGOUT_REDIRECT_URL`` or the login
    page. The portal's own, so it works whatever the site uses to sign people in."""

    def get(self, request):
        return TemplateResponse(request, "wagtail_beian/portal/logout.html", {})

    def post(self, request):
        auth.logout(request)
        return redirect(settings.LOGOUT_REDIRECT_URL or settings.LOGIN_URL)


class FilingListView(LoginRequiredMixin, View):
    def get(self, request):
        filings = (
            Filing.objects.for_owner(request.user)
            .select_related("subject", "amends")
            .prefetch_related("websites")
            .order_by("-created_at")
        )
        rows = [{"filing": f, "next_step": next_step(f)} for f in filings]
        return TemplateResponse(request, "wagtail_beian/portal/filing_list.html", {"rows": rows})


class FilingCreateView(LoginRequiredMixin, View):
    """POST: start a new draft filing (the wizard's first step)."""

    def get(self, request):
        return TemplateResponse(request, "wagtail_beian/portal/filing_create.html", {})

    def post(self, request):
        filing = Filing.objects.create(owner=request.user)
        log(filing, "wagtail.create", user=request.user)
        return redirect("wagtail_beian_portal:filing_subject", pk=filing.pk)


class FilingDetailView(CustomerView):
    template_name = "wagtail_beian/portal/filing_detail.html"

    def get(self, request, pk):
        return self.show()

    def show(self, status=200, **extra):
        filing = self.filing
        websites = list(filing.websites.prefetch_related("access_records__method"))
        labels = field_labels(filing)
        reasons = with_changes(label_items(list(filing.reasons.all()), labels), change_entries(filing))
        return self.render(
            status=status,
            websites=websites,
            reasons=reasons,
            can_answer=self.editability.owner and filing.is_customer_editable,
            progress=progress(filing),
            stepper=stepper(filing),
            documents=list(filing.documents.select_related("website")),
            deadline=filing.workdays_left(),
            can_change=filing.kind == FilingKind.NEW and filing.state == S.APPROVED and not filing.open_change(),
            open_change=filing.open_change() if filing.state == S.APPROVED else None,
            footers=self.footers(websites, extra.pop("psb_form", None)),
            **extra,
        )

    def footers(self, websites, bound=None):
        """For an approved filing: each active website's footer HTML to copy, and the form of its
        public-security number (``bound``: the one sent back with an error)."""
        if self.filing.state != S.APPROVED or self.filing.kind != FilingKind.NEW:
            return []
        return [{
            "website": w,
            "html": render_to_string("wagtail_beian/includes/footer.html", {"numbers": website_footer_numbers(w)}).strip(),
            "form": bound if bound is not None and bound.instance.pk == w.pk else PublicSecurityNumberForm(
                instance=w, prefix=f"psb{w.pk}"),
        } for w in websites if w.status == WebsiteStatus.ACTIVE and w.site_number]


class PrintoutView(CustomerView):
    """GET: a document the customer prints and signs, generated as a PDF filled in from the filing."""

    log_action = ""

    def generate(self, settings):
        raise NotImplementedError

    def file_name(self):
        raise NotImplementedError

    def get(self, request, pk):
        self.filing  # 404 unless it is this customer's filing, before anything else is said
        settings = portal_settings(request)
        try:
            content = self.generate(settings)
        except FontMissing:
            messages.error(request, _("This document cannot be generated on this server yet (no Chinese font "
                                      "installed). Download the blank template, or ask us for help."))
            return redirect(reverse("wagtail_beian_portal:filing_documents", args=[pk]))
        if content is None:  # nothing to fill in (no clauses entered): the blank template, if any
            messages.info(request, _("Use the template on this page for this document."))
            return redirect(reverse("wagtail_beian_portal:filing_documents", args=[pk]))
        log(self.filing, self.log_action, user=request.user)
        return attachment_response_for(content, content_type="application/pdf", filename=self.file_name())


class VerificationSheetView(PrintoutView):
    """The verification sheet (核验单)."""

    log_action = "wagtail_beian.verification_sheet"

    def generate(self, settings):
        return verification_sheet(self.filing, provider_name=settings.provider_name)

    def file_name(self):
        return sheet_file_name(self.filing)


class SecurityAgreementView(PrintoutView):
    """The information-security agreement (信息安全管理协议书), when the provider has entered its clauses."""

    log_action = "wagtail_beian.security_agreement"

    def generate(self, settings):
        if not settings.security_agreement_text.strip():
            return None
        return security_agreement(self.filing, provider_name=settings.provider_name,
                                  clauses=settings.security_agreement_text)

    def file_name(self):
        return agreement_file_name(self.filing)


class PublicSecurityNumberView(FilingDetailView):
    """POST: the customer enters (or clears) a website's public-security filing number; it joins the
    footer snippet. A bad number comes back at its field with what was typed."""

    def get(self, request, pk, website_pk):
        return redirect(self.detail_url())

    def post(self, request, pk, website_pk):
        website = get_object_or_404(Website, pk=website_pk, filing=self.filing)
        if self.filing.state != S.APPROVED or not self.editability.owner:
            return redirect(self.detail_url())
        form = PublicSecurityNumberForm(request.POST, instance=website, prefix=f"psb{website.pk}")
        before = initial_values(form)
        if not form.is_valid():
            return self.show(status=400, psb_form=form)
        with transaction.atomic():
            form.save()
            path = f"websites.{self.website_index(website)}"
            log_edit(self.filing, request.user, "website", form_changes(form, path, before), id=website.pk)
        messages.success(request, _("Saved. The footer code below now shows it."))
        return redirect(self.detail_url() + "#footer")


class ReasonAnswerView(FilingDetailView):
    """POST: the customer explains a reason instead of changing its field (F03). A refused
    explanation comes back on the filing's page with its text and the error beside it."""

    def get(self, request, pk, reason_pk):
        return redirect(self.detail_url())

    def post(self, request, pk, reason_pk):
        reason = get_object_or_404(FilingReason, pk=reason_pk, filing=self.filing)
        text = request.POST.get("answer", "")
        try:
            answer_reason(reason, request.user, text)
        except ValidationError as error:
            if error.code == "closed":  # submitted meanwhile (another tab): nothing to keep
                messages.error(request, " ".join(error.messages))
                return redirect(self.detail_url())
            return self.show(status=400, answer_error={"reason": reason.pk, "text": text,
                                                       "message": " ".join(error.messages)})
        messages.success(request, _("Explanation saved. Submit the filing again when every reason is answered."))
        return redirect(reverse("wagtail_beian_portal:filing_detail", args=[pk]) + f"#reason-{reason.pk}")


class SubjectStepView(CustomerView):
    template_name = "wagtail_beian/portal/step_subject.html"
    step = "subject"

    def form(self, data=None):
        subject = getattr(self.filing, "subject", None) or Subject(filing=self.filing)
        return SubjectForm(data, instance=subject, editable=self.editability.fields("subject", SUBJECT_FIELDS))

    def get(self, request, pk):
        form = self.form()
        return self.refuse_if_locked() or self.render(form=form, notes=self.form_notes(form, "subject", SUBJECT_FIELDS))

    def post(self, request, pk):
        if locked := self.refuse_if_locked():
            return locked
        form = self.form(request.POST)
        before = initial_values(form)
        if not form.is_valid():
            return self.render(status=400, form=form, notes=self.form_notes(form, "subject", SUBJECT_FIELDS))
        with transaction.atomic():
            form.save()
            log_edit(self.filing, request.user, "subject", form_changes(form, "subject", before))
        messages.success(request, _("Saved."))
        return redirect("wagtail_beian_portal:filing_websites", pk=self.filing.pk)


class WebsitesStepView(CustomerView):
    """The websites of the filing, each with its access; add one with the form below."""

    template_name = "wagtail_beian/portal/step_websites.html"
    step = "websites"

    def get(self, request, pk, form=None, status=200):
        if locked := self.refuse_if_locked():
            return locked
        websites = list(self.filing.websites.prefetch_related("access_records__method"))
        subject = getattr(self.filing, "subject", None)
        new_form = form or (WebsiteForm(prefix="new", subject=subject) if self.editability.structure else None)
        return self.render(status=status, websites=websites, form=new_form)

    def post(self, request, pk):
        if not self.editability.structure:
            return self.refuse_if_locked() or redirect("wagtail_beian_portal:filing_websites", pk=pk)
        form = WebsiteForm(request.POST, prefix="new", instance=Website(filing=self.filing),
                           subject=getattr(self.filing, "subject", None))
        if not form.is_valid():
            return self.get(request, pk, form=form, status=400)
        with transaction.atomic():
            website = form.save(commit=False)
            website.sort_order = self.filing.websites.count()
            website.save()
            form.save_m2m()
            log(self.filing, "wagtail_beian.edit_data", user=request.user, data={"object": "website", "added": website.domain})
        messages.success(request, _("Website added. Now enter how it is hosted (access)."))
        return redirect("wagtail_beian_portal:website_access", pk=self.filing.pk, website_pk=website.pk)


class WebsiteView(CustomerView):
    template_name = "wagtail_beian/portal/step_website.html"
    step = "websites"

    @cached_property
    def website(self):
        return get_object_or_404(Website, filing=self.filing, pk=self.kwargs["website_pk"])

    @cached_property
    def index(self):
        return self.website_index(self.website)

    def form(self, data=None):
        editable = self.editability.fields(f"websites.{self.index}", WEBSITE_FIELDS) | {"same_as_subject"}
        return WebsiteForm(data, instance=self.website, editable=editable, subject=getattr(self.filing, "subject", None))

    def show(self, form, status=200):
        notes = self.form_notes(form, f"websites.{self.index}", WEBSITE_FIELDS)
        return self.render(status=status, form=form, website=self.website, notes=notes)

    def get(self, request, pk, website_pk):
        return self.refuse_if_locked() or self.show(self.form())

    def post(self, request, pk, website_pk):
        if locked := self.refuse_if_locked():
            return locked
        form = self.form(request.POST)
        before = initial_values(form)
        if not form.is_valid():
            return self.show(form, status=400)
        form.save()
        log_edit(self.filing, request.user, "website", form_changes(form, f"websites.{self.index}", before),
                 id=self.website.pk)
        messages.success(request, _("Saved."))
        return redirect("wagtail_beian_portal:filing_websites", pk=self.filing.pk)


class WebsiteDeleteView(WebsiteView):
    def get(self, request, pk, website_pk):
        self.website  # 404 unless it is this customer's website
        return redirect("wagtail_beian_portal:filing_websites", pk=pk)

    def post(self, request, pk, website_pk):
        if not self.editability.structure:
            return self.refuse_if_locked() or redirect("wagtail_beian_portal:filing_websites", pk=pk)
        domain = self.website.domain
        self.website.delete()
        log(self.filing, "wagtail_beian.edit_data", user=request.user, data={"object": "website", "removed": domain})
        messages.success(request, _("Website %(domain)s removed.") % {"domain": domain_to_unicode(domain)})
        return redirect("wagtail_beian_portal:filing_websites", pk=pk)


class AccessView(WebsiteView):
    template_name = "wagtail_beian/portal/step_access.html"

    def form(self, data=None):
        access = self.website.access_records.first() or Access(website=self.website)
        editable = {"method", "server_location", "ip_addresses"} if self.editability.path(f"websites.{self.index}.access") else set()
        return AccessForm(data, instance=access, editable=editable, locations=portal_settings(self.request).location_list)

    def show(self, form, status=200):
        notes = {"ip_addresses": self.form_notes(form, f"websites.{self.index}", ["access"])["access"]}
        return self.render(status=status, form=form, website=self.website, notes=notes)

    def post(self, request, pk, website_pk):
        if locked := self.refuse_if_locked():
            return locked
        form = self.form(request.POST)
        before = initial_values(form)
        if not form.is_valid():
            return self.show(form, status=400)
        form.save()
        changes = form_changes(form, f"websites.{self.index}.access", before)
        for change in changes:  # reasons name the access as a whole
            change["field"] = f"websites.{self.index}.access"
        log_edit(self.filing, request.user, "access", changes, website=self.website.pk)
        messages.success(request, _("Saved."))
        return redirect("wagtail_beian_portal:filing_websites", pk=self.filing.pk)


class UploadForm(forms.Form):
    slot = forms.CharField(widget=forms.HiddenInput)
    file = ScanField(label=gettext_lazy("Scan (JPEG, PNG or PDF)"))
    document_date = forms.DateField(
        label=gettext_lazy("Date on the document"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Verification sheet, security agreement and on-site photo carry one and the same date."),
    )


class DocumentsStepView(CustomerView):
    """Exactly the documents this filing needs (D01–D03), each with its upload slot (D04 dates)."""

    template_name = "wagtail_beian/portal/step_documents.html"
    step = "documents"

    def slots(self, bound=None):
        websites = list(self.filing.websites.all())
        documents = list(self.filing.documents.select_related("website"))
        settings = portal_settings(self.request)
        slots = []
        for req in required_documents_for(self.filing):
            website = next((w for w in websites if w.pk == req.website_key), None)
            path = required_document_path(req, websites)
            uploaded = [d for d in documents if d.kind == req.kind and d.website_id == req.website_key]
            slot_id = f"{req.kind}:{req.website_key or ''}"
            form = None
            if self.editability.path(path):
                form = bound if bound is not None and bound.data.get("slot") == slot_id else UploadForm(
                    initial={"slot": slot_id})
                # One page, many upload forms: ids of their own, so each label names its own input.
                form.auto_id = f"id_slot{len(slots)}_%s"
                if req.kind not in DATED_TOGETHER:
                    form.fields.pop("document_date", None)  # only D04's documents carry a date
            slots.append({
                "id": slot_id, "required": req, "website": website, "path": path, "uploaded": uploaded,
                "dated": req.kind in DATED_TOGETHER, "form": form, "notes": self.notes.get(path, []),
                "template": settings.template_for(req.kind),
            })
        return slots

    def get(self, request, pk, bound=None, status=200):
        if locked := self.refuse_if_locked():
            return locked
        return self.render(status=status, slots=self.slots(bound),
                           agreement_generated=bool(portal_settings(request).security_agreement_text.strip()))

    def post(self, request, pk):
        if locked := self.refuse_if_locked():
            return locked
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.get(request, pk, bound=form, status=400)
        slots = {s["id"]: s for s in self.slots()}
        slot = slots.get(form.cleaned_data["slot"])
        if slot is None or slot["form"] is None:
            messages.error(request, _("This document cannot be uploaded now."))
            return redirect("wagtail_beian_portal:filing_documents", pk=pk)
        if slot["dated"] and not form.cleaned_data["document_date"]:
            form.add_error("document_date", _("Enter the date written on this document."))
            return self.get(request, pk, bound=form, status=400)
        clean = form.cleaned_data["file"]
        with transaction.atomic():
            # A new upload replaces the earlier scan of the same slot.
            earlier = Document.objects.filter(filing=self.filing, kind=slot["required"].kind, website=slot["website"])
            replaced = "、".join(earlier.values_list("original_name", flat=True))
            earlier.delete()
            document = Document.objects.create(
                filing=self.filing, website=slot["website"], kind=slot["required"].kind,
                file=clean.as_content_file(), original_name=clean.original_name, content_type=clean.content_type,
                size=clean.size, sha256=clean.sha256, document_date=form.cleaned_data["document_date"],
                uploaded_by=request.user,
            )
            # Logged as a change of the document's field, so a reason on it sees the new scan (F03).
            change = {"field": slot["path"], "label": str(document.get_kind_display()),
                      "before": replaced, "after": document.original_name}
            log(self.filing, "wagtail_beian.upload", user=request.user,
                data={"document": document.pk, "kind": document.kind, "changes": [change]})
        messages.success(request, _("Uploaded: %(name)s.") % {"name": document.get_kind_display()})
        return redirect("wagtail_beian_portal:filing_documents", pk=pk)


class SummaryView(CustomerView):
    """Step 4: everything the customer entered, read-only, with each problem linked to where it is
    fixed; the submit button while the filing is with the customer, what happens next after."""

    template_name = "wagtail_beian/portal/step_summary.html"
    step = "summary"

    def get(self, request, pk):
        filing = self.filing
        with_customer = filing.state in (S.DRAFT, S.RETURNED)
        findings = preflight(filing) + unanswered_findings(filing) if with_customer else []
        websites = list(filing.websites.prefetch_related("access_records__method", "service_contents",
                                                         "pre_approval_categories"))
        labels = field_labels(filing)
        problems = [{
            "label": labels.get(f.field, f.field), "message": f.message, "suggestion": f.suggestion,
            "severity": f.severity, "url": field_url(filing, f.field, websites), "field": f.field,
        } for f in findings]
        flagged = {p["field"] for p in problems}
        subject = getattr(filing, "subject", None)
        documents = list(filing.documents.select_related("website"))
        return self.render(
            problems=problems, errors=[p for p in problems if p["severity"] == "error"], flagged=flagged,
            subject_rows=display_rows(subject, SUBJECT_FIELDS, "subject.") if subject else [],
            websites=[{
                "website": w, "rows": display_rows(w, WEBSITE_FIELDS, f"websites.{i}."),
                "access": w.access_records.all(), "access_path": f"websites.{i}.access",
            } for i, w in enumerate(websites)],
            documents=[{
                "required": req, "path": required_document_path(req, websites),
                "uploaded": [d for d in documents if d.kind == req.kind and d.website_id == req.website_key],
            } for req in required_documents_for(filing)],
            can_submit=self.editability.owner and with_customer,
            with_customer=with_customer,
        )

    def post(self, request, pk):
        """Submit. A second click (or a stale tab) finds the filing submitted already: harmless."""
        try:
            perform_transition(self.filing, "submit", request.user, expected_state=request.POST.get("expected_state"))
        except TransitionBlocked as error:
            messages.error(request, error.message)
            return redirect("wagtail_beian_portal:filing_summary", pk=pk)
        except (ConcurrentChange, TransitionNotAllowed):
            messages.info(request, _("This filing has already been submitted."))
            return redirect(self.detail_url())
        except FilingError as error:
            messages.error(request, error.message)
            return redirect(self.detail_url())
        messages.success(request, _("Submitted. The provider verifies it within 5 working days."))
        return redirect(self.detail_url())


class ConfirmActionView(CustomerView):
    """A customer action after approval (or withdrawal): GET confirms, POST performs."""

    template_name = "wagtail_beian/portal/confirm.html"
    title = ""
    message = ""

    def perform(self):
        raise NotImplementedError

    def get(self, request, pk, **kwargs):
        return self.render(title=self.title, message=self.message)

    def post(self, request, pk, **kwargs):
        try:
            target = self.perform()
        except (FilingError, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
            return redirect(self.detail_url())
        messages.success(request, _("Done."))
        return redirect(target or self.detail_url())


class StartChangeView(ConfirmActionView):
    title = gettext_lazy("Change the approved filing")
    message = gettext_lazy(
        "A change is prepared as a copy: your approved filing stays as it is until the bureau approves "
        "the change. Changing the organizer's data needs the documents uploaded again."
    )

    #: Where the new change opens.
    first_step = "filing_subject"

    def perform(self):
        change = start_change(self.filing, self.request.user)
        return reverse(f"wagtail_beian_portal:{self.first_step}", args=[change.pk])


class AddWebsiteView(StartChangeView):
    title = gettext_lazy("Add a website")
    message = gettext_lazy(
        "A website is added to an approved organizer through a change, with its own verification sheet; "
        "it must reach the bureau within 7 working days."
    )
    first_step = "filing_websites"


class CancellationForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why do you cancel?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("e.g. the website no longer runs, or it moved to another provider. We keep it with the request."),
    )


class CancellationView(ConfirmActionView):
    """Cancel the filing or one website (F06): says that it cannot be undone, asks why (the reason
    is kept with the request and shown in the filing's progress), and confirms with a POST."""

    template_name = "wagtail_beian/portal/cancel.html"

    def target(self):
        raise NotImplementedError

    def warning(self):
        return transitions_of(type(self.target()))["request_cancellation"].custom["warning"]

    def get(self, request, pk, **kwargs):
        return self.render(title=self.title, message=self.message, form=CancellationForm(), warning=self.warning())

    def post(self, request, pk, **kwargs):
        form = CancellationForm(request.POST)
        target = self.target()
        if form.is_valid():
            try:
                perform_transition(target, "request_cancellation", request.user, note=form.cleaned_data["note"],
                                   expected_state=S.APPROVED if target is self.filing else "active")
            except ValidationError as error:
                form.add_error("note" if hasattr(error, "error_dict") else None, error.messages)
            except FilingError as error:
                messages.error(request, error.message)
                return redirect(self.detail_url())
            else:
                messages.success(request, _("Your cancellation request was sent. We tell you by e-mail when it is done."))
                return redirect(self.detail_url())
        return self.render(status=400, title=self.title, message=self.message, form=form, warning=self.warning())


class CancelSubjectView(CancellationView):
    title = gettext_lazy("Cancel the filing (注销主体)")
    message = gettext_lazy(
        "The organizer and all its websites will be cancelled. Website numbers are never reused. "
        "Remove the filing number from your sites once it is done."
    )

    def target(self):
        return self.filing


class CancelWebsiteView(CancellationView):
    title = gettext_lazy("Cancel a website (注销网站)")
    message = gettext_lazy("The website's filing is cancelled; the organizer and its other websites stay filed.")

    def context(self, **extra):
        return super().context(website=self.website, **extra)

    @cached_property
    def website(self):
        return get_object_or_404(Website, filing=self.filing, pk=self.kwargs["website_pk"])

    def target(self):
        return self.website


class WithdrawView(ConfirmActionView):
    title = gettext_lazy("Withdraw")
    message = gettext_lazy("The filing is withdrawn and can no longer be submitted; its domains are freed.")

    def perform(self):
        perform_transition(self.filing, "withdraw", self.request.user)
        return reverse("wagtail_beian_portal:filing_list")
