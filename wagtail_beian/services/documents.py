"""Documents a stored filing needs (D01–D03, W04, R05), decided by the one rule function."""

from ..rules.documents import RequiredDocument, required_documents
from ..rules.preflight import requirement_input
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
