"""The one way a ticket attachment leaves private storage: a checked, logged download."""

from wagtail.log_actions import log

from ..downloads import private_file_response


def attachment_response(attachment, user):
    """The file as a download (never inline: ``nosniff`` and a sandboxing CSP), written to the log."""
    response = private_file_response(
        attachment.file, content_type=attachment.content_type,
        filename=attachment.original_name or f"attachment-{attachment.pk}",
    )
    log(attachment.ticket, "wagtail_beian.ticket.attachment_download", user=user, data={"attachment": attachment.pk})
    return response
