"""Service-support tickets (服务支持): a request of a given type, its conversation and attachments.

The request types and their fields are data in ``wagtail_beian.tickets.types``; the ticket stores
the validated fields as JSON. The filing password (F10) never goes into that JSON: it is stored
encrypted in its own column, never read back by any view, and purged when the ticket is resolved.
Every state change goes through ``services.workflow.perform_transition`` (lock, permission, log).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .. import permissions as perms
from ..storage import private_storage, random_scan_name
from ..tickets.types import FIELDS, TYPES_BY_CODE, request_type_choices
from .cleaning import FSMCleanMixin
from .filings import Filing
from .secrets import FilingPasswordMixin

HANDLE_TICKET = perms.HANDLE_TICKET
DEFAULT_REOPEN_DAYS = 7


def reopen_days():
    """How many days after resolution the customer may reopen (``WAGTAIL_BEIAN_TICKET_REOPEN_DAYS``)."""
    return int(getattr(settings, "WAGTAIL_BEIAN_TICKET_REOPEN_DAYS", DEFAULT_REOPEN_DAYS))


class TicketState(models.TextChoices):
    OPEN = "open", pgettext_lazy("beian", "Open")
    WAITING_STAFF = "waiting_staff", _("Waiting for staff")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting for the customer")
    RESOLVED = "resolved", pgettext_lazy("beian", "Resolved")
    CLOSED = "closed", pgettext_lazy("beian", "Closed")


T = TicketState
ACTIVE_TICKET_STATES = [T.OPEN, T.WAITING_STAFF, T.WAITING_CUSTOMER]
#: States in which staff owe the next step (the queue's "waiting for staff" filter).
STAFF_TURN_STATES = [T.OPEN, T.WAITING_STAFF]


def _is_owner(ticket, user):
    return perms.is_owner(user, ticket)


def _handles_tickets(ticket, user):
    return perms.has_perm(user, HANDLE_TICKET)


def _owner_or_staff(ticket, user):
    return _is_owner(ticket, user) or _handles_tickets(ticket, user)


def _within_reopen_period(ticket):
    return ticket.can_reopen_until is not None and timezone.now() <= ticket.can_reopen_until


class TicketQuerySet(models.QuerySet):
    def for_owner(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Ticket(FSMCleanMixin, ConcurrentTransitionMixin, FilingPasswordMixin):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.PROTECT,
        related_name="beian_tickets",
    )
    request_type = models.CharField(_("request type"), max_length=40, choices=request_type_choices)
    fields = models.JSONField(_("request data"), default=dict, blank=True)
    filing = models.ForeignKey(
        Filing, verbose_name=_("filing"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="tickets",
    )
    state = FSMField(_("state"), max_length=20, choices=TicketState.choices, default=T.OPEN, protected=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_beian_tickets",
    )
    #: Fernet token of the filing password (F10); write-only, purged on resolution.
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    #: The form's one-time key: the same form posted twice opens one ticket, not two.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        ordering = ["-updated_at", "-pk"]
        permissions = perms.TICKET_PERMISSIONS
        indexes = [models.Index(fields=["state", "updated_at"], name="beian_ticket_state_updated")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "submission_key"], name="beian_ticket_submitted_once"),
        ]

    def __str__(self):
        # Never the password, never personal data: the number and the type.
        return _("Ticket #%(number)s: %(type)s") % {"number": self.pk or "—", "type": self.request_type_label}

    # ----------------------------------------------------------------- data
    @property
    def request_type_obj(self):
        return TYPES_BY_CODE.get(self.request_type)

    @property
    def request_type_label(self):
        request_type = self.request_type_obj
        return request_type.label if request_type else self.request_type

    def field_rows(self):
        """(code, label, display value, required) for each field of the type, in the type's order.

        The filing password shows only whether it was provided; scans are the attachments.
        """
        request_type = self.request_type_obj
        if request_type is None:
            return []
        rows = []
        for ticket_field in request_type.fields:
            if ticket_field.files:
                continue
            if ticket_field.secret:
                value = ticket_field.display(self.has_filing_password)
            else:
                raw = self.fields.get(ticket_field.code, "")
                value = ticket_field.display(raw) if raw else ""
            rows.append((ticket_field.code, ticket_field.label, value, request_type.is_required(ticket_field.code)))
        return rows

    def clean(self):
        errors = {}
        if self.request_type not in TYPES_BY_CODE:
            errors["request_type"] = _("Choose the kind of request from the list.")
        secret = [code for code in self.fields if code in FIELDS and FIELDS[code].secret]
        if secret:  # the password has its own, encrypted column
            errors["fields"] = _("The filing password is never stored with the request data.")
        if self.filing_id and self.owner_id and self.filing.owner_id != self.owner_id:
            errors["filing"] = _("This filing belongs to another customer.")
        if errors:
            raise ValidationError(errors)

    # ----------------------------------------------------------------- reopening
    @property
    def can_reopen_until(self):
        if self.state != T.RESOLVED or self.resolved_at is None:
            return None
        return self.resolved_at + timedelta(days=reopen_days())

    def can_reopen_now(self, now=None):
        until = self.can_reopen_until
        return until is not None and (now or timezone.now()) <= until

    # ----------------------------------------------------------------- transitions
    # ``custom``: the label (buttons, history) and whether the customer sees the step.

    @transition(
        field=state, source=[T.OPEN, T.WAITING_STAFF, T.WAITING_CUSTOMER], target=T.WAITING_STAFF,
        permission=_is_owner,
        custom={"label": _("Customer reply"), "customer_visible": True},
    )
    def customer_reply(self, by=None):
        pass

    @transition(
        field=state, source=[T.OPEN, T.WAITING_STAFF, T.WAITING_CUSTOMER], target=T.WAITING_CUSTOMER,
        permission=_handles_tickets,
        custom={"label": _("Staff reply"), "customer_visible": True},
    )
    def staff_reply(self, by=None):
        pass

    @transition(
        field=state, source=[T.OPEN, T.WAITING_STAFF, T.WAITING_CUSTOMER], target=T.RESOLVED,
        permission=_handles_tickets,
        custom={"label": _("Resolve"), "customer_visible": True},
    )
    def resolve(self, by=None):
        # F10: the filing password is not kept once the request is dealt with.
        self.purge_filing_password()
        self.resolved_at = timezone.now()

    @transition(
        field=state, source=T.RESOLVED, target=T.CLOSED,
        permission=_owner_or_staff,
        custom={"label": _("Close"), "customer_visible": True},
    )
    def close(self, by=None):
        self.purge_filing_password()
        self.closed_at = timezone.now()

    @transition(
        field=state, source=T.RESOLVED, target=T.WAITING_STAFF,
        conditions=[_within_reopen_period],
        permission=_owner_or_staff,
        custom={"label": _("Reopen"), "customer_visible": True},
    )
    def reopen(self, by=None):
        self.resolved_at = None


class TicketMessage(models.Model):
    """One message of the conversation: from the customer or from staff."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), blank=True)
    is_staff = models.BooleanField(_("from staff"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return _("Message #%(number)s of ticket #%(ticket)s") % {"number": self.pk, "ticket": self.ticket_id}


class TicketAttachment(models.Model):
    """A file of a ticket (certificate scans of a claim, or attached to a message), in private storage."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        TicketMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    field = models.CharField(
        _("request field"), max_length=40, blank=True,
        help_text=_("The request field this file answers (e.g. certificate scans), if any."),
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=random_scan_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(pgettext_lazy("beian", "content type"), max_length=50, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket attachment")
        verbose_name_plural = _("ticket attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name or _("Attachment #%(number)s") % {"number": self.pk}
