"""Run a workflow transition: lock, check state, permission and conditions, save, record, log.

Every state change of a filing, website, access transfer, claim or ticket goes through
:func:`perform_transition`, so the admin, the portal, the importer and management commands behave
alike: one winner when colleagues act at once, nothing half-saved, every transition in Wagtail's
audit log with who, when, from, to, why, and then the ``transition_performed`` signal (e-mail
listens to it, :mod:`wagtail_beian.notifications`).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, FSMFieldMixin, can_proceed
from wagtail.log_actions import log

from ..exceptions import ConcurrentChange, TransitionBlocked, TransitionForbidden, TransitionNotAllowed
from ..models import Filing, FilingReason, Website
from ..models.states import CUSTOMER_EDITABLE_STATES
from ..signals import transition_performed
from .documents import review_findings
from .fields import field_labels
from .preflight import preflight
from .reasons import record_answers, status_for_new_reasons, unanswered_findings, unsettled_findings

LOG_PREFIX = "wagtail_beian"


@dataclass(frozen=True)
class Reason:
    """A field-level reason: which field, what is wrong, what to do instead."""

    field: str
    problem: str
    suggestion: str = ""


def state_field(model):
    return next(f for f in model._meta.fields if isinstance(f, FSMFieldMixin))


def transitions_of(model):
    """{name: django_fsm Transition} for every transition of the model's state field."""
    field = state_field(model)
    return {t.name: t for t in field.get_all_transitions(model)}


def log_action_name(model, name):
    prefix = LOG_PREFIX if model is Filing else f"{LOG_PREFIX}.{model._meta.model_name}"
    return f"{prefix}.{name}"


def transition_options(obj, user, findings=None):
    """(available, blocked) transitions of this object for this user now.

    ``available``: the buttons. A transition marked ``custom["preflight"]`` is offered only while
    pre-flight finds no error, one marked ``custom["documents_accepted"]`` only once every required
    scan is accepted (F02), one marked ``custom["reasons_answered"]`` only once every open reason is
    changed or explained and one marked ``custom["reasons_confirmed"]`` only once the clerk confirmed
    every reason (F03). ``blocked``: [(transition, findings)] held back by such a gate, so a page can
    say what to do first instead of just hiding the button. ``findings``: the filing's pre-flight
    findings when the caller has them already (a page that shows them), to run it once.
    """
    field = state_field(type(obj))
    method = getattr(obj, f"get_available_user_{field.name}_transitions")
    available, blocked = [], []
    for t in method(user):
        held = _blocking_findings(obj, t.custom, findings) if _gated(t.custom) else []
        if held:
            blocked.append((t, held))
        else:
            available.append(t)
    return available, blocked


def available_transitions(obj, user):
    """The transitions this user may perform on this object now (buttons show exactly these)."""
    return transition_options(obj, user)[0]


def clean_reasons(reasons):
    cleaned = []
    for item in reasons:
        if isinstance(item, dict):
            item = Reason(**{k: item.get(k, "") for k in ("field", "problem", "suggestion")})
        if not (item.field or "").strip() or not (item.problem or "").strip():
            raise ValidationError(
                _("Each reason needs the field concerned and the problem; add a suggestion for the customer."),
                code="reason_incomplete",
            )
        cleaned.append(Reason(item.field.strip(), item.problem.strip(), (item.suggestion or "").strip()))
    return cleaned


def reasons_comment(log_entry):
    """The note and the reasons a logged transition gave, as the comment of its history entry:
    "note; field: problem → suggestion; …" (empty when it gave none)."""
    data = log_entry.data or {}
    parts = [data["note"]] if data.get("note") else []
    parts += [
        f"{r.get('label') or r['field']}: {r['problem']}" + (f" → {r['suggestion']}" if r.get("suggestion") else "")
        for r in data.get("reasons") or []
    ]
    return "; ".join(parts)


def _filing_of(obj):
    """The filing whose history records a transition of ``obj``; None for other models (tickets)."""
    if isinstance(obj, Filing):
        return obj
    if isinstance(obj, Website):
        return obj.filing
    return None


def perform_transition(obj, name, user, *, expected_state=None, reasons=(), note="", **kwargs):
    """Perform transition ``name`` on ``obj`` (a Filing or Website) as ``user``; return the saved object.

    ``expected_state`` is the state the user saw; when a colleague moved the object on meanwhile,
    :class:`ConcurrentChange` is raised and nothing is saved. ``reasons`` are required by the
    transitions that return or reject (``custom["needs_reasons"]``), ``note`` (a free text the
    customer reads, e.g. why a filing is cancelled) by those marked ``custom["needs_note"]``. Other
    keyword arguments go to the transition method (e.g. ``subject_number`` for approval).
    """
    model = type(obj)
    known = transitions_of(model)
    if name not in known:
        raise TransitionNotAllowed(_("Unknown action “%(name)s”.") % {"name": name})
    custom = known[name].custom
    reasons = clean_reasons(reasons)
    note = " ".join((note or "").split())[:500]
    if custom.get("needs_note") and not note:
        raise ValidationError({"note": _("Say why: the customer reads it in the filing's progress.")}, code="note_required")
    if custom.get("needs_reasons") and not reasons and not _has_open_reasons(obj):
        raise ValidationError(
            _("Give at least one reason: the field, the problem and a suggestion the customer will see."),
            code="reasons_required",
        )
    field = state_field(model)
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=obj.pk)
            current = getattr(locked, field.name)
            if expected_state is not None and current != expected_state:
                raise ConcurrentChange(_concurrent_message(locked, field, expected_state))
            refusal = transition_refusal(locked, name, user)
            if refusal is not None:
                raise refusal
            getattr(locked, name)(by=user, **kwargs)
            locked.save()
            target = getattr(locked, field.name)
            _record(locked, name, user, current, target, reasons, kwargs, note)
            transition_performed.send(
                sender=model, instance=locked, name=name, source=current, target=target, custom=custom,
                user=user, reasons=[r.__dict__ for r in reasons], note=note,
            )
    except ConcurrentTransition:
        raise ConcurrentChange(_concurrent_message(obj, field, expected_state)) from None
    return locked


