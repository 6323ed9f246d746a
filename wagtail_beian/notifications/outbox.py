"""The e-mail outbox: messages queued with the change that causes them, sent after commit.

A message is written to the ``OutgoingEmail`` table in the same transaction as the change (so a
rolled-back change sends nothing), then delivered by the ``deliver_outgoing_email`` task after
commit. A sending failure never breaks the change: it is logged, the message stays queued, and
the task (or ``manage.py beian_send_email`` from cron) retries it with a growing delay, up to
``MAX_ATTEMPTS``.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django_tasks import task

from .. import permissions as perms
from ..models import OutgoingEmail

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
    try:
        deliver_outgoing_email.enqueue()
    except Exception:  # noqa: BLE001 - no task backend: cron's beian_send_email delivers later
        logger.exception("wagtail_beian: could not enqueue e-mail delivery; it stays queued")


def deliver_pending(now=None, limit=200):
    """Send what is due; return (sent, failed). Safe to run concurrently and repeatedly."""
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


@task()
def deliver_outgoing_email():
    """Send the queued e-mails that are due; failures stay queued for the next run."""
    sent, failed = deliver_pending()
    return {"sent": sent, "failed": failed}


def staff_addresses(perm):
    """The e-mail addresses of active staff who hold ``perm`` (through a group, directly, or as superuser)."""
    users = perms.staff_with_permission(perm).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def absolute_url(name, *args):
    """The link an e-mail gives to a named admin or portal view: ``WAGTAILADMIN_BASE_URL`` + path;
    empty when the site has not mounted that view (the portal, say)."""
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    try:
        return base + reverse(name, args=args)
    except NoReverseMatch:  # the site has not mounted the portal (or the admin)
        return ""
