"""Requesting an access transfer (新增接入 / 取消接入, F07, F08, F10, W02).

:func:`request_transfer` validates a customer's request against the local records and saves it in
state ``requested``; or raises a ValidationError with field errors that say what to do, and saves
nothing. The further steps (verify, submit to bureau, complete, refuse) go through
:func:`wagtail_beian.services.workflow.perform_transition`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import Filing, Website
from ..models.filings import TERMINAL_STATES, FilingKind
from ..models.transfers import AccessTransfer, TransferDirection
from ..rules.network import normalize_public_ip
from ..rules.numbers import parse_filing_number
from ..rules.provinces import province_by_abbreviation
from .conflicts import domain_conflict_message

D = TransferDirection

#: Fields the customer may give, per direction (anything else is ignored).
FIELDS = {
    D.INCOMING_NEW_WEBSITE: [
        "filing_number", "organizer_name", "original_domain", "new_domain", "new_site_name", "ip",
        "pre_approval_note", "responsible_name", "responsible_certificate_type", "responsible_certificate_number",
        "responsible_landline", "responsible_mobile", "responsible_email",
    ],
    D.INCOMING_EXISTING_WEBSITE: ["filing_number", "organizer_name", "domain", "ip"],
    D.OUTGOING_CANCEL: ["filing_number", "organizer_name", "domain"],
}
REQUIRED = {
    D.INCOMING_NEW_WEBSITE: [
        "filing_number", "organizer_name", "original_domain", "new_domain", "new_site_name", "ip",
        "responsible_name", "responsible_certificate_type", "responsible_certificate_number", "responsible_mobile",
        "responsible_email",
    ],
    D.INCOMING_EXISTING_WEBSITE: ["filing_number", "organizer_name", "domain", "ip"],
    D.OUTGOING_CANCEL: ["filing_number", "organizer_name", "domain"],
}


def _local_filing(number):
    """The live filing here with this subject number's digits (any province character), if any."""
    return (
        Filing.objects.filter(kind=FilingKind.NEW, subject_number__endswith=f"ICP备{number.digits}号")
        .exclude(state__in=TERMINAL_STATES)
        .select_related("subject__province")
        .first()
    )


def _live_website(domain):
    if not domain:
        return None
    return Website.objects.filter(is_live=True, domain=domain).select_related("filing").first()


def _province_name(abbreviation):
    province = province_by_abbreviation(abbreviation)
    return province.name if province else abbreviation


def request_transfer(owner, direction, data):
    """Validate and save a transfer request of ``owner`` (the customer); return the AccessTransfer.

    ``data`` holds the fields of the direction and, for an existing website moving here, the
    ``filing_password`` (stored encrypted, never logged).
    """
    if direction not in D.values:
        raise ValidationError({"direction": _("Choose what the request is about: new access or cancel access.")})
    direction = D(direction)
    errors = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    transfer = AccessTransfer(owner=owner, direction=direction)
    for field in FIELDS[direction]:
        value = data.get(field)
        if isinstance(value, str):
            value = value.strip()
        if field == "responsible_certificate_type":
            transfer.responsible_certificate_type = value or None
            continue
        setattr(transfer, field, value if value not in (None, "") else ("" if field != "ip" else None))
    for field in REQUIRED[direction]:
        if getattr(transfer, field, None) in (None, ""):
            add(field, _("This field is required for this request."), "required")
    password = data.get("filing_password") or ""
    if direction == D.INCOMING_EXISTING_WEBSITE and not password:
        add("filing_password", _("Enter the filing password: the bureau needs it to move the website's access."), "required")

    if transfer.ip:
        try:
            transfer.ip = normalize_public_ip(transfer.ip)
        except ValidationError as error:
            errors.setdefault("ip", []).extend(error.error_list)
    try:
        transfer.clean()  # canonical domains, certificate number and contacts
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(ValidationError(m) for m in messages)

    number = None
    if transfer.filing_number:
        try:
            number = parse_filing_number(transfer.filing_number)
        except ValidationError as error:
            errors.setdefault("filing_number", []).extend(error.error_list)

    if number is not None and "filing_number" not in errors:
        _check_against_local_records(transfer, number, add, errors)

    if errors:
        raise ValidationError(errors)
    transfer.set_filing_password(password if direction == D.INCOMING_EXISTING_WEBSITE else "")
    with transaction.atomic():
        transfer.save()
        log(transfer, "wagtail_beian.accesstransfer.request", user=owner,
            data={"transition": "request", "to": transfer.state, "direction": transfer.direction})
    return transfer