def transition_refusal(obj, name, user):
    """Why ``user`` may not perform transition ``name`` on ``obj`` now: the FilingError that
    :func:`perform_transition` raises (wrong state, no permission, blocked by pre-flight or a
    condition, with the findings), or None when they may. Confirmation pages show it."""
    model = type(obj)
    field = state_field(model)
    custom = transitions_of(model)[name].custom
    method = getattr(obj, name)
    if not can_proceed(method, check_conditions=False):
        return TransitionNotAllowed(
            _("“%(action)s” is not possible while the %(object)s is “%(state)s”.")
            % {"action": custom["label"], "object": model._meta.verbose_name, "state": _display(obj, field)}
        )
    meta = method._django_fsm
    current = getattr(obj, field.name)
    if not meta.has_transition_perm(obj, current, user):
        return TransitionForbidden(
            _("You do not have permission to “%(action)s” this %(object)s.")
            % {"action": custom["label"], "object": model._meta.verbose_name}
        )
    findings = _blocking_findings(obj, custom)
    if findings or not meta.conditions_met(obj, current):
        return TransitionBlocked(
            _("“%(action)s” is blocked: fix the problems listed first.") % {"action": custom["label"]},
            findings=findings,
        )
    return None


def _display(obj, field):
    return getattr(obj, f"get_{field.name}_display")()


def _concurrent_message(obj, field, expected):
    return _(
        "A colleague changed this %(object)s while you were looking at it. Nothing was saved: "
        "reload the page to see its current state and try again."
    ) % {"object": type(obj)._meta.verbose_name}


GATES = ("preflight", "documents_accepted", "reasons_answered", "reasons_confirmed")


def _gated(custom):
    return any(custom.get(gate) for gate in GATES)


def _blocking_findings(obj, custom, preflight_findings=None):
    """What stops a transition marked with one of :data:`GATES` (errors only)."""
    filing = _filing_of(obj)
    if filing is None or not _gated(custom):
        return []
    findings = []
    if custom.get("preflight"):
        found = preflight(filing) if preflight_findings is None else preflight_findings
        findings = [f for f in found if f.severity == "error"]
    if custom.get("documents_accepted"):
        findings += review_findings(filing)
    if custom.get("reasons_answered"):
        findings += unanswered_findings(filing)
    if custom.get("reasons_confirmed"):
        findings += unsettled_findings(filing)
    return findings


def _has_open_reasons(obj):
    """A reason the clerk reopened is sent back with the return: it counts as the return's reason."""
    return isinstance(obj, Filing) and obj.open_reasons().exists()


def _record(obj, name, user, source, target, reasons, kwargs, note=""):
    filing = _filing_of(obj)
    if filing is None:  # any other model with a state field logs on itself (no filing reasons)
        data = {"transition": name, "from": source, "to": target, "reasons": [r.__dict__ for r in reasons]}
        if note:
            data["note"] = note
        log(obj, log_action_name(type(obj), name), user=user if user and user.pk else None, data=data)
        return
    if reasons:
        status = status_for_new_reasons(filing)
        FilingReason.objects.bulk_create(
            FilingReason(
                filing=filing, transition=name, created_by=user if user and user.pk else None,
                field=_scoped_field(obj, r.field), problem=r.problem, suggestion=r.suggestion, status=status,
            )
            for r in reasons
        )
    if name == "submit":
        # F03: each open reason was changed or explained (the gate checked); the clerk confirms it next.
        record_answers(filing)
    carried = []
    if not reasons and target in CUSTOMER_EDITABLE_STATES and isinstance(obj, Filing):
        # reasons the clerk reopened go back with this return: the history and the progress name them
        carried = [Reason(r.field, r.problem, r.suggestion) for r in filing.open_reasons()]
    logged = list(reasons) or carried
    labels = field_labels(filing) if logged else {}
    data = {
        "transition": name,
        "from": source,
        "to": target,
        # each reason with the label of its field, so the history reads 通讯地址, not subject.mailing_address
        "reasons": [{**r.__dict__, "label": labels.get(_scoped_field(obj, r.field), r.field)} for r in logged],
    }
    if carried:
        data["reopened"] = True
    if note:
        data["note"] = note
    if isinstance(obj, Website):
        data["website"] = {"id": obj.pk, "domain": obj.domain}
    if kwargs.get("subject_number"):
        data["subject_number"] = filing.subject_number
    log(filing, log_action_name(type(obj), name), user=user if user and user.pk else None, data=data)


def _scoped_field(obj, field):
    if isinstance(obj, Website) and not field.startswith("websites."):
        return f"websites.{obj.pk}.{field}"
    return field
