"""Document review and scan previews on a filing (D04): accept or reject each scan, seen in the page
(images as they are, PDF pages rendered as images by :mod:`wagtail_beian.previews`)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.decorators.http import require_GET

from .. import permissions as perms
from .. import previews
from ..downloads import inline_png_response, private_file_response
from ..models import Document, ReviewStatus
from ..services.documents import documents_to_review, review_document
from ..services.preflight import preflight
from .policies import staff_filings

IMAGE_TYPES = {"image/png", "image/jpeg"}
PDF_TYPE = "application/pdf"


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
    """Review the filing's scans one after the other: the scan, its date check, accept or reject
    with a reason; saving opens the next scan not reviewed yet (previous / next move freely)."""

    template_name = "wagtail_beian/admin/filings/document_review.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.filing = get_object_or_404(staff_filings(request.user), pk=kwargs["pk"])
        self.documents = documents_to_review(self.filing)
        self.document = next((d for d in self.documents if d.pk == kwargs["document_pk"]), None)
        if self.document is None:
            raise Http404

    def dispatch(self, request, *args, **kwargs):
        if not perms.has_perm(request.user, perms.VERIFY):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def date_findings(self):
        """D04: the dates of the verification sheet, agreement and photo, as pre-flight sees them."""
        return [f for f in preflight(self.filing) if f.rule == "D04"]

    def url_of(self, document):
        return reverse("wagtail_beian_filings:review_document", args=[self.filing.pk, document.pk]) if document else None

    def render(self, form, status=200):
        index = self.documents.index(self.document)
        return TemplateResponse(self.request, self.template_name, {
            "filing": self.filing, "document": self.document, "form": form, "date_findings": self.date_findings(),
            "pdf_pages": range(1, pdf_pages(self.document) + 1),
            "detail_url": reverse("wagtail_beian_filings:inspect", args=[self.filing.pk]),
            "position": index + 1, "total": len(self.documents),
            "previous_url": self.url_of(self.documents[index - 1] if index > 0 else None),
            "next_url": self.url_of(self.documents[index + 1] if index + 1 < len(self.documents) else None),
            "to_review": sum(d.review_status == ReviewStatus.PENDING for d in self.documents),
            "more_to_review": any(
                d.review_status == ReviewStatus.PENDING and d.pk != self.document.pk for d in self.documents
            ),
        }, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(DocumentReviewForm(initial={"decision": self.document.review_status}))

    def post(self, request, *args, **kwargs):
        form = DocumentReviewForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            document = review_document(self.document, request.user, form.cleaned_data["decision"], form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(request, _("%(document)s: %(decision)s.") % {
            "document": document.get_kind_display(), "decision": document.get_review_status_display(),
        })
        index = self.documents.index(self.document)
        later = self.documents[index + 1:] + self.documents[:index]
        following = next((d for d in later if d.review_status == ReviewStatus.PENDING), None)
        if following is not None:
            return redirect(self.url_of(following))
        return redirect("wagtail_beian_filings:inspect", self.filing.pk)


def pdf_pages(document):
    """How many pages of a PDF scan the preview shows (0: not a PDF, or it cannot be rendered)."""
    if document.content_type != PDF_TYPE:
        return 0
    try:
        with document.file.open("rb") as handle:
            return previews.page_count(handle.read())
    except (OSError, ValueError, previews.PreviewError):
        return 0


@require_GET
def document_preview(request, pk, document_pk):
    """A scan shown inline to the reviewer: an image as it is, a PDF page (``?page=N``, from 1)
    rendered as PNG. Through the same permission checks and headers as a download."""
    filing = get_object_or_404(staff_filings(request.user), pk=pk)
    document = get_object_or_404(Document, pk=document_pk, filing=filing)
    if not perms.has_perm(request.user, perms.VIEW_DOCUMENT):
        raise Http404
    if document.content_type in IMAGE_TYPES:
        return private_file_response(document.file, content_type=document.content_type,
                                     filename=document.original_name, inline=True)
    if document.content_type != PDF_TYPE:
        raise Http404
    try:
        number = int(request.GET.get("page", "1"))
        with document.file.open("rb") as handle:
            return inline_png_response(previews.render_page(handle.read(), number))
    except (OSError, ValueError, previews.PreviewError):
        raise Http404 from None
