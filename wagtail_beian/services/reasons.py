"""Return reasons after the return: answered by the customer, settled by the clerk (F03).

A reason is *open* until the customer answers it, by changing its field (an edit or a new upload,
logged with its changes, :mod:`.edits`) or by explaining why the field is right as it is. Submitting
again is refused while a reason has neither; on submission each open reason becomes "changed" or
"explained". The clerk then confirms each one or reopens it; verification (and a resubmission to the
bureau) waits until every reason is confirmed. A reopened reason is open again: the next return
sends it back to the customer with the new ones.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from .. import permissions as perms
from ..models import FilingReason, FilingState, ReasonStatus
from ..models.states import CUSTOMER_EDITABLE_STATES
from ..rules.preflight import ERROR, Finding
from .fields import COMPANIONS, field_labels

S = FilingState

#: Actions whose log entries carry ``changes`` [{field, label, before, after}] of the filing's data.
CHANGE_ACTIONS = ("wagtail_beian.edit_data", "wagtail_beian.upload")
#: The clerk confirms or reopens reasons while the filing is back with the provider.
SETTLING_STATES = {S.SUBMITTED, S.BUREAU_REJECTED}
ANSWER_MAX_LENGTH = 1000


def _matches(change_field, reason_field):
    return (reason_field == "other" or change_field == reason_field or change_field.startswith(reason_field + ".")
            or change_field in COMPANIONS.get(reason_field, ()))


def change_entries(filing):
    """The filing's logged edits and uploads, oldest first."""
    return list(
        ModelLogEntry.objects.filter(content_type__app_label="wagtail_beian", object_id=str(filing.pk),
                                     action__in=CHANGE_ACTIONS).order_by("timestamp", "pk")
    )


def with_changes(reasons, entries):
    """Give each reason the changes made to its field since it was given or reopened (``reason.changes``:
    [{label, before, after}], oldest first), from ``entries`` (:func:`change_entries`, or the
    history already loaded). Settled reasons get none: their changes are in the history."""
    entries = sorted((e for e in entries if e.action in CHANGE_ACTIONS), key=lambda e: (e.timestamp, e.pk))
    for reason in reasons:
        reason.changes = [] if not reason.is_unsettled else [
            change for entry in entries if entry.timestamp >= reason.opened_at
            for change in (entry.data or {}).get("changes") or [] if _matches(change["field"], reason.field)
        ]
    return reasons


def _open_with_changes(filing):
    return with_changes(list(filing.open_reasons()), change_entries(filing))


def _unanswered(filing):
    return [r for r in _open_with_changes(filing) if not r.changes and not r.answer]


def unanswered_findings(filing):
    """F03: open reasons the customer has neither changed nor explained (they block resubmission)."""
    return [
        Finding(
            reason.field, "F03", ERROR,
            _("Returned with “%(problem)s” and not changed since.") % {"problem": reason.problem},
            _("Change this field, or explain on the filing's page why it is right as it is."),
        )
        for reason in _unanswered(filing)
    ]


def unsettled_findings(filing):
    """F03: reasons the clerk has not confirmed (verification and resubmission to the bureau wait)."""
    return [
        Finding(
            reason.field, "F03", ERROR,
            _("Reason “%(problem)s” is %(status)s: confirm it or reopen it.") % {
                "problem": reason.problem, "status": reason.get_status_display()},
            _("Check the change or the customer's explanation next to the reason."),
        )
        for reason in filing.unsettled_reasons()
    ]


def record_answers(filing):
    """On resubmission: each open reason becomes "changed" or "explained" (nothing else is left:
    :func:`unanswered_findings` blocks the submission otherwise)."""
    reasons = _open_with_changes(filing)
    FilingReason.objects.filter(pk__in=[r.pk for r in reasons if r.changes]).update(status=ReasonStatus.CHANGED)
    answered = [r.pk for r in reasons if not r.changes and r.answer]
    FilingReason.objects.filter(pk__in=answered).update(status=ReasonStatus.ANSWERED)


def status_for_new_reasons(filing):
    """A reason given as the filing goes back to the customer is open; any other (why a
    cancellation was refused) is for information only."""
    return ReasonStatus.OPEN if filing.state in CUSTOMER_EDITABLE_STATES else ReasonStatus.NOTICE


def answer_reason(reason, user, text):
    """The customer explains an open reason instead of changing its field (or beside the change)."""
    filing = reason.filing
    if not perms.is_owner(user, filing):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the explanation."), code="required")
    if len(text) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            _("Keep the explanation under %(max)d characters.") % {"max": ANSWER_MAX_LENGTH}, code="max_length")
    with transaction.atomic():
        locked = FilingReason.objects.select_for_update().select_related("filing").get(pk=reason.pk)
        if not (locked.is_open and locked.filing.is_customer_editable):
            raise ValidationError(_("This reason cannot be answered now."), code="closed")
        locked.answer, locked.answered_at = text, timezone.now()
        locked.save(update_fields=["answer", "answered_at"])
        log(filing, "wagtail_beian.answer_reason", user=user, data={
            "reason": locked.pk, "field": locked.field, "label": field_labels(filing).get(locked.field, locked.field),
            "answer": text,
        })
    return locked


def can_settle(user, filing):
    return filing.state in SETTLING_STATES and perms.has_perm(user, perms.VERIFY)


def settle_reason(reason, user, action):
    """The clerk confirms a reason (``"confirm"``) or reopens it (``"reopen"``)."""
    if action not in ("confirm", "reopen"):
        raise ValueError(action)
    with transaction.atomic():
        locked = FilingReason.objects.select_for_update().select_related("filing").get(pk=reason.pk)
        filing = locked.filing
        if not perms.has_perm(user, perms.VERIFY):
            raise PermissionDenied
        allowed = locked.is_unsettled if action == "confirm" else locked.status != ReasonStatus.NOTICE
        if filing.state not in SETTLING_STATES or not allowed or (action == "reopen" and locked.is_open):
            raise ValidationError(_("This reason cannot be changed now."), code="state")
        if action == "confirm":
            locked.status, locked.confirmed_by, locked.confirmed_at = ReasonStatus.CONFIRMED, user, timezone.now()
        else:
            # Open again from now: only a new change or a new explanation answers it (the old one
            # stays in the history).
            locked.status, locked.confirmed_by, locked.confirmed_at = ReasonStatus.OPEN, None, None
            locked.opened_at, locked.answer, locked.answered_at = timezone.now(), "", None
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "opened_at", "answer", "answered_at"])
        log(filing, f"wagtail_beian.{action}_reason", user=user, data={
            "reason": locked.pk, "field": locked.field, "label": field_labels(filing).get(locked.field, locked.field),
            "problem": locked.problem,
        })
    return locked
