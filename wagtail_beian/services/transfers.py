"""Requesting an access transfer (新增接入 / 取消接入, F07, F08, F10, W02, W05).

:func:`request_transfer` validates a customer's request against the local records and saves it in
state ``requested``; or raises a ValidationError with field errors that say what to do, and saves
nothing. The further steps (verify, submit to bureau, complete, refuse) go through
:func:`wagtail_beian.services.workflow.perform_transition`.

Refusals (each a field error): a missing field; a malformed filing number; the number's province
not the subject's; the domain not in that filing; the website already has access here (or, to
cancel, has none); the new domain filed in another filing (W02); a filing or website held here by
another customer (a neutral message that names nothing of theirs); another transfer of the same
domain still open (also a database constraint, so two simultaneous requests cannot both pass).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions as perms
from ..exceptions import TransitionForbidden, TransitionNotAllowed
from ..models import CertificateType, Website
from ..models.conflicts import domain_conflict_message
from ..models.transfers import OPEN_TRANSFER_STATES, AccessTransfer, TransferDirection
from ..rules.domains import domain_to_unicode
from ..rules.identity import mask_certificate_number
from ..rules.network import normalize_public_ip
from ..rules.numbers import parse_filing_number
from ..rules.provinces import province_by_abbreviation
from ..signals import requested
from .search import ascii_domain, fold_search_term
from .local_filings import local_filing, number_province_matches, subject_province

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
#: The field that names the domain whose access changes (errors about it go there).
#: The request fields that hold a (punycode) domain.
DOMAIN_FIELDS = ("domain", "original_domain", "new_domain")
TARGET_FIELD = {D.INCOMING_NEW_WEBSITE: "new_domain", D.INCOMING_EXISTING_WEBSITE: "domain", D.OUTGOING_CANCEL: "domain"}


def not_yours_message():
    """One neutral refusal for a filing or website held here by another customer: it names nothing of
    theirs and reads the same whichever of their records matched."""
    return _(
        "This filing cannot be used for a request from your account. Check the filing number and the "
        "domain; if the filing is yours but held under another account, claim it first (备案归属)."
    )


def open_transfer_message(domain):
    return _(
        "An access transfer for %(domain)s is already in progress. Wait until it is completed or refused "
        "before requesting another one for this domain."
    ) % {"domain": domain}


def _live_website(domain):
    if not domain:
        return None
    return Website.objects.filter(is_live=True, domain=domain).select_related("filing").first()


def _province_name(abbreviation):
    province = province_by_abbreviation(abbreviation)
    return province.name if province else abbreviation


def request_transfer(owner, direction, data, *, submission_key=None, ticket=None, by=None, encrypted_password=""):
    """Validate and save a transfer request of ``owner`` (the customer); return the AccessTransfer.

    ``data`` holds the fields of the direction and, for an existing website moving here, the
    ``filing_password`` (stored encrypted, never logged) — or ``encrypted_password``, a token already
    encrypted (a ticket's), copied as it is. ``submission_key``: the form's one-time key; posting the
    same form again returns the transfer it created. ``ticket``: the support ticket it comes from.
    ``by``: who requests it (the customer, or staff on the customer's behalf). Staff who verify
    transfers are e-mailed after commit.
    """
    by = by or owner
    if submission_key is not None:
        already = AccessTransfer.objects.filter(owner=owner, submission_key=submission_key).first()
        if already is not None:
            return already  # the same form posted again (double click, reload): nothing new
    if direction not in D.values:
        raise ValidationError({"direction": _("Choose what the request is about: new access or cancel access.")})
    direction = D(direction)
    errors = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    transfer = AccessTransfer(owner=owner, direction=direction, submission_key=submission_key, ticket=ticket)
    for field in FIELDS[direction]:
        value = data.get(field)
        if isinstance(value, str):
            value = value.strip()
        if field == "responsible_certificate_type":
            if isinstance(value, str) and value:
                value = CertificateType.objects.filter(code=value, for_person=True).first()
                if value is None:
                    add(field, _("Choose the responsible person's certificate type from the list."), "invalid")
            transfer.responsible_certificate_type = value or None
            continue
        setattr(transfer, field, value if value not in (None, "") else ("" if field != "ip" else None))
    for field in REQUIRED[direction]:
        if getattr(transfer, field, None) in (None, ""):
            add(field, _("This field is required for this request."), "required")
    password = data.get("filing_password") or ""
    if direction == D.INCOMING_EXISTING_WEBSITE and not (password or encrypted_password):
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
            transfer.filing_number = str(number)  # stored as the bureau writes it: 京ICP备…号, not 京icp备…
        except ValidationError as error:
            errors.setdefault("filing_number", []).extend(error.error_list)

    if number is not None and "filing_number" not in errors:
        _check_against_local_records(transfer, number, add, errors)

    if number is not None and not errors:
        _check_no_open_transfer(transfer, add)

    if errors:
        raise ValidationError(errors)
    if direction == D.INCOMING_EXISTING_WEBSITE:
        if password:
            transfer.set_filing_password(password)
        else:
            transfer.filing_password_encrypted = encrypted_password
    try:
        with transaction.atomic():
            transfer.save()
            log(transfer, "wagtail_beian.accesstransfer.request", user=by,
                data={"transition": "request", "to": transfer.state, "direction": transfer.direction})
            requested.send(sender=AccessTransfer, instance=transfer, user=by)
    except IntegrityError:
        # A simultaneous request won the race: the same form (its key) or the same domain.
        if submission_key is not None:
            already = AccessTransfer.objects.filter(owner=owner, submission_key=submission_key).first()
            if already is not None:
                return already
        raise ValidationError(
            {TARGET_FIELD[direction]: [ValidationError(open_transfer_message(transfer.target_domain), code="open_transfer")]}
        ) from None
    return transfer


def _check_no_open_transfer(transfer, add):
    """F07: one open transfer per domain (the database constraint says the same)."""
    target = transfer.compute_target_domain()
    if target and AccessTransfer.objects.filter(target_domain=target, state__in=OPEN_TRANSFER_STATES).exists():
        add(TARGET_FIELD[transfer.direction], open_transfer_message(target), "open_transfer")


def _check_against_local_records(transfer, number, add, errors):
    """Province of the number vs the subject (when filed here), domain in that filing, access here."""
    direction = transfer.direction
    filed_domain = transfer.original_domain if direction == D.INCOMING_NEW_WEBSITE else transfer.domain
    domain_field = "original_domain" if direction == D.INCOMING_NEW_WEBSITE else "domain"
    filing = local_filing(number)
    if filing is not None and filing.owner_id != transfer.owner_id:
        add("filing_number", not_yours_message(), "not_yours")  # checked first: nothing else is told
        return
    if filing is not None:
        transfer.filing = filing
        province = subject_province(filing)
        if province is not None and not number_province_matches(number, filing):
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
    if website is not None and website.filing.owner_id != transfer.owner_id:
        add(domain_field, not_yours_message(), "not_yours")
        return
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
                % {"domain": domain_to_unicode(transfer.new_domain)},
                "already_has_access",
            )
        elif target is not None and not (filing is not None and target.filing_id in {filing.pk, filing.amends_id}):
            problem, suggestion = domain_conflict_message(target)  # W02: a domain is filed once
            add("new_domain", f"{problem} {suggestion}", "domain_conflict")
        transfer.website = target


# ----------------------------------------------------------------------------- reasons and history


def transfer_reasons(transfer, entries=None):
    """Every reason given on this transfer, oldest first: dicts {field, label, problem, suggestion, action, at}.

    Reasons are kept in the transfer's audit log (who, when, why); the customer sees them all.
    ``entries``: the transfer's log entries, when the caller has them already (no extra query).
    """
    from wagtail.models import ModelLogEntry

    if entries is None:
        entries = ModelLogEntry.objects.for_instance(transfer).order_by("timestamp", "pk")
    else:
        entries = sorted(entries, key=lambda e: (e.timestamp, e.pk))
    labels = field_labels()
    found = []
    for entry in entries:
        for reason in (entry.data or {}).get("reasons") or []:
            found.append({
                "field": reason.get("field", ""), "label": labels.get(reason.get("field", ""), reason.get("field", "")),
                "problem": reason.get("problem", ""), "suggestion": reason.get("suggestion", ""),
                "action": (entry.data or {}).get("transition", ""), "at": entry.timestamp,
            })
    return found


def field_labels():
    """{field name: verbose name} of the request's fields (reason field choices and display)."""
    names = dict.fromkeys(name for fields in FIELDS.values() for name in fields)
    names["filing_password"] = None
    labels = {}
    for name in names:
        if name == "filing_password":
            labels[name] = _("filing password")
            continue
        labels[name] = str(AccessTransfer._meta.get_field(name).verbose_name)
    return labels


def reason_field_choices(transfer):
    """(field, label) a reviewer may name in a reason: the fields of this transfer's direction."""
    labels = field_labels()
    fields = list(FIELDS[D(transfer.direction)])
    if transfer.direction == D.INCOMING_EXISTING_WEBSITE:
        fields.append("filing_password")
    return [(name, labels[name][:1].upper() + labels[name][1:]) for name in fields]


def transfer_search_q(term):
    """Transfers by domain (any spelling, any of its domains), filing number, organizer or customer."""
    from django.db.models import Q

    term = fold_search_term(term or "")
    if not term:
        return Q()
    domain = ascii_domain(term).removeprefix("www.")
    query = (
        Q(target_domain__icontains=domain) | Q(domain__icontains=domain) | Q(original_domain__icontains=domain)
        | Q(new_domain__icontains=domain) | Q(filing_number__icontains="".join(term.split()))
        | Q(organizer_name__icontains=term) | Q(owner__username__icontains=term)
    )
    try:
        number = parse_filing_number(term)
    except ValidationError:
        pass
    else:
        query |= Q(filing_number__startswith=number.subject_number)
    text = term.removeprefix("#")
    if text.isdigit():
        query |= Q(pk=int(text))
    return query


def request_rows(transfer, *, show_personal_data=False):
    """(label, value) of the request's fields as staff and the customer see them.

    The filing password shows only whether it was given (F10); the certificate number is masked
    unless ``show_personal_data`` (PIPL); domains show in Unicode (``例子.中国``), as people read them.
    """
    labels = field_labels()
    rows = []
    for name in FIELDS[D(transfer.direction)]:
        value = getattr(transfer, name)
        if name == "responsible_certificate_number" and value and not show_personal_data:
            value = mask_certificate_number(value)
        elif name in DOMAIN_FIELDS and value:
            value = domain_to_unicode(value)
        rows.append((labels[name], "" if value is None else str(value)))
    if transfer.direction == D.INCOMING_EXISTING_WEBSITE:
        provided = transfer.has_filing_password
        if transfer.state in OPEN_TRANSFER_STATES or provided:
            rows.append((labels["filing_password"], _("Provided") if provided else _("Not provided")))
        else:
            rows.append((labels["filing_password"], _("Deleted when the transfer ended")))
    return rows


# ----------------------------------------------------------------------------- support tickets

#: The support-ticket request types that are access transfers, and their direction.
TICKET_DIRECTIONS = {
    "access_new_website": D.INCOMING_NEW_WEBSITE,
    "access_existing_website": D.INCOMING_EXISTING_WEBSITE,
    "cancel_access": D.OUTGOING_CANCEL,
}
#: Transfer field → ticket field code (``wagtail_beian.tickets.types.FIELDS``), where they differ.
TICKET_FIELD = {
    "new_site_name": "site_name", "ip": "site_ip", "responsible_landline": "responsible_office_phone",
}
#: The ticket field holding the transfer's ``domain``, per request type.
TICKET_DOMAIN_FIELD = {"access_existing_website": "original_domain", "cancel_access": "access_domain"}


def ticket_field_code(request_type, name):
    """The ticket field code of transfer field ``name`` for a ticket of ``request_type``."""
    if name == "domain":
        return TICKET_DOMAIN_FIELD.get(request_type, "domain")
    return TICKET_FIELD.get(name, name)


def transfer_data_from_ticket_values(request_type, values):
    """{transfer field: value} from ticket-coded values (a ticket's fields, or a ticket link's query)."""
    direction = TICKET_DIRECTIONS[request_type]
    data = {}
    for name in FIELDS[direction]:
        value = values.get(ticket_field_code(request_type, name))
        if value not in (None, ""):
            data[name] = value
    return data


def initial_from_ticket(ticket):
    return transfer_data_from_ticket_values(ticket.request_type, ticket.fields or {})


def transfer_from_ticket(ticket, by, data):
    """Request the transfer a support ticket asks for, for the ticket's customer, linked to the ticket.

    ``data``: the transfer fields (staff completed what the ticket lacked). Without a password in
    ``data``, the ticket's encrypted filing password is copied as it is (never decrypted here).
    Validated exactly like the customer's own request; the customer is e-mailed as for any request.
    """
    direction = TICKET_DIRECTIONS.get(ticket.request_type)
    if direction is None:
        raise ValidationError(_("This ticket is not about access (新增接入 / 取消接入)."))
    with transaction.atomic():
        transfer = request_transfer(
            ticket.owner, direction, data, ticket=ticket, by=by,
            encrypted_password=ticket.filing_password_encrypted if not data.get("filing_password") else "",
        )
        if ticket.filing_id is None and transfer.filing_id and transfer.filing.owner_id == ticket.owner_id:
            type(ticket).objects.filter(pk=ticket.pk).update(filing=transfer.filing)
        log(ticket, "wagtail_beian.ticket.start_transfer", user=by, data={"transfer": transfer.pk})
    return transfer


# ----------------------------------------------------------------------------- the filing password (F10)


def reveal_filing_password(transfer, user):
    """The filing password of an open transfer, for a staff member holding ``reveal_filing_password``
    who acts on it (the bureau's system asks for it). Each reveal is written to the transfer's
    history (who, when; never the password). Refused once the transfer is closed: by then the
    password is purged."""
    if not perms.has_perm(user, perms.REVEAL_PASSWORD):
        raise TransitionForbidden(_("You do not have permission to reveal filing passwords."))
    if transfer.state not in OPEN_TRANSFER_STATES or not transfer.has_filing_password:
        raise TransitionNotAllowed(_("This transfer holds no filing password (none was given, or it was purged)."))
    password = transfer.read_filing_password()
    if not password:
        raise TransitionNotAllowed(_("The stored filing password cannot be read (the encryption key changed)."))
    log(transfer, "wagtail_beian.accesstransfer.reveal_password", user=user, data={"state": transfer.state})
    return password
