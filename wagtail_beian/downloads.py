"""The one way a scan or an attachment leaves private storage: a permission-checked, logged download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from wagtail.log_actions import log

from . import permissions as perms
from .models import Document

SAFE_CONTENT_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def private_file_response(field_file, *, content_type, filename, inline=False):
    """A scan or attachment from private storage, with headers that keep browsers from running it.

    Only JPEG, PNG and PDF keep their type; anything else is sent as opaque bytes. ``inline`` is
    for image previews; everything else is an attachment.
    """
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    safe_type = content_type if content_type in SAFE_CONTENT_TYPES else "application/octet-stream"
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=safe_type)
    if inline:
        response["Content-Disposition"] = "inline"
    return _protected(response)


def attachment_response_for(content, *, content_type, filename):
    """A document the app generated (a printout), as a download with the scans' headers."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return _protected(response)


def inline_png_response(content):
    """A preview rendered from a scan (:mod:`wagtail_beian.previews`), with the scans' headers."""
    response = HttpResponse(content, content_type="image/png")
    response["Content-Disposition"] = "inline"
    return _protected(response)


def _protected(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def can_download(user, document):
    """The filing's customer, or staff allowed to view documents."""
    return perms.is_owner(user, document.filing) or perms.has_perm(user, perms.VIEW_DOCUMENT)


@require_GET
@login_required
def download_document(request, pk):
    document = get_object_or_404(Document.objects.select_related("filing"), pk=pk)
    if not can_download(request.user, document):
        raise Http404  # do not tell strangers that the document exists
    response = private_file_response(
        document.file, content_type=document.content_type, filename=document.original_name or f"document-{document.pk}"
    )
    log(document.filing, "wagtail_beian.document_download", user=request.user,
        data={"document": document.pk, "kind": document.kind})
    return response


def attachment_response(attachment, user):
    """The file as a download (never inline: ``nosniff`` and a sandboxing CSP), written to the log."""
    response = private_file_response(
        attachment.file, content_type=attachment.content_type,
        filename=attachment.original_name or f"attachment-{attachment.pk}",
    )
    log(attachment.ticket, "wagtail_beian.ticket.attachment_download", user=user, data={"attachment": attachment.pk})
    return response
