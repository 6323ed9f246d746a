"""The access-transfer request form (F07), shared by the portal and staff starting one from a ticket."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.transfers import FIELDS, REQUIRED, ticket_field_code
from ..tickets.types import FIELDS as TICKET_FIELDS


class TransferRequestForm(forms.Form):
    """An access-transfer request of one direction (portal, and staff starting one from a ticket).

    The fields are the support tickets' field definitions (``tickets.types.FIELDS``: labels, help
    and widgets), named after the transfer's fields. The form only collects: what is required and
    every refusal is decided by ``services.transfers.request_transfer``, whose field errors
    :meth:`add_service_errors` puts back at their fields.
    """

    def __init__(self, direction, *args, password_from_ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction = direction
        names = list(FIELDS[direction])
        if direction == "incoming_existing_website":
            names.append("filing_password")
        required = set(REQUIRED[direction]) | {"filing_password"}
        for name in names:
            definition = TICKET_FIELDS[ticket_field_code("", name)]
            field = definition.form_field(required=name in required)
            field.label = str(definition.label)[:1].upper() + str(definition.label)[1:]
            field.widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}_help")
            self.fields[name] = field
        if "filing_password" in self.fields:
            password = self.fields["filing_password"]
            password.help_text = _(
                "The password of the filing in the MIIT system (备案密码). It is stored encrypted, never shown "
                "again, and deleted when the transfer is completed or refused."
            )
            if password_from_ticket is not None and password_from_ticket.has_filing_password:
                password.help_text = _("Leave empty to use the password given in the ticket (never shown).")
                required.discard("filing_password")
        self.required_names = required & set(names)
        self.fields["submission_key"] = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def request_fields(self):
        """(bound field, required) in the request's order (for templates)."""
        return [(self[name], name in self.required_names) for name in self.fields if name != "submission_key"]

    def request_data(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "submission_key"}

    def add_service_errors(self, error):
        """Put ``request_transfer``'s errors at their fields (the rest above the form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"
