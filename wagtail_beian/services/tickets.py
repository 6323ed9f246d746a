"""What the portal, the admin and any importer call to open, answer and move tickets.

Every state change goes through :func:`wagtail_beian.services.workflow.perform_transition` (row
lock, permission, Wagtail audit log). The filing password is encrypted before it reaches the model
and never appears in log data or e-mails; :func:`open_ticket` is the only place that accepts it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions as perms
from ..exceptions import TransitionNotAllowed
from ..models import Filing, Ticket, TicketAttachment, TicketMessage, TicketState, WebsiteStatus
from ..models.tickets import HANDLE_TICKET, reopen_days
from ..signals import requested, ticket_replied
from ..tickets.types import FILE_FIELDS, SECRET_FIELDS, validate_ticket_fields
from .workflow import perform_transition

__all__ = [
    "add_reply", "assign_ticket", "close_ticket", "link_filing", "open_ticket", "reopen_ticket",
    "resolve_ticket", "validate_ticket_fields",
]


def handles_tickets(user):
    return perms.has_perm(user, HANDLE_TICKET)


# ----------------------------------------------------------------------------- opening


#: The request fields a chosen filing answers by itself (the customer need not type them again).
DOMAIN_FIELDS = ("domain", "original_domain", "cancel_domain", "access_domain")


def filing_values(filing):
    """{field code: value} a ticket about ``filing`` can take from it: the organizer name, the
    subject's filing number (a change's: that of the filing it changes) and, when it has one active
    website, that website's domain."""
    subject = getattr(filing, "subject", None)
    number = filing.subject_number or (filing.amends.subject_number if filing.amends_id else "")  # a change: its filing's
    values = {"organizer_name": subject.name if subject is not None else "", "filing_number": number}
    websites = [w for w in filing.websites.all() if w.status == WebsiteStatus.ACTIVE]
    if len(websites) == 1:
        values.update(dict.fromkeys(DOMAIN_FIELDS, websites[0].domain))
    return {code: value for code, value in values.items() if value}


def _check_filing(filing, owner, by):
    """Customers may link only their own filings; staff any filing, but only the customer's."""
    if filing is None:
        return None
    if not isinstance(filing, Filing):
        filing = Filing.objects.filter(pk=filing).first()
        if filing is None:
            raise ValidationError({"filing": _("There is no such filing.")})
    if filing.owner_id != owner.pk:
        raise ValidationError({"filing": _("This filing belongs to another customer.")})
    if by is not None and by.pk != owner.pk and not handles_tickets(by):
        raise ValidationError({"filing": _("This filing belongs to another customer.")})
    return filing


