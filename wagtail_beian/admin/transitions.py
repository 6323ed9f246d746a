"""Transitions, document review and scan previews in the admin: confirm (GET), then act (POST)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.decorators.http import require_GET
from wagtail.log_actions import log

from .. import permissions as perms
from ..downloads import private_file_response
from ..exceptions import ConcurrentChange, FilingError, TransitionBlocked
from ..models import Document, FilingKind, ReviewStatus, Website
from ..services.documents import required_documents_for
from ..services.preflight import preflight
from ..services.fields import document_path, reason_field_choices
from ..services.workflow import Reason, available_transitions, perform_transition, transitions_of
from .policies import staff_filings

IMAGE_TYPES = {"image/png", "image/jpeg"}


class ReasonForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("Field"))
    problem = forms.CharField(label=gettext_lazy("Problem"), widget=forms.Textarea(attrs={"rows": 2}))
    suggestion = forms.CharField(
        label=gettext_lazy("Suggestion for the customer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, field_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "---------")] + list(field_choices)


class BaseReasonFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("field") for form in self.forms):
            raise ValidationError(_("Give at least one reason: the field, the problem and a suggestion the customer will see."))


#: Three blank reasons are offered; the ones left blank are ignored (works without JavaScript).
ReasonFormSet = forms.formset_factory(ReasonForm, formset=BaseReasonFormSet, extra=3)


class TransitionForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    subject_number = forms.CharField(
        label=gettext_lazy("Subject filing number from the bureau's reply"), required=False,
        help_text=gettext_lazy("e.g. 京ICP备2024012345号 — without the website suffix “-1”."),
    )

    def __init__(self, *args, needs_subject_number=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_subject_number:
            self.fields["subject_number"].required = True
        else:
            del self.fields["subject_number"]


class FilingTransitionView(View):
    """GET: the confirmation (with reasons or the subject number where needed); POST: perform it."""

    template_name = "wagtail_beian/admin/filings/transition.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.filing = get_object_or_404(staff_filings(request.user), pk=kwargs["pk"])
        website_pk = request.GET.get("website") or request.POST.get("website")
        self.target = self.filing
        if website_pk:
            self.target = get_object_or_404(Website, pk=website_pk, filing=self.filing)
        known = transitions_of(type(self.target))
        if kwargs["name"] not in known:
            raise Http404
        self.name = kwargs["name"]
        self.custom = known[self.name].custom

    @property
    def needs_subject_number(self):
        return bool(self.custom.get("needs_subject_number")) and self.filing.kind == FilingKind.NEW

    def detail_url(self):
        return reverse("wagtail_beian_filings:inspect", args=[self.filing.pk])

    def forms(self, data=None):
        state_field = "state" if self.target is self.filing else "status"
        form = TransitionForm(
            data, initial={"expected_state": getattr(self.target, state_field)},
            needs_subject_number=self.needs_subject_number,
        )
        reasons = None
        if self.custom.get("needs_reasons"):
            choices = reason_field_choices(self.filing, required_documents_for(self.filing))
            reasons = ReasonFormSet(data, prefix="reasons", form_kwargs={"field_choices": choices},
                                    initial=None if data else self.rejected_document_reasons())
        return form, reasons

    def rejected_document_reasons(self):
        """A document a reviewer rejected becomes a suggested reason for the customer."""
        websites = list(self.filing.websites.all())
        return [
            {"field": document_path(d, websites), "problem": d.review_reason, "suggestion": _("Upload a new scan.")}
            for d in self.filing.documents.filter(review_status=ReviewStatus.REJECTED)
        ]

    def render(self, form, reasons, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "filing": self.filing, "target": self.target, "name": self.name, "label": self.custom["label"],
            "form": form, "reasons": reasons, "detail_url": self.detail_url(),
            "needs_reasons": bool(self.custom.get("needs_reasons")),
        }, status=status)

    def get(self, request, *args, **kwargs):
        if self.name not in {t.name for t in available_transitions(self.target, request.user)}:
            messages.error(request, _("“%(action)s” is not available to you for this filing now.") % {"action": self.custom["label"]})
            return redirect(self.detail_url())
        form, reasons = self.forms()
        return self.render(form, reasons)

    def post(self, request, *args, **kwargs):
        form, reasons = self.forms(request.POST)
        valid = form.is_valid() & (reasons is None or reasons.is_valid())
        if not valid:
            return self.render(form, reasons, status=400)
        kwargs = {}
        if self.needs_subject_number:
            kwargs["subject_number"] = form.cleaned_data["subject_number"]
        if reasons is not None:
            kwargs["reasons"] = [
                Reason(f.cleaned_data["field"], f.cleaned_data["problem"], f.cleaned_data.get("suggestion", ""))
                for f in reasons.forms
                if f.cleaned_data.get("field")
            ]
        try:
            perform_transition(self.target, self.name, request.user, expected_state=form.cleaned_data["expected_state"], **kwargs)
        except ValidationError as error:
            target = "subject_number" if "subject_number" in form.fields else None
            form.add_error(target, error)
            return self.render(form, reasons, status=400)
        except ConcurrentChange as error:
            messages.error(request, error.message)
            return redirect(self.detail_url())
        except TransitionBlocked as error:
            messages.error(request, error.message, extra_tags="")
            for finding in error.findings[:10]:
                messages.error(request, f"{finding.field}: {finding.message} {finding.suggestion}")
            return redirect(self.detail_url())
        except FilingError as error:
            messages.error(request, error.message)
            return redirect(self.detail_url())
        messages.success(request, _("Done: %(action)s.") % {"action": self.custom["label"]})
        return redirect(self.detail_url())


class DocumentReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[(ReviewStatus.ACCEPTED, gettext_lazy("Accept")), (ReviewStatus.REJECTED, pgettext_lazy("beian", "Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewStatus.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the document is rejected, so the customer knows what to upload."))
        return data


class DocumentReviewView(View):
    template_name = "wagtail_beian/admin/filings/document_review.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.filing = get_object_or_404(staff_filings(request.user), pk=kwargs["pk"])
        self.document = get_object_or_404(Document, pk=kwargs["document_pk"], filing=self.filing)

    def dispatch(self, request, *args, **kwargs):
        if not perms.has_perm(request.user, perms.VERIFY):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def date_findings(self):
        """D04: the dates of the verification sheet, agreement and photo, as pre-flight sees them."""
        return [f for f in preflight(self.filing) if f.rule == "D04"]

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "filing": self.filing, "document": self.document, "form": form, "date_findings": self.date_findings(),
            "detail_url": reverse("wagtail_beian_filings:inspect", args=[self.filing.pk]),
        }, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(DocumentReviewForm(initial={"decision": self.document.review_status}))

    def post(self, request, *args, **kwargs):
        form = DocumentReviewForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        with transaction.atomic():
            document = Document.objects.select_for_update().get(pk=self.document.pk)
            document.review_status = form.cleaned_data["decision"]
            document.review_reason = form.cleaned_data["reason"].strip()
            document.reviewed_by = request.user
            document.reviewed_at = timezone.now()
            document.save(update_fields=["review_status", "review_reason", "reviewed_by", "reviewed_at"])
            log(self.filing, "wagtail_beian.document_review", user=request.user, data={
                "document": document.pk, "kind": document.kind, "decision": document.review_status,
                "reason": document.review_reason,
            })
        messages.success(request, _("%(document)s: %(decision)s.") % {
            "document": document.get_kind_display(), "decision": document.get_review_status_display(),
        })
        return redirect("wagtail_beian_filings:inspect", self.filing.pk)


@require_GET
def document_preview(request, pk, document_pk):
    """An image scan shown inline on the detail screen (PDFs are downloaded instead)."""
    filing = get_object_or_404(staff_filings(request.user), pk=pk)
    document = get_object_or_404(Document, pk=document_pk, filing=filing)
    if document.content_type not in IMAGE_TYPES or not perms.has_perm(request.user, "wagtail_beian.view_document"):
        raise Http404
    return private_file_response(document.file, content_type=document.content_type, filename=document.original_name, inline=True)