def _check_against_local_records(transfer, number, add, errors):
    """Province of the number vs the subject (when filed here), domain in that filing, access here."""
    direction = transfer.direction
    filed_domain = transfer.original_domain if direction == D.INCOMING_NEW_WEBSITE else transfer.domain
    domain_field = "original_domain" if direction == D.INCOMING_NEW_WEBSITE else "domain"
    filing = _local_filing(number)
    if filing is not None:
        transfer.filing = filing
        province = getattr(getattr(filing, "subject", None), "province", None)
        if province is not None and number.province not in province.all_abbreviations:
            add(
                "filing_number",
                _(
                    "The filing number starts with %(number_char)s (%(number_province)s), but the subject "
                    "of this filing is in %(subject_province)s. Check the first character of the number: "
                    "it must be %(expected)s."
                )
                % {
                    "number_char": number.province, "number_province": _province_name(number.province),
                    "subject_province": province.name, "expected": province.abbreviation,
                },
                "province_mismatch",
            )
            return
    website = _live_website(filed_domain) if domain_field not in errors else None
    if filed_domain and domain_field not in errors:
        in_filing = website is not None and (filing is None or website.filing_id in {filing.pk, filing.amends_id})
        if filing is not None and not in_filing:
            add(
                domain_field,
                _(
                    "The domain %(domain)s is not a website of the filing %(number)s. Enter a domain "
                    "filed under that number, or the number under which the domain is filed."
                )
                % {"domain": filed_domain, "number": number.subject_number},
                "domain_not_in_filing",
            )
            return
        if filing is None and website is not None and website.filing.subject_number:
            add(
                domain_field,
                _(
                    "The domain %(domain)s is filed here under %(filed)s, not under %(number)s. Enter the "
                    "number under which the domain is filed."
                )
                % {"domain": filed_domain, "filed": website.filing.subject_number, "number": number.subject_number},
                "domain_not_in_filing",
            )
            return

    if direction == D.INCOMING_EXISTING_WEBSITE:
        if website is not None and website.access_records.exists():
            add(
                "domain",
                _(
                    "The website %(domain)s already has access here: there is nothing to move. Check the "
                    "domain, or request new access only for a website served by another provider."
                )
                % {"domain": filed_domain},
                "already_has_access",
            )
        transfer.website = website
    elif direction == D.OUTGOING_CANCEL:
        if website is None or not website.access_records.exists():
            add(
                "domain",
                _("The website %(domain)s has no access here, so there is no access to cancel. Check the domain.")
                % {"domain": filed_domain},
                "no_access_here",
            )
        transfer.website = website
    elif transfer.new_domain and "new_domain" not in errors:
        target = _live_website(transfer.new_domain)
        if target is not None and target.access_records.exists():
            add(
                "new_domain",
                _(
                    "The website %(domain)s already has access here: there is nothing to add. Check the "
                    "new domain."
                )
                % {"domain": transfer.new_domain},
                "already_has_access",
            )
        elif target is not None and not (filing is not None and target.filing_id in {filing.pk, filing.amends_id}):
            problem, suggestion = domain_conflict_message(target)  # W02: a domain is filed once
            add("new_domain", f"{problem} {suggestion}", "domain_conflict")
        transfer.website = target
