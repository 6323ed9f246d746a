"""What a customer may edit, and what to show next to each field (reasons, pre-flight findings).

Field paths are those of ``services.fields``: ``subject.<field>``, ``websites.<i>.<field>``,
``websites.<i>.access``, ``documents.<kind>`` and ``documents.<i>.<kind>``.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from ..models import FilingState
from ..services.fields import COMPANIONS

S = FilingState


@dataclass(frozen=True)
class Note:
    """A message shown at a field: a reviewer's reason or a pre-flight finding."""

    kind: str  # "reason" | "error" | "warning"
    message: str
    suggestion: str = ""


class Editability:
    """F01/F03: everything in a draft; after a return only the flagged fields (and their
    companions); otherwise nothing."""

    def __init__(self, filing, user):
        self.filing = filing
        self.owner = filing.owner_id == getattr(user, "pk", None)
        reasons = list(filing.open_reasons()) if filing.state in (S.RETURNED, S.BUREAU_REJECTED) else []
        self.flagged = {r.field for r in reasons}
        self.flagged |= {companion for field in list(self.flagged) for companion in COMPANIONS.get(field, ())}
        self.everything = filing.state == S.DRAFT or "other" in self.flagged

    @property
    def any(self):
        return self.owner and self.filing.is_customer_editable and (self.everything or bool(self.flagged))

    @property
    def structure(self):
        """Adding or removing websites: only while drafting."""
        return self.owner and self.filing.state == S.DRAFT

    def fields(self, prefix, names):
        """The editable field names among ``names`` under ``prefix`` ("subject", "websites.0")."""
        if not self.any:
            return set()
        if self.everything:
            return set(names)
        return {n for n in names if f"{prefix}.{n}" in self.flagged}

    def path(self, path):
        return self.any and (self.everything or path in self.flagged)


def notes_by_path(reasons, findings):
    notes = defaultdict(list)
    for r in reasons:
        notes[r.field].append(Note("reason", r.problem, r.suggestion))
    for f in findings:
        notes[f.field].append(Note("error" if f.severity == "error" else "warning", f.message, f.suggestion))
    return notes


def notes_for(notes, prefix, names):
    """{field name: [Note]} for a form whose fields live under ``prefix``."""
    return {n: notes.get(f"{prefix}.{n}", []) for n in names}


def next_step(filing):
    """The customer's one next thing to do: the ``next_step`` of the state (models.states)."""
    return filing.state_info.next_step


def field_url(filing, path, websites):
    """Where the customer changes the field ``path`` (a finding's or a reason's): its step, at the field."""
    parts = path.split(".")
    if parts[0] == "subject" and len(parts) == 2:
        return reverse("wagtail_beian_portal:filing_subject", args=[filing.pk]) + f"#id_{parts[1]}"
    if parts[0] == "websites" and len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(websites):
        website = websites[int(parts[1])]
        if parts[2] == "access":
            return reverse("wagtail_beian_portal:website_access", args=[filing.pk, website.pk])
        return reverse("wagtail_beian_portal:website_edit", args=[filing.pk, website.pk]) + f"#id_{parts[2]}"
    if parts[0] == "websites":
        return reverse("wagtail_beian_portal:filing_websites", args=[filing.pk])
    if parts[0] == "documents":
        return reverse("wagtail_beian_portal:filing_documents", args=[filing.pk]) + f"#{path}"
    return reverse("wagtail_beian_portal:filing_detail", args=[filing.pk]) + "#reasons"

