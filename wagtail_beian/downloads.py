"""The one way a scan leaves private storage: a permission-checked, logged download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from wagtail.log_actions import log

from . import permissions as perms
from .models import Document

SAFE_CONTENT_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def can_download(user, document):
    """The filing's customer, or staff allowed to view documents."""
    return perms.is_owner(user, document.filing) or perms.has_perm(user, "wagtail_beian.view_document")


@require_GET
@login_required
def download_document(request, pk):
    document = get_object_or_404(Document.objects.select_related("filing"), pk=pk)
    if not can_download(request.user, document):
        raise Http404  # do not tell strangers that the document exists
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = document.content_type if document.content_type in SAFE_CONTENT_TYPES else "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name or f"document-{document.pk}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    log(document.filing, "wagtail_beian.document_download", user=request.user,
        data={"document": document.pk, "kind": document.kind})
    return response
