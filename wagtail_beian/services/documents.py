"""Documents a stored filing needs (D01–D03, W04, R05), decided by the one rule function."""

from ..models import Website
from ..rules.documents import RequiredDocument, required_documents
from ..rules.preflight import requirement_input
from .preflight import build_filing_data


def required_documents_for(filing):
    """The required documents of this filing; ``website_key`` is the Website's primary key."""
    data = build_filing_data(filing)
    pks = list(Website.objects.filter(filing=filing).values_list("pk", flat=True))
    return [
        RequiredDocument(r.kind, pks[r.website_key] if r.website_key is not None else None, r.mandatory, r.rule)
        for r in required_documents(requirement_input(data))
    ]
