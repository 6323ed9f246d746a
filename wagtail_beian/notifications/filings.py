"""E-mail about filings and their websites: each customer-visible transition, new submissions,
reminders, assignments. Every message names the filing by organizer and number (or domain) and
links to the page where the reader acts: the portal for customers, the admin for staff."""

from django.utils import translation

from .. import permissions as perms
from ..models import Filing, Website
from ..rules.domains import domain_to_unicode
from ..services.fields import field_labels
from ..services.preflight import CodeSnapshot, load_for_preflight
from ..services.status import deadline_text, missing_summary
from .outbox import LANGUAGE, absolute_url, notify, staff_addresses


def filing_title(filing):
    """“北京示例科技有限公司（京ICP备2024000001号）”, or with its first domain before approval."""
    subject = getattr(filing, "subject", None)
    name = subject.name if subject is not None and subject.name else ""
    if filing.subject_number:
        ref = filing.subject_number
    else:
        first = filing.websites.order_by("sort_order", "pk").values_list("domain", flat=True).first()
        ref = domain_to_unicode(first) if first else ""
    return f"{name}（{ref}）" if name and ref else (name or ref)


def portal_url(filing):
    return absolute_url("wagtail_beian_portal:filing_detail", filing.pk)


def admin_url(filing):
    return absolute_url("wagtail_beian_filings:inspect", filing.pk)


def open_reasons(filing):
    """The open reasons with the readable label of their field (not its path)."""
    labels = field_labels(filing)
    return [
        {"label": labels.get(r.field, r.field), "problem": r.problem, "suggestion": r.suggestion}
        for r in filing.open_reasons()
    ]


def transition_performed(sender, instance, name, source, target, custom, note="", **kwargs):
    """The customer hears of every customer-visible transition; staff who verify hear of each submission."""
    if not custom.get("customer_visible"):
        return
    filing = instance if isinstance(instance, Filing) else instance.filing
    with translation.override(LANGUAGE):
        context = {
            "filing": filing, "title": filing_title(filing),
            "website": instance if isinstance(instance, Website) else None,
            "source": source, "target": target, "name": name,
            "state_label": instance.get_state_display() if isinstance(instance, Filing) else instance.get_status_display(),
            "reasons": open_reasons(filing), "url": portal_url(filing), "note": note,
        }
    notify("transition", context, [filing.owner.email])
    if name == "submit" and isinstance(instance, Filing):
        notify("staff_new_submission", {**context, "url": admin_url(filing)}, staff_addresses(perms.VERIFY))


def assigned(sender, instance, user, clerk, **kwargs):
    """The clerk hears that a filing is now theirs, with the link to it."""
    context = {"filing": instance, "title": filing_title(instance), "by": user.get_username(), "url": admin_url(instance)}
    notify("filing_assigned", context, [clerk.email])


def send_reminder(filing):
    """Tell the customer what is still missing and the next deadline; True when queued."""
    loaded = load_for_preflight(filing)
    with translation.override(LANGUAGE):
        context = {
            "filing": loaded, "title": filing_title(loaded),
            "missing": missing_summary(loaded, CodeSnapshot.load()),
            "reasons": open_reasons(loaded),
            "deadline": deadline_text(loaded),
            "url": portal_url(loaded),
        }
    return bool(notify("reminder", context, [filing.owner.email]))
