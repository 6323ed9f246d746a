"""E-mail notifications through an outbox: queued with the change that causes them, sent after commit.

A customer hears of every customer-visible transition of their filing; staff hear of new
submissions. A message is written to the ``OutgoingEmail`` table in the same transaction as the
transition (so a rolled-back transition sends nothing), then delivered by the
``deliver_outgoing_email`` task after commit. A sending failure never breaks the transition: it
is logged, the message stays queued, and the task (or ``manage.py beian_send_email`` from cron)
retries it with a growing delay, up to ``MAX_ATTEMPTS``.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
LANGUAGE = "zh-hans"


def render_email(template, context, language=LANGUAGE):
    """(subject, text, html) of ``templates/wagtail_beian/emails/<template>{_subject.txt,.txt,.html}``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"wagtail_beian/emails/{template}_subject.txt", context).split())
        text = render_to_string(f"wagtail_beian/emails/{template}.txt", context)
        html = render_to_string(f"wagtail_beian/emails/{template}.html", context)
    return subject, text, html


def notify(template, context, to):
    """Queue an e-mail to each address in ``to``; it is sent after the current transaction commits."""
    from .models import OutgoingEmail

    recipients = sorted({address for address in to if address})
    if not recipients:
        return []
    subject, text, html = render_email(template, context)
    queued = [
        OutgoingEmail.objects.create(to=address, subject=subject, text=text, html=html, template=template)
        for address in recipients
    ]
    transaction.on_commit(_enqueue_delivery)
    return queued


def _enqueue_delivery():
    from .tasks import deliver_outgoing_email

    try:
        deliver_outgoing_email.enqueue()
    except Exception:  # noqa: BLE001 - no task backend: cron's beian_send_email delivers later
        logger.exception("wagtail_beian: could not enqueue e-mail delivery; it stays queued")


def deliver_pending(now=None, limit=200):
    """Send what is due; return (sent, failed). Safe to run concurrently and repeatedly."""
    from .models import OutgoingEmail

    now = now or timezone.now()
    sent = failed = 0
    due = OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    for pk in list(due.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            email = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
            if email is None:
                continue
            message = EmailMultiAlternatives(email.subject, email.text, settings.DEFAULT_FROM_EMAIL, [email.to])
            message.attach_alternative(email.html, "text/html")
            email.attempts += 1
            try:
                message.send()
            except Exception as error:  # noqa: BLE001 - the mail server's problem is retried, not raised
                email.last_error = f"{type(error).__name__}: {error}"[:500]
                email.next_attempt_at = now + timedelta(minutes=2 ** email.attempts)
                failed += 1
                logger.warning("wagtail_beian: e-mail %s not sent (attempt %s): %s", email.pk, email.attempts, email.last_error)
            else:
                email.sent_at = timezone.now()
                email.last_error = ""
                sent += 1
            email.save(update_fields=["attempts", "last_error", "next_attempt_at", "sent_at"])
    return sent, failed


def staff_addresses(perm):
    User = get_user_model()
    users = User.objects.filter(is_active=True, is_staff=True).exclude(email="")
    return [u.email for u in users if u.has_perm(perm)]


def transition_performed(instance, name, source, target, custom):
    """Called by services.workflow after a transition and its reasons are recorded."""
    from . import permissions as perms
    from .models import AccessTransfer, Filing, Website

    if isinstance(instance, AccessTransfer):
        from .services.transfer_notices import transfer_transition_performed

        return transfer_transition_performed(instance, name, source, target, custom)
    if not isinstance(instance, (Filing, Website)) or not custom.get("customer_visible"):
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
    from .services.status import deadline_text, missing_summary
    from .services.preflight import CodeSnapshot, load_for_preflight

    loaded = load_for_preflight(filing)
    with translation.override(LANGUAGE):
        context = {
            "filing": loaded,
            "missing": missing_summary(loaded, CodeSnapshot.load()),
            "reasons": list(loaded.open_reasons()),
            "deadline": deadline_text(loaded),
        }
    return bool(notify("reminder", context, [filing.owner.email]))


# --- filing claims (备案归属, F09) ---


def absolute_url(name, *args):
    """The link an e-mail gives to a named admin or portal view: ``WAGTAILADMIN_BASE_URL`` + path;
    empty when the site has not mounted that view (the portal, say)."""
    from django.urls import NoReverseMatch, reverse

    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    try:
        return base + reverse(name, args=args)
    except NoReverseMatch:  # the site has not mounted the portal (or the admin)
        return ""


def claim_requested(claim):
    """Staff who may decide claims hear of a new one."""
    from .models.claims import VERIFY_CLAIM

    context = {"claim": claim, "url": absolute_url("beian_claims:inspect", claim.pk)}
    return notify("claim_new", context, staff_addresses(VERIFY_CLAIM))


def claim_decided(claim):
    """The claimant hears of the approval, or of the refusal with its reasons."""
    context = {
        "claim": claim, "approved": claim.state == "approved", "reasons": claim.refusal_reasons,
        "url": absolute_url("wagtail_beian_portal:claim_detail", claim.pk),
    }
    return notify("claim_decided", context, [claim.claimant.email])


def claim_filing_moved(claim):
    """The previous owner hears that the filing moved to another member (not who)."""
    previous = claim.previous_owner
    if previous is None:
        return []
    return notify("claim_filing_moved", {"claim": claim, "filing": claim.filing}, [previous.email])
