"""Ticket forms: the fields of one request type (from the types data), replies, staff actions.

The forms only collect values. What is required, and how each value is normalised, is decided by
:func:`wagtail_beian.tickets.types.validate_ticket_fields`, whose errors are put back on the fields.
Every field is described by its help text and errors (``aria-describedby``).
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions as perms
from ..models import Filing
from ..models.tickets import HANDLE_TICKET
from ..services.tickets import add_reply, filing_values
from ..tickets.formfields import MultipleScanField
from ..tickets.types import get_request_type, request_type_choices, validate_ticket_fields


class DescribedFieldsMixin:
    """Each input points at its help text and errors: ``aria-describedby="id_<name>_help"``."""

    def describe_fields(self):
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}_help")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class RequestTypeForm(DescribedFieldsMixin, forms.Form):
    type = forms.ChoiceField(
        label=gettext_lazy("What do you need help with?"), widget=forms.RadioSelect,
        choices=request_type_choices,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()


class TicketForm(DescribedFieldsMixin, forms.Form):
    """The fields of ``request_type`` exactly, plus an optional filing, message and attachments."""

    def __init__(self, request_type, owner, data=None, *args, **kwargs):
        self.request_type = get_request_type(request_type)
        self.owner = owner
        filing = self._chosen_filing(data.get("filing") if data is not None else (kwargs.get("initial") or {}).get("filing"))
        if filing is not None:  # what the chosen filing says fills what the customer left empty
            known = {c: v for c, v in filing_values(filing).items() if c in self.request_type.field_codes}
            if data is not None:
                data = data.copy()
                for code, value in known.items():
                    if not (data.get(code) or "").strip():
                        data[code] = value
            else:
                kwargs["initial"] = {**known, **{k: v for k, v in kwargs["initial"].items() if v}}
        super().__init__(data, *args, **kwargs)
        for ticket_field in self.request_type.fields:
            self.fields[ticket_field.code] = ticket_field.form_field(
                required=self.request_type.is_required(ticket_field.code)
            )
        self.fields["filing"] = forms.ModelChoiceField(
            label=gettext_lazy("Filing concerned"), required=False,
            queryset=Filing.objects.filter(owner=owner).select_related("subject").order_by("-created_at"),
            help_text=gettext_lazy(
                "Optional: one of your filings this request is about. The organizer name, filing number and "
                "domain left empty below are taken from it."
            ),
        )
        self.fields["message"] = forms.CharField(
            label=gettext_lazy("Message"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
            help_text=gettext_lazy("Anything else we should know. Do not write your filing password here."),
        )
        self.fields["submission_key"] = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
        self.fields["attachments"] = MultipleScanField(
            label=gettext_lazy("Attachments"), required=False,
            help_text=gettext_lazy("Optional: JPEG, PNG or PDF files."),
        )
        self.describe_fields()

    def _chosen_filing(self, pk):
        if not str(pk or "").isdigit():
            return None
        return (Filing.objects.filter(owner=self.owner, pk=pk).select_related("subject", "amends")
                .prefetch_related("websites").first())

    def request_fields(self):
        """(bound field, required) of the request type's fields, in the type's order (for templates)."""
        return [(self[code], self.request_type.is_required(code)) for code in self.request_type.field_codes]

    def other_fields(self):
        return [self[name] for name in ("message", "attachments")]

    def clean(self):
        data = super().clean()
        #: The submitted request values, for ``services.open_ticket`` (which validates them again).
        self.values = {code: data.get(code) for code in self.request_type.field_codes if code not in self.errors}
        try:
            validate_ticket_fields(self.request_type.code, self.values)
        except ValidationError as error:
            for code, errors in error.error_dict.items():
                if code not in self.errors:
                    self.add_error(code, errors)
            missing = [
                str(f.label) for f in self.request_type.fields
                if f.code in self.errors and any(e.code == "required" for e in self.errors.as_data()[f.code])
            ]
            if missing:
                self.add_error(None, _("Still missing: %(fields)s.") % {"fields": "、".join(missing)})
        return data


class ReplyForm(DescribedFieldsMixin, forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleScanField(
        label=gettext_lazy("Attachments"), required=False, help_text=gettext_lazy("Optional: JPEG, PNG or PDF files."),
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("attachments") and "attachments" not in self.errors:
            self.add_error("body", _("Write a message or attach a file."))
        return data

    def send(self, ticket, user):
        """Post the valid reply (admin and portal alike). Returns the message, or None when the
        service refused it (the reason is then on ``body``). A stale state raises FilingError."""
        try:
            return add_reply(
                ticket, user, self.cleaned_data["body"], self.cleaned_data.get("attachments") or [],
                expected_state=self.cleaned_data.get("expected_state") or None,
            )
        except ValidationError as error:
            self.add_error("body", error.messages)
            return None


class StateForm(forms.Form):
    """Resolve, close, reopen: the state the user saw, so a colleague's change is not overwritten."""

    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)


def ticket_handlers():
    """Active staff who may handle tickets (the permission through a group or directly, or superusers)."""
    return perms.staff_with_permission(HANDLE_TICKET)
