"""Where a filing stands, in words: its deadline and what is missing (admin, e-mails, digests)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..rules.documents import missing_documents, required_documents
from ..rules.preflight import requirement_input
from .preflight import build_filing_data


def missing_summary(filing, codes):
    """What is missing, from prefetched relations only: mandatory documents and open reasons."""
    data = build_filing_data(filing, codes)
    present = [(d.kind, d.website_key) for d in data.documents]
    missing = missing_documents(required_documents(requirement_input(data)), present)
    return {"documents": [d.label for d in missing], "reasons": getattr(filing, "open_reason_count", 0)}


def deadline_text(filing, now=None):
    if not filing.deadline_at:
        return ""
    now = now or timezone.now()
    if filing.deadline_kind == "sms":
        hours = int((filing.deadline_at - now).total_seconds() // 3600)
        return _("%(kind)s: %(hours)s h left") % {"kind": filing.get_deadline_kind_display(), "hours": hours} if hours >= 0 else _(
            "%(kind)s: overdue by %(hours)s h") % {"kind": filing.get_deadline_kind_display(), "hours": -hours}
    left = filing.workdays_left(timezone.localdate(now))
    if left < 0:
        return _("%(kind)s: overdue by %(days)s working days") % {"kind": filing.get_deadline_kind_display(), "days": -left}
    return _("%(kind)s: %(days)s working days left (%(date)s)") % {
        "kind": filing.get_deadline_kind_display(), "days": left, "date": timezone.localdate(filing.deadline_at),
    }
