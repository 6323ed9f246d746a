"""The one way a ticket attachment leaves private storage: a checked, logged download."""

from django.http import FileResponse, Http404
from wagtail.log_actions import log

SAFE_CONTENT_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def attachment_response(attachment, user):
    """The file as a download (never inline: ``nosniff`` and a sandboxing CSP), written to the log."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = attachment.content_type if attachment.content_type in SAFE_CONTENT_TYPES else "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name or f"attachment-{attachment.pk}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    log(attachment.ticket, "wagtail_beian.ticket.attachment_download", user=user,
        data={"attachment": attachment.pk})
    return response
