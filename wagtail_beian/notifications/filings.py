"""E-mail about filings and their websites: each customer-visible transition, new submissions, reminders."""

from django.utils import translation

from .. import permissions as perms
from ..models import Filing, Website
from ..services.preflight import CodeSnapshot, load_for_preflight
from ..services.status import deadline_text, missing_summary
from .outbox import LANGUAGE, notify, staff_addresses


def transition_performed(sender, instance, name, source, target, custom, **kwargs):
    """The customer hears of every customer-visible transition; staff who verify hear of each submission."""
    if not custom.get("customer_visible"):
        return
    filing = instance if isinstance(instance, Filing) else instance.filing
    context = {
        "filing": filing,
        "website": instance if isinstance(instance, Website) else None,
        "source": source, "target": target, "name": name,
        "state_label": instance.get_state_display() if isinstance(instance, Filing) else instance.get_status_display(),
    }
    notify("transition", context, [filing.owner.email])
    if name == "submit" and isinstance(instance, Filing):
        notify("staff_new_submission", context, staff_addresses(perms.VERIFY))


def send_reminder(filing):
    """Tell the customer what is still missing and the next deadline; True when queued."""
    loaded = load_for_preflight(filing)
    with translation.override(LANGUAGE):
        context = {
            "filing": loaded,
            "missing": missing_summary(loaded, CodeSnapshot.load()),
            "reasons": list(loaded.open_reasons()),
            "deadline": deadline_text(loaded),
        }
    return bool(notify("reminder", context, [filing.owner.email]))
