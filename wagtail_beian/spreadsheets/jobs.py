"""Import jobs: an uploaded file kept in the private storage, checked, then imported.

The admin and the background task go through :func:`check_job` and :func:`import_job`; the file
is found by the job's server-side ``file_name`` only. A job is signed into the confirm form
(:func:`sign_job` / :func:`unsign_job`), so a client can neither name a file nor another job.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ..models import ImportJob, ImportStatus
from ..storage import private_storage
from .importing import ImportRefused, analyse, write
from .reading import SpreadsheetRefused, read_table

SALT = "wagtail_beian.import"
DEFAULT_SYNC_MAX_ROWS = 2000
DEFAULT_SYNC_MAX_BYTES = 1024 * 1024
SIGNATURE_MAX_AGE = 24 * 3600
#: Default age after which import jobs and their files are purged: a check older than this can no
#: longer be confirmed anyway (the confirm form's signature expires after SIGNATURE_MAX_AGE).
DEFAULT_PURGE_AFTER = timedelta(seconds=SIGNATURE_MAX_AGE)
#: A job still "checking" or "importing" after this long lost its worker; it is purged too.
STALE_RUNNING = timedelta(days=7)
UPLOAD_DIR = "imports"


def sync_max_rows():
    return getattr(settings, "WAGTAIL_BEIAN_IMPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS)


def sync_max_bytes():
    return getattr(settings, "WAGTAIL_BEIAN_IMPORT_SYNC_MAX_BYTES", DEFAULT_SYNC_MAX_BYTES)


def create_job(uploaded, user, *, default_owner=None, take_states=False):
    """Store the upload under a random name in the private storage and record the job."""
    name = private_storage().save(f"{UPLOAD_DIR}/{secrets.token_hex(16)}.upload", ContentFile(uploaded.read()))
    return ImportJob.objects.create(
        created_by=user, original_name=(uploaded.name or "")[:255], file_name=name,
        file_size=uploaded.size or 0, default_owner=default_owner, take_states=take_states,
        background=(uploaded.size or 0) > sync_max_bytes(),
    )


def sign_job(job):
    return signing.dumps({"job": job.pk, "user": job.created_by_id}, salt=SALT)


def unsign_job(value, user):
    """The job a signed value names, if it was signed for ``user`` and is recent; else None."""
    try:
        data = signing.loads(value, salt=SALT, max_age=SIGNATURE_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk:
        return None
    return ImportJob.objects.filter(pk=data.get("job"), created_by=user).first()


def _progress(job):
    def report(done, total):
        ImportJob.objects.filter(pk=job.pk).update(progress=done, total=total)

    return report


def _load(job):
    try:
        handle = private_storage().open(job.file_name, "rb")
    except FileNotFoundError:
        # purged (purge_imports) or imported from another tab meanwhile: say so, never a server error
        raise SpreadsheetRefused(_("The uploaded file is no longer kept: upload it again.")) from None
    with handle:
        return read_table(handle)


def _finish(job, status, **fields):
    for name, value in fields.items():
        setattr(job, name, value)
    job.status = status
    job.finished_at = timezone.now()
    job.save()
    return job


def check_job(job):
    """Check (preview) the job's file; nothing is written but the job's report."""
    user = job.created_by
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    try:
        table = _load(job)
        job.total = len(table.rows)
        if job.total > sync_max_rows():
            job.background = True
        analysis = analyse(table, user, default_owner=job.default_owner, take_states=job.take_states,
                           progress=_progress(job))
    except (SpreadsheetRefused, ImportRefused) as error:
        return _finish(job, ImportStatus.INVALID, error=error.message, report={})
    report = analysis.report()
    status = ImportStatus.READY if analysis.is_valid else ImportStatus.INVALID
    return _finish(job, status, report=report, counts=report["counts"], progress=job.total, error="")


def import_job(job):
    """Check the file again (the database may have changed) and write it all or nothing."""
    user = get_user_model().objects.get(pk=job.created_by_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING, progress=0)
    try:
        table = _load(job)
        analysis = analyse(table, user, default_owner=job.default_owner, take_states=job.take_states,
                           progress=_progress(job))
        if not analysis.is_valid:
            report = analysis.report()
            return _finish(job, ImportStatus.FAILED, report=report, counts=report["counts"],
                           error=_("Some rows became invalid since the check; nothing was imported."))
        result = write(analysis, user)
    except ImportRefused as error:
        # Rows filed by someone else since the check are marked invalid: show them at their cells.
        report = analysis.report() if error.issues else {}
        return _finish(job, ImportStatus.FAILED, error=error.message, report=report,
                       counts=report.get("counts", job.counts))
    except SpreadsheetRefused as error:
        return _finish(job, ImportStatus.FAILED, error=error.message)
    except DatabaseError:
        # e.g. the connection was terminated mid-write: the server rolled the transaction back.
        # Record the failure on a fresh connection instead of leaving the job "importing" for ever.
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        return _finish(job, ImportStatus.FAILED, error=_(
            "The import was interrupted by a database error before it completed; it was rolled back and "
            "nothing was imported. Import the file again."))
    report = analysis.report(max_rows=0)
    job = _finish(job, ImportStatus.DONE, report=report, counts=report["counts"], progress=job.total,
                  created_filings=result.created, updated_filings=result.updated)
    transaction.on_commit(lambda: private_storage().delete(job.file_name))
    return job


def enqueue(job, action):
    """Run ``action`` ("check" or "import") now, or as a background task for large files."""
    if job.background:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.CHECKING if action == "check" else ImportStatus.IMPORTING
        )
        run_import_job.enqueue(job.pk, action)
        job.refresh_from_db()
        return job
    return check_job(job) if action == "check" else import_job(job)


@dataclass
class PurgeResult:
    jobs: int = 0
    files: int = 0
    orphan_files: int = 0
    dry_run: bool = False

    def __str__(self):
        numbers = {"jobs": self.jobs, "files": self.files + self.orphan_files, "orphans": self.orphan_files}
        if self.dry_run:
            return _("Dry run: %(jobs)s import jobs and %(files)s uploaded files (%(orphans)s without a job) "
                     "would be deleted.") % numbers
        return _("%(jobs)s import jobs and %(files)s uploaded files (%(orphans)s without a job) deleted.") % numbers

    def as_dict(self):
        return {"jobs": self.jobs, "files": self.files, "orphan_files": self.orphan_files}


def purge_jobs(older_than=DEFAULT_PURGE_AFTER, *, now=None, dry_run=False):
    """Delete import jobs created more than ``older_than`` ago, with their uploaded files.

    That is every finished job (imported, refused, failed) and every check never confirmed; jobs
    still checking or importing only once they are older than STALE_RUNNING (their worker died).
    Their reports hold the cells of the sheet (personal data), so they are not kept for ever; the
    audit log keeps what each import created and updated. Uploaded files in the import folder that
    belong to no job (an upload interrupted before its job was recorded) and are as old go too.
    """
    if older_than <= timedelta(0):
        raise ValueError("older_than must be positive")
    now = now or timezone.now()
    running = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.IMPORTING)
    old = ImportJob.objects.filter(created_at__lt=now - older_than)
    old = old.exclude(status__in=running, created_at__gte=now - max(older_than, STALE_RUNNING))
    storage = private_storage()
    result = PurgeResult(dry_run=dry_run)
    pks = []
    for pk, name in old.values_list("pk", "file_name").iterator():
        if name and storage.exists(name):
            result.files += 1
            if not dry_run:
                storage.delete(name)  # the file first: a job row without its file is harmless
        pks.append(pk)
    result.jobs = len(pks)
    if not dry_run:
        for start in range(0, len(pks), 1000):
            ImportJob.objects.filter(pk__in=pks[start:start + 1000]).delete()
    result.orphan_files = _purge_orphan_files(storage, now - older_than, dry_run)
    return result


def _purge_orphan_files(storage, before, dry_run):
    try:
        _dirs, names = storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return 0
    paths = {f"{UPLOAD_DIR}/{name}" for name in names}
    known = set(ImportJob.objects.filter(file_name__in=paths).values_list("file_name", flat=True))
    count = 0
    for path in sorted(paths - known):
        if storage.get_modified_time(path) < before:
            count += 1
            if not dry_run:
                storage.delete(path)
    return count


# --- background tasks (django-tasks, as Wagtail uses it) -------------------------------------------


@task()
def run_import_job(job_id, action):
    """Check or import a large spreadsheet in the background."""
    job = ImportJob.objects.get(pk=job_id)
    job = check_job(job) if action == "check" else import_job(job)
    return {"status": job.status, "counts": job.counts}


@task()
def purge_import_jobs(older_than_hours=24):
    """Delete old import jobs and their uploaded files (see :func:`purge_jobs`)."""
    return purge_jobs(timedelta(hours=older_than_hours)).as_dict()