def _store_attachments(ticket, uploads, user, *, message=None, field=""):
    stored = []
    for upload in uploads:
        attachment = TicketAttachment(
            ticket=ticket, message=message, field=field, original_name=upload.original_name[:255],
            content_type=upload.content_type, size=upload.size, sha256=upload.sha256, uploaded_by=user,
        )
        extension = (upload.extension or "").lstrip(".")
        attachment.file.save(f"scan.{extension}", upload.as_content_file(), save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def open_ticket(owner, request_type, data, *, message="", filing=None, attachments=(), by=None, submission_key=None):
    """Validate and create a ticket for ``owner``; nothing is saved when anything is wrong.

    ``data`` maps field codes to values (file fields: lists of ``CleanUpload``); ``attachments``
    are more ``CleanUpload`` for the first message. ``by`` is who opens it (the customer, or staff
    on the customer's behalf). Sends ``signals.requested`` (staff are e-mailed).
    """
    by = by or owner
    if submission_key is not None:
        already = Ticket.objects.filter(owner=owner, submission_key=submission_key).first()
        if already is not None:
            return already  # the same form posted again (double click, reload): nothing new
    cleaned = validate_ticket_fields(request_type, data)
    filing = _check_filing(filing, owner, by)
    secrets_ = {code: cleaned.pop(code) for code in SECRET_FIELDS if code in cleaned}
    files = {code: cleaned.pop(code) for code in FILE_FIELDS if code in cleaned}
    with transaction.atomic():
        ticket = Ticket(
            owner=owner, request_type=request_type, fields=cleaned, filing=filing, submission_key=submission_key
        )
        ticket.set_filing_password(secrets_.get("filing_password", ""))
        ticket.full_clean()
        ticket.save()
        first = None
        if (message or "").strip() or attachments:
            first = TicketMessage.objects.create(
                ticket=ticket, author=by, body=(message or "").strip(), is_staff=by.pk != owner.pk,
            )
            _store_attachments(ticket, attachments, by, message=first)
        for code, uploads in files.items():
            _store_attachments(ticket, uploads, by, field=code)
        log(ticket, "wagtail_beian.ticket.open", user=by, data={
            "request_type": request_type, "filing": filing.pk if filing else None,
        })
        requested.send(sender=Ticket, instance=ticket, user=by)
    return ticket


# ----------------------------------------------------------------------------- conversation


def add_reply(ticket, user, body, attachments=(), *, expected_state=None):
    """A reply by the customer (→ waiting for staff) or by staff (→ waiting for the customer).

    Sends ``signals.ticket_replied`` (a staff reply is e-mailed to the customer). Raises the workflow's errors when the
    ticket is resolved or closed, or the user may not reply.
    """
    body = (body or "").strip()
    if not body and not attachments:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    as_staff = ticket.owner_id != user.pk
    name = "staff_reply" if as_staff else "customer_reply"
    with transaction.atomic():
        ticket = perform_transition(ticket, name, user, expected_state=expected_state)
        message = TicketMessage.objects.create(ticket=ticket, author=user, body=body, is_staff=as_staff)
        _store_attachments(ticket, attachments, user, message=message)
        ticket_replied.send(sender=Ticket, instance=ticket, message=message, user=user)
    return message


def resolve_ticket(ticket, user, *, expected_state=None):
    """Resolved: the filing password is purged (F10); the customer may reopen for a while."""
    return perform_transition(ticket, "resolve", user, expected_state=expected_state)


def close_ticket(ticket, user, *, expected_state=None):
    return perform_transition(ticket, "close", user, expected_state=expected_state)


def reopen_ticket(ticket, user, *, expected_state=None, now=None):
    """Reopen a resolved ticket within ``WAGTAIL_BEIAN_TICKET_REOPEN_DAYS`` of its resolution."""
    if ticket.state == TicketState.RESOLVED and not ticket.can_reopen_now(now):
        raise TransitionNotAllowed(
            _("This ticket can no longer be reopened: the %(days)s days after its resolution have passed. "
              "Open a new ticket instead.") % {"days": reopen_days()}
        )
    return perform_transition(ticket, "reopen", user, expected_state=expected_state)


# ----------------------------------------------------------------------------- staff actions


def assign_ticket(ticket, user, assignee):
    """Assign to a colleague who handles tickets (or nobody); logged."""
    if not handles_tickets(user):
        raise ValidationError(_("You do not have permission to handle support tickets."))
    if assignee is not None and not handles_tickets(assignee):
        raise ValidationError({"assigned_to": _("%(name)s cannot handle support tickets.") % {"name": assignee.get_username()}})
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to", "updated_at"])
        log(locked, "wagtail_beian.ticket.assign", user=user, data={
            "assigned_to": assignee.pk if assignee else None,
            "assigned_to_name": assignee.get_username() if assignee else "",
        })
    return locked


def link_filing(ticket, user, filing):
    """Link the ticket to one of its customer's filings (or unlink with ``None``); logged."""
    if not (handles_tickets(user) or ticket.owner_id == user.pk):
        raise ValidationError(_("You do not have permission to handle support tickets."))
    filing = _check_filing(filing, ticket.owner, user)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        locked.filing = filing
        locked.save(update_fields=["filing", "updated_at"])
        log(locked, "wagtail_beian.ticket.link_filing", user=user, data={"filing": filing.pk if filing else None})
    return locked
