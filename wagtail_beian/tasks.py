"""Background tasks (django-tasks, as Wagtail uses it)."""

from django_tasks import task


@task()
def deliver_outgoing_email():
    """Send the queued e-mails that are due; failures stay queued for the next run."""
    from .notifications import deliver_pending

    sent, failed = deliver_pending()
    return {"sent": sent, "failed": failed}


@task()
def check_deadlines():
    """Send the deadline digests (F04) not sent yet; idempotent, see wagtail_beian.deadlines."""
    from .deadlines import run_deadline_monitor

    return run_deadline_monitor().as_dict()
