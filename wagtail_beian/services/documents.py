"""Documents a stored filing needs (D01–D03, W04, R05), decided by the one rule function, and their
review by the provider before verification (F02)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions as perms
from ..exceptions import TransitionForbidden
from ..models import Document, ReviewStatus
from ..rules.documents import RequiredDocument, required_documents
from ..rules.preflight import Finding, requirement_input
from .preflight import build_filing_data, load_for_preflight


def required_documents_for(filing, codes=None):
    """The required documents of this filing; ``website_key`` is the Website's primary key.

    ``filing`` should come with its pre-flight relations loaded (listings); otherwise it is reloaded.
    """
    if not hasattr(filing, "_prefetched_objects_cache") or "websites" not in filing._prefetched_objects_cache:
        filing = load_for_preflight(filing)
    pks = [w.pk for w in filing.websites.all()]
    return [
        RequiredDocument(r.kind, pks[r.website_key] if r.website_key is not None else None, r.mandatory, r.rule)
        for r in required_documents(requirement_input(build_filing_data(filing, codes)))
    ]


# ----------------------------------------------------------------------------- review (F02)


def review_document(document, user, decision, reason=""):
    """Accept or reject one scan as ``user`` (a clerk who verifies filings); logged on its filing.

    A rejection needs the reason the customer will read. Returns the saved document.
    """
    if not perms.has_perm(user, perms.VERIFY):
        raise TransitionForbidden(_("You do not have permission to review documents."))
    reason = (reason or "").strip()
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise ValidationError({"decision": _("Accept or reject the document.")}, code="invalid")
    if decision == ReviewStatus.REJECTED and not reason:
        raise ValidationError(
            {"reason": _("Say why the document is rejected, so the customer knows what to upload.")}, code="required"
        )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        locked.review_status, locked.review_reason = decision, reason
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        locked.save(update_fields=["review_status", "review_reason", "reviewed_by", "reviewed_at"])
        log(locked.filing, "wagtail_beian.document_review", user=user, data={
            "document": locked.pk, "kind": locked.kind, "decision": decision, "reason": reason,
        })
    return locked


def review_findings(filing):
    """F02: every mandatory document is reviewed and accepted before the provider verifies.

    One finding per required document that has scans but none accepted (not reviewed yet, or
    rejected); a missing document is pre-flight's finding, not this one.
    """
    filing = load_for_preflight(filing)
    websites = list(filing.websites.all())
    index_of = {w.pk: i for i, w in enumerate(websites)}
    uploaded = {}
    for document in filing.documents.all():  # every scan, the rejected ones too (prefetched)
        uploaded.setdefault((document.kind, document.website_id), []).append(document.review_status)
    findings = []
    for required in required_documents_for(filing):
        statuses = uploaded.get((required.kind, required.website_key))
        if not required.mandatory or not statuses or ReviewStatus.ACCEPTED in statuses:
            continue
        index = index_of.get(required.website_key)
        path = f"documents.{required.kind}" if index is None else f"documents.{index}.{required.kind}"
        if ReviewStatus.PENDING in statuses:
            message = _("%(document)s is not reviewed yet.") % {"document": required.label}
            suggestion = _("Open the scan, compare it with the filing and accept or reject it.")
        else:
            message = _("%(document)s was rejected and no new scan is accepted.") % {"document": required.label}
            suggestion = _("Return the filing so the customer uploads a new scan.")
        findings.append(Finding(path, "F02", "error", message, suggestion))
    return findings


def documents_to_review(filing):
    """The filing's scans in review order, the order of the filing page too: the subject's first,
    then each website's, by kind (NULLs first on every database)."""
    return list(
        filing.documents.select_related("website", "reviewed_by")
        .order_by(F("website__sort_order").asc(nulls_first=True), F("website_id").asc(nulls_first=True), "kind", "pk")
    )
