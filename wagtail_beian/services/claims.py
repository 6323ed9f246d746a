"""Claiming an existing filing (备案归属, F09): request, approve, refuse, withdraw, start from a ticket.

:func:`request_claim` validates what the member typed against the local records and saves the
claim (state ``requested``) with its certificate scans; or raises a ValidationError with field
errors that say what to do, and saves nothing. The refusals never show the member any data of the
filing beyond what they typed (not the real organizer name, not its domains, not its owner): they
only say which of their entries does not match.

The decisions go through :func:`wagtail_beian.services.workflow.perform_transition` (lock, check,
audit log). Approval moves the filing and its changes to the claimant in the same transaction
(the filing row locked) and writes the move to the filing's history too.
"""

import dataclasses
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions as perms
from ..models import FilingState, Website, WebsiteStatus
from ..models.claims import VERIFY_CLAIM, ClaimState, FilingClaim, FilingClaimScan
from ..models.tickets import ACTIVE_TICKET_STATES
from ..rules.contacts import normalize_email
from ..rules.domains import domain_to_unicode, normalize_domain
from ..rules.numbers import parse_filing_number
from ..signals import requested
from ..uploads import validate_upload
from .tickets import add_reply
from .local_filings import local_filing, number_province_matches
from .workflow import clean_reasons, perform_transition

FIELDS = ("member_email", "organizer_name", "filing_number", "domain")
MAX_SCANS = 10
CLAIM_TICKET_TYPE = "claim_filing"
SCAN_FIELD = "certificate_scans"


def comparable_name(name):
    """Organizer names compared as people write them: NFKC (full-width brackets and letters
    folded), spaces removed, case folded. ``北京示例科技（集团）有限公司`` equals
    ``北京示例科技(集团)有限公司``."""
    text = unicodedata.normalize("NFKC", str(name or ""))
    return "".join(text.split()).casefold()


def request_claim(claimant, data, scans, *, ticket=None, by=None):
    """Validate and save a claim of ``claimant`` (a member); return the FilingClaim.

    ``data`` holds the typed fields (:data:`FIELDS`), ``scans`` a list of cleaned uploads
    (:class:`wagtail_beian.uploads.CleanUpload`). ``by`` is who files it (the member, or staff
    starting it from the member's ticket).
    """
    by = by or claimant
    errors = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    values = {field: " ".join(str(data.get(field) or "").split()) for field in FIELDS}
    labels = {
        "member_email": _("member e-mail"), "organizer_name": _("organizer name"),
        "filing_number": _("filing number"), "domain": _("domain"),
    }
    for field in FIELDS:
        if not values[field]:
            add(field, _("Enter the %(field)s: a claim needs it.") % {"field": labels[field]}, "required")
    if not scans:
        add("scans", _("Upload scans of the organizer's certificates (JPEG, PNG or PDF): we compare them with the filing."), "required")
    elif len(scans) > MAX_SCANS:
        add("scans", _("Upload at most %(max)s files.") % {"max": MAX_SCANS}, "too_many_files")

    if values["member_email"]:
        try:
            values["member_email"] = normalize_email(values["member_email"])
        except ValidationError as error:
            errors.setdefault("member_email", []).extend(error.error_list)
        else:
            account = normalize_email(claimant.email) if claimant.email else ""
            if values["member_email"].casefold() != account.casefold():
                add(
                    "member_email",
                    _("Enter the e-mail address of the member account the filing should move to: %(account)s. "
                      "A claim moves a filing only to the account that makes it.")
                    % {"account": claimant.email or _("(your account has no e-mail address: add one first)")},
                    "member_mismatch",
                )
    if len(values["organizer_name"]) > 100:
        add("organizer_name", _("Shorten this to at most %(max)s characters.") % {"max": 100}, "max_length")
    if values["domain"]:
        try:
            values["domain"] = normalize_domain(values["domain"])
        except ValidationError as error:
            errors.setdefault("domain", []).extend(error.error_list)
    number = None
    if values["filing_number"]:
        try:
            number = parse_filing_number(values["filing_number"])
            values["filing_number"] = str(number)
        except ValidationError as error:
            errors.setdefault("filing_number", []).extend(error.error_list)

    filing = None
    if number is not None:
        filing = _check_against_local_records(claimant, number, values, add, errors)

    if errors:
        raise ValidationError(errors)
    claim = FilingClaim(claimant=claimant, filing=filing, ticket=ticket, **values)
    try:
        with transaction.atomic():
            claim.save()
            for scan in scans:
                stored = FilingClaimScan(
                    claim=claim, original_name=scan.original_name[:255], content_type=scan.content_type,
                    size=scan.size, sha256=scan.sha256,
                )
                stored.file.save(f"scan{scan.extension}", scan.as_content_file(), save=False)
                stored.save()
            log(claim, "wagtail_beian.filingclaim.request", user=by if by and by.pk else None, data={
                "transition": "request", "to": claim.state, "filing": filing.pk,
                "ticket": ticket.pk if ticket else None, "scans": len(scans),
            })
            requested.send(sender=FilingClaim, instance=claim, user=by)
    except IntegrityError:  # a colleague's or a second tab's claim won the race
        raise ValidationError({"filing_number": [_open_claim_error(values["filing_number"])]}) from None
    return claim


