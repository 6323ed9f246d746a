"""Where a filing stands, in words: its deadline and what is missing (admin, e-mails, digests)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from ..models import DeadlineKind, Filing, FilingState, Website
from ..models.states import FILING_STEPS
from ..rules import workdays
from ..rules.documents import missing_documents, required_documents
from ..rules.domains import domain_to_unicode
from ..rules.preflight import requirement_input
from .deadlines import transfer_deadlines
from .preflight import build_filing_data
from .workflow import log_action_name, transitions_of


def missing_summary(filing, codes):
    """What is missing, from prefetched relations only: mandatory documents and open reasons."""
    data = build_filing_data(filing, codes)
    present = [(d.kind, d.website_key) for d in data.documents if not d.rejected]
    missing = missing_documents(required_documents(requirement_input(data)), present)
    return {"documents": [d.label for d in missing], "reasons": getattr(filing, "open_reason_count", 0)}


def describe_deadline(kind, deadline_at, now=None):
    """One deadline in words (filings and access transfers): kind, time left or overdue, due date."""
    now = now or timezone.now()
    label = DeadlineKind(kind).label if kind in DeadlineKind.values else kind
    if kind == DeadlineKind.SMS:
        hours = int((deadline_at - now).total_seconds() // 3600)
        if hours >= 0:
            return _("%(kind)s: %(hours)s h left") % {"kind": label, "hours": hours}
        return _("%(kind)s: overdue by %(hours)s h") % {"kind": label, "hours": -hours}
    left = workdays.workdays_between(timezone.localdate(now), timezone.localdate(deadline_at))
    if left < 0 or deadline_at < now:
        return _("%(kind)s: overdue by %(days)s working days") % {"kind": label, "days": max(-left, 0)}
    return _("%(kind)s: %(days)s working days left (%(date)s)") % {
        "kind": label, "days": left, "date": timezone.localdate(deadline_at),
    }


def deadline_text(filing, now=None):
    """The filing's current deadline and, for a change adding a website, its W05 deadline."""
    parts = []
    if filing.deadline_at:
        parts.append(describe_deadline(filing.deadline_kind, filing.deadline_at, now))
    if filing.website_addition_open:
        parts.append(describe_deadline("website", filing.website_addition_due_at, now))
    return "；".join(str(p) for p in parts)


def transfer_deadlines_described(transfer, now=None):
    """[{"kind", "text", "due_at", "overdue"}]: an access transfer's running deadlines in words.

    Provider verification, bureau, and W05 for a new website (``services.deadlines.transfer_deadlines``);
    empty once the transfer has none left (verified cancel, completed, refused).
    """
    now = now or timezone.now()
    return [
        {"kind": kind, "text": describe_deadline(kind, due_at, now), "due_at": due_at, "overdue": due_at < now}
        for kind, due_at in transfer_deadlines(transfer)
    ]


def transfer_deadline_text(transfer, now=None):
    """The transfer's running deadlines in one line (listings), like :func:`deadline_text` for filings."""
    return "；".join(str(item["text"]) for item in transfer_deadlines_described(transfer, now))


def progress(filing):
    """What the customer sees of the filing's way: each customer-visible step of the filing and its
    websites, newest first, with its note (e.g. why it was cancelled) and the reasons given. Who
    on the provider's side acted is not shown."""
    visible = {
        log_action_name(model, name): transition.custom["label"]
        for model in (Filing, Website) for name, transition in transitions_of(model).items()
        if transition.custom.get("customer_visible")
    }
    entries = ModelLogEntry.objects.for_instance(filing).filter(action__in=visible).order_by("-timestamp", "-pk")
    steps = []
    for entry in entries:
        data = entry.data or {}
        steps.append({
            "at": entry.timestamp, "label": visible[entry.action], "note": data.get("note", ""),
            "website": domain_to_unicode((data.get("website") or {}).get("domain", "")),
            "reasons": [{"label": r.get("label") or r.get("field"), "problem": r.get("problem", "")}
                        for r in data.get("reasons") or []],
        })
    return steps


def stepper(filing, now=None):
    """The customer's progress stepper: [{"label", "status", "at", "deadline"}] for 提交 → 接入商核实 →
    短信核验 → 管局审核 → 已备案. ``status`` is "done" (with the date it was), "current" (with the
    running deadline), "problem" (returned or rejected: the customer's move) or "upcoming". Where
    each state stands is its ``StateInfo.step`` (models.states); a withdrawn filing shows what it
    had done."""
    info = filing.state_info
    last = len(FILING_STEPS) - 1
    steps = []
    for index, step in enumerate(FILING_STEPS):
        at = getattr(filing, step.done_at)
        if filing.state == FilingState.WITHDRAWN:
            status = "done" if at else "upcoming"
        elif index < info.step or index == info.step == last:
            status = "done"
        elif index == info.step:
            status = "problem" if info.step_problem else "current"
        else:
            status = "upcoming"
        steps.append({
            "label": step.label, "status": status, "at": at if status == "done" else None,
            "deadline": deadline_text(filing, now) if status in ("current", "problem") else "",
        })
    return steps
