"""Background tasks (django-tasks, as Wagtail uses it)."""

from django_tasks import task


@task()
def deliver_outgoing_email():
    """Send the queued e-mails that are due; failures stay queued for the next run."""
    from .notifications import deliver_pending

    sent, failed = deliver_pending()
    return {"sent": sent, "failed": failed}