def _open_claim_error(number):
    return ValidationError(
        _("You already have an open claim for the filing %(number)s. Wait for our decision, or withdraw that "
          "claim first.") % {"number": number},
        code="open_claim",
    )


def _check_against_local_records(claimant, number, values, add, errors):
    """The filing kept here under that number; field errors that reveal nothing of it."""
    typed_number = values["filing_number"]
    filing = local_filing(number)
    if filing is None:
        add(
            "filing_number",
            _("We keep no filing with the number %(number)s. Check the number (it is on the MIIT filing "
              "record, beian.miit.gov.cn). A filing kept by another provider cannot be claimed here: "
              "request new access for its websites instead.") % {"number": typed_number},
            "no_local_filing",
        )
        return None
    if not number_province_matches(number, filing):
        add(
            "filing_number",
            _("The first character of %(number)s (the issuing province) does not match our filing with these "
              "digits. Check the province character of the number.") % {"number": typed_number},
            "province_mismatch",
        )
        return None
    if filing.state != FilingState.APPROVED:
        add(
            "filing_number",
            _("The filing %(number)s cannot be claimed while it is being processed (for example cancelled). "
              "Open a support ticket if it should be yours.") % {"number": typed_number},
            "not_claimable",
        )
        return None
    if filing.owner_id == claimant.pk:
        add("filing_number", _("The filing %(number)s already belongs to your account.") % {"number": typed_number},
            "already_yours")
        return None
    if FilingClaim.objects.filter(claimant=claimant, filing=filing, state=ClaimState.REQUESTED).exists():
        errors.setdefault("filing_number", []).append(_open_claim_error(typed_number))
        return None
    if values["domain"] and "domain" not in errors:
        websites = Website.objects.filter(filing=filing, domain=values["domain"], status=WebsiteStatus.ACTIVE)
        if number.site_number is not None:
            websites = websites.filter(site_number=number.site_number)
        if not websites.exists():
            add(
                "domain",
                _("The domain %(domain)s is not a website of the filing %(number)s. Enter a domain filed under "
                  "that number (the registered domain, without www.).") % {
                    "domain": domain_to_unicode(values["domain"]), "number": typed_number,
                },
                "domain_not_in_filing",
            )
    if values["organizer_name"] and comparable_name(values["organizer_name"]) != comparable_name(filing.subject.name):
        add(
            "organizer_name",
            _("The organizer name does not match the filing %(number)s. Enter the organizer exactly as on its "
              "certificate: the full company name as on the licence, or the person's name.") % {"number": typed_number},
            "organizer_mismatch",
        )
    return filing


# ----------------------------------------------------------------------------- decisions


def approve_claim(claim, user, *, expected_state=None):
    """Move the filing (and its changes) to the claimant; log it on the claim and on the filing;
    e-mail the claimant and the previous owner. Raises ValidationError when the filing changed
    meanwhile (nothing moves)."""
    with transaction.atomic():
        claim = perform_transition(claim, "approve", user, expected_state=expected_state)
        log(claim.filing, "wagtail_beian.claim_transfer", user=user, data={
            "claim": claim.pk, "from_owner": claim.previous_owner_id, "to_owner": claim.claimant_id,
        })
    return claim


def refuse_claim(claim, user, reasons, *, expected_state=None):
    """Refuse with field-level reasons the claimant sees (on the claim and by e-mail)."""
    cleaned = clean_reasons(reasons)
    with transaction.atomic():
        claim = perform_transition(claim, "refuse", user, expected_state=expected_state, reasons=cleaned)
        claim.refusal_reasons = [dataclasses.asdict(r) for r in cleaned]
        claim.save(update_fields=["refusal_reasons", "updated_at"])
    return claim


def withdraw_claim(claim, user, *, expected_state=None):
    return perform_transition(claim, "withdraw", user, expected_state=expected_state)


# ----------------------------------------------------------------------------- from a ticket


def claim_from_ticket(ticket, user):
    """Start the claim of a "claim a filing" ticket (staff): the ticket's fields and certificate
    scans become the claim; the ticket's customer is the claimant; the customer is told in the
    ticket. Returns the claim (the existing one when the ticket already started one)."""
    if not perms.has_perm(user, VERIFY_CLAIM):
        raise ValidationError(_("You do not have permission to handle filing claims."), code="forbidden")
    if ticket.request_type != CLAIM_TICKET_TYPE:
        raise ValidationError(_("Only a “claim a filing” ticket can start a claim."), code="wrong_type")
    existing = ticket.claims.order_by("pk").first()
    if existing is not None:
        return existing
    scans = []
    for attachment in ticket.attachments.filter(field=SCAN_FIELD):
        with attachment.file.open("rb") as handle:
            clean = validate_upload(handle)
        scans.append(dataclasses.replace(clean, original_name=attachment.original_name or clean.original_name))
    with transaction.atomic():
        claim = request_claim(ticket.owner, ticket.fields, scans, ticket=ticket, by=user)
        if ticket.state in ACTIVE_TICKET_STATES:
            add_reply(
                ticket, user,
                _("We have opened claim #%(number)s for the filing %(filing_number)s. You can follow it under "
                  "“My claims”; we will e-mail you our decision.")
                % {"number": claim.pk, "filing_number": claim.filing_number},
            )
    return claim
