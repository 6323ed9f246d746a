"""Service-support request types and their fields, as data (DOMAIN "Service-support tickets", 003).

One place for what each request type asks for. The portal form shows exactly a type's fields,
:func:`validate_ticket_fields` enforces them on the server, the admin displays them with their
labels, and any importer goes through the same function. Values are normalised by the rules in
``wagtail_beian.validators`` (domains, filing numbers, e-mail, mobile, certificate numbers).

The required fields are exactly those of the table in DOMAIN.md. For "new access — existing host,
new website" the seed also asks for the new site's name, IP, pre-approval note and responsible
person: they are the type's optional fields, shown together and checked when given.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..validators import (
    CERTIFICATE_TYPES,
    PERSONAL_TYPES,
    certificate_label,
    mask_certificate_number,
    normalize_certificate,
    normalize_domain,
    normalize_email,
    normalize_landline,
    normalize_mobile,
    normalize_public_ip,
    parse_filing_number,
)
from .formfields import MultipleScanField

MAX_TEXT = 200
MAX_PASSWORD = 128


# ----------------------------------------------------------------------------- normalisers
# Each takes (value, all submitted data) and returns the canonical value or raises ValidationError.


def _within(text, max_length):
    if len(text) > max_length:
        raise ValidationError(
            _("Shorten this to at most %(max)s characters (it has %(length)s)."),
            code="max_length", params={"max": max_length, "length": len(text)},
        )
    return text


def _text(max_length=MAX_TEXT):
    """One line: runs of whitespace become one space."""
    return lambda value, data: _within(" ".join(str(value).split()), max_length)


def _long_text(max_length=2000):
    """Several lines: kept as typed, trimmed at the ends."""
    return lambda value, data: _within(str(value).strip(), max_length)


def _domain(value, data):
    return normalize_domain(value)


def _filing_number(value, data):
    return str(parse_filing_number(value))


def _email(value, data):
    return normalize_email(value)


def _mobile(value, data):
    return normalize_mobile(value)


def _landline(value, data):
    return normalize_landline(value)


def _personal_certificate_type(value, data):
    if value not in PERSONAL_TYPES:
        raise ValidationError(
            _("Choose the responsible person's certificate type from the list."), code="certificate_type"
        )
    return value


def _responsible_certificate_number(value, data):
    certificate_type = data.get("responsible_certificate_type")
    if certificate_type not in PERSONAL_TYPES:
        raise ValidationError(
            _("Choose the certificate type too: the number is checked against it."), code="certificate_type_missing"
        )
    return normalize_certificate(certificate_type, value)


def _public_ip(value, data):
    return normalize_public_ip(value)


def _password(value, data):
    if len(value) > MAX_PASSWORD:
        raise ValidationError(
            _("Shorten this to at most %(max)s characters (it has %(length)s)."),
            code="max_length", params={"max": MAX_PASSWORD, "length": len(value)},
        )
    return value


def _files(value, data):
    return list(value)


# ----------------------------------------------------------------------------- fields


PERSONAL_CERTIFICATE_CHOICES = [(code, label) for code, label in CERTIFICATE_TYPES if code in PERSONAL_TYPES]


@dataclass(frozen=True)
class TicketField:
    """One field a request may ask for: its code, label, form field and validator."""

    code: str
    label: Any
    form_field_class: type = forms.CharField
    clean: Callable[[Any, Mapping], Any] = field(default_factory=_text)
    help_text: Any = ""
    widget: Any = None
    choices: tuple = ()
    #: Write-only (F10): stored encrypted, never shown back, never in logs, exports or e-mails.
    secret: bool = False
    #: Uploaded files (attachments of the ticket), not a value in the ticket's data.
    files: bool = False
    #: Shown masked (personal data, PIPL).
    masked: bool = False

    def form_field(self, *, required):
        """The form field for this ticket field; ``required`` is only shown (the service checks)."""
        kwargs = {"label": self.label, "required": False, "help_text": self.help_text}
        if self.widget is not None:
            kwargs["widget"] = self.widget() if isinstance(self.widget, type) else self.widget
        if self.choices:
            kwargs["choices"] = [("", "---------"), *self.choices]
        form_field = self.form_field_class(**kwargs)
        if required:
            form_field.widget.attrs["aria-required"] = "true"
        if self.secret:
            form_field.widget.attrs["autocomplete"] = "off"
        return form_field

    def display(self, value):
        """The value as staff and customers see it (never the secret)."""
        if self.secret:
            return _("Provided") if value else _("Not provided")
        if self.code == "responsible_certificate_type":
            return certificate_label(value)
        if self.masked:
            return mask_certificate_number(value)
        return value


FIELDS = {
    f.code: f
    for f in (
        TicketField(
            "organizer_name", gettext_lazy("organizer name"), clean=_text(100),
            help_text=gettext_lazy("The company name as on the licence, or the person's name; never a website name."),
        ),
        TicketField(
            "member_email", gettext_lazy("member e-mail"), clean=_email,
            help_text=gettext_lazy("The e-mail address of your account with us, to which the filing should belong."),
        ),
        TicketField(
            "filing_number", gettext_lazy("filing number"), clean=_filing_number,
            help_text=gettext_lazy("e.g. 京ICP备17042306号 or 京ICP备17042306号-4."),
        ),
        TicketField("domain", gettext_lazy("domain"), clean=_domain,
                    help_text=gettext_lazy("The registered domain, e.g. example.com, not www.example.com.")),
        TicketField("original_domain", gettext_lazy("domain already filed"), clean=_domain,
                    help_text=gettext_lazy("A domain of the existing filing, e.g. example.com.")),
        TicketField("new_domain", gettext_lazy("new domain"), clean=_domain,
                    help_text=gettext_lazy("The domain of the website to add, e.g. example.net.")),
        TicketField("cancel_domain", gettext_lazy("domain to cancel"), clean=_domain),
        TicketField("access_domain", gettext_lazy("domain whose access is cancelled"), clean=_domain),
        TicketField(
            "filing_password", gettext_lazy("filing password"), clean=_password, secret=True,
            widget=forms.PasswordInput(render_value=False),
            help_text=gettext_lazy(
                "The password of the filing in the MIIT system (备案密码). It is stored encrypted, never shown "
                "again, and deleted when the ticket is resolved."
            ),
        ),
        TicketField(
            "certificate_scans", gettext_lazy("certificate scans"), form_field_class=MultipleScanField,
            clean=_files, files=True,
            help_text=gettext_lazy("Scans of the organizer's certificates: JPEG, PNG or PDF."),
        ),
        TicketField("site_name", gettext_lazy("name of the new website"), clean=_text(100)),
        TicketField("site_ip", gettext_lazy("IP address the domain points to"), clean=_public_ip),
        TicketField(
            "pre_approval_note", gettext_lazy("pre-approval note"), clean=_long_text(),
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=gettext_lazy(
                "Does the website offer news, publishing, education, medical care, drugs or medical devices? "
                "Name the approval document, or write “none”."
            ),
        ),
        TicketField("responsible_name", gettext_lazy("website responsible person's name"), clean=_text(50)),
        TicketField(
            "responsible_certificate_type", gettext_lazy("responsible person's certificate type"),
            form_field_class=forms.ChoiceField, clean=_personal_certificate_type,
            choices=tuple(PERSONAL_CERTIFICATE_CHOICES),
        ),
        TicketField(
            "responsible_certificate_number", gettext_lazy("responsible person's certificate number"),
            clean=_responsible_certificate_number, masked=True,
        ),
        TicketField("responsible_office_phone", gettext_lazy("responsible person's office phone"), clean=_landline),
        TicketField("responsible_mobile", gettext_lazy("responsible person's mobile"), clean=_mobile),
        TicketField("responsible_email", gettext_lazy("responsible person's e-mail"), clean=_email),
        TicketField(
            "cancellation_reason", gettext_lazy("reason for the cancellation"), clean=_long_text(),
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
    )
}

NEW_WEBSITE_FIELDS = (
    "site_name", "site_ip", "pre_approval_note", "responsible_name", "responsible_certificate_type",
    "responsible_certificate_number", "responsible_office_phone", "responsible_mobile", "responsible_email",
)


# ----------------------------------------------------------------------------- request types


#: Workflows a request type may open instead of a free-form ticket (the portal routes each to its
#: own form: a claim, an access transfer, the cancellation pages). "" is an ordinary ticket.
CLAIM, TRANSFER, CANCELLATION = "claim", "transfer", "cancellation"
WORKFLOWS = (CLAIM, TRANSFER, CANCELLATION)


@dataclass(frozen=True)
class RequestType:
    """One kind of support request: its fields, and the workflow it opens (``workflow``)."""

    code: str
    label: Any
    required: tuple
    optional: tuple = ()
    workflow: str = ""

    @property
    def field_codes(self):
        return self.required + self.optional

    @property
    def fields(self):
        return [FIELDS[code] for code in self.field_codes]

    def is_required(self, code):
        return code in self.required

    def __str__(self):
        return str(self.label)


REQUEST_TYPES = (
    RequestType("new_filing_documents", gettext_lazy("New filing — documents"), ("organizer_name", "domain")),
    RequestType("new_filing_conflict", gettext_lazy("New filing — conflict"), ("organizer_name", "domain")),
    RequestType(
        "change_filing_documents", gettext_lazy("Change filing — documents"),
        ("organizer_name", "filing_number", "domain"),
    ),
    RequestType(
        "change_filing_conflict", gettext_lazy("Change filing — conflict"),
        ("organizer_name", "filing_number", "domain"),
    ),
    RequestType(
        "access_new_website", gettext_lazy("New access — existing host, new website"),
        ("organizer_name", "filing_number", "original_domain", "new_domain"),
        ("filing_password", *NEW_WEBSITE_FIELDS),
        workflow=TRANSFER,
    ),
    RequestType(
        "access_existing_website", gettext_lazy("New access — existing website requests access"),
        ("organizer_name", "filing_number", "original_domain", "filing_password"),
        ("site_ip",),
        workflow=TRANSFER,
    ),
    RequestType(
        "cancel_subject", gettext_lazy("Cancel filing — subject"),
        ("organizer_name", "filing_number", "domain"),
        ("filing_password", "cancellation_reason"),
        workflow=CANCELLATION,
    ),
    RequestType(
        "cancel_website", gettext_lazy("Cancel filing — website"),
        ("organizer_name", "filing_number", "cancel_domain"),
        ("cancellation_reason",),
        workflow=CANCELLATION,
    ),
    RequestType(
        "cancel_access", gettext_lazy("Cancel access"),
        ("organizer_name", "filing_number", "access_domain"),
        workflow=TRANSFER,
    ),
    RequestType(
        "claim_filing", gettext_lazy("Claim a filing"),
        ("member_email", "organizer_name", "filing_number", "domain", "certificate_scans"),
        workflow=CLAIM,
    ),
)
TYPES_BY_CODE = {t.code: t for t in REQUEST_TYPES}


def request_type_choices():
    """(code, label) of every request type. The model names this function as its choices, so a new
    ordinary request type needs no migration (Django stores the reference, not the list)."""
    return [(t.code, t.label) for t in REQUEST_TYPES]

#: The fields holding a domain, and the ones holding a filing number (search looks in these).
DOMAIN_FIELDS = tuple(code for code, f in FIELDS.items() if f.clean is _domain)
FILING_NUMBER_FIELDS = ("filing_number",)
SECRET_FIELDS = tuple(code for code, f in FIELDS.items() if f.secret)
FILE_FIELDS = tuple(code for code, f in FIELDS.items() if f.files)


def get_request_type(code):
    try:
        return TYPES_BY_CODE[code]
    except KeyError:
        raise ValidationError(
            _("Choose the kind of request from the list."), code="request_type"
        ) from None


def _is_empty(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set)):
        return not value
    return False


def missing_message(ticket_field, request_type):
    params = {"field": ticket_field.label, "type": request_type.label}
    if ticket_field.files:
        return _("Upload the %(field)s: a “%(type)s” request needs them.") % params
    return _("Enter the %(field)s: a “%(type)s” request needs it.") % params


def validate_ticket_fields(type_code, data):
    """The cleaned fields of a ``type_code`` request, or ValidationError naming each bad field.

    ``data`` maps field codes to submitted values (files: a list of cleaned uploads). Every
    required field must be present; every given field is normalised by its rule. Fields the type
    does not ask for are dropped. Errors are keyed by field code, and each message names its field.
    """
    request_type = get_request_type(type_code)
    errors, cleaned = {}, {}
    for code in request_type.field_codes:
        ticket_field = FIELDS[code]
        value = data.get(code)
        if _is_empty(value):
            if request_type.is_required(code):
                errors[code] = [ValidationError(missing_message(ticket_field, request_type), code="required")]
            continue
        try:
            cleaned[code] = ticket_field.clean(value, data)
        except ValidationError as error:
            label = str(ticket_field.label)
            errors[code] = [
                ValidationError(_("%(field)s: %(problem)s") % {"field": label[:1].upper() + label[1:], "problem": m},
                                code=getattr(error, "code", None) or "invalid")
                for m in error.messages
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned
