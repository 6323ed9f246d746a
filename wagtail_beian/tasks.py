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


@task()
def run_import_job(job_id, action):
    """Check or import a large spreadsheet in the background (issue 6)."""
    from .models import ImportJob
    from .spreadsheets.jobs import check_job, import_job

    job = ImportJob.objects.get(pk=job_id)
    job = check_job(job) if action == "check" else import_job(job)
    return {"status": job.status, "counts": job.counts}


@task()
def purge_import_jobs(older_than_hours=24):
    """Delete old import jobs and their uploaded files (see spreadsheets.jobs.purge_jobs)."""
    from datetime import timedelta

    from .spreadsheets.jobs import purge_jobs

    return purge_jobs(timedelta(hours=older_than_hours)).as_dict()
