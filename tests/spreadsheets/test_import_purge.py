"""Housekeeping of spreadsheet imports: uploaded files live only as long as they are needed.

A successful import deletes its upload; refused and failed ones keep it (the job page can be shown
again) until ``beian_purge_imports`` / the ``purge_import_jobs`` task deletes old jobs and their
files. Real files in the (throw-away) private storage throughout.
"""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from tests.spreadsheets.sheets import filing_row, xlsx_bytes
from wagtail_beian.models import Filing, ImportJob, ImportStatus
from wagtail_beian.spreadsheets import jobs
from wagtail_beian.storage import private_storage

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _job(manager, rows=None, *, status=None, age_hours=0):
    upload = SimpleUploadedFile("filings.xlsx", xlsx_bytes(rows or [filing_row(1)]))
    job = jobs.create_job(upload, manager)
    fields = {"created_at": NOW - datetime.timedelta(hours=age_hours)}
    if status:
        fields["status"] = status
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def _exists(job):
    return private_storage().exists(job.file_name)


def _orphan(age_hours):
    storage = private_storage()
    name = storage.save(f"{jobs.UPLOAD_DIR}/orphan.upload", io.BytesIO(b"interrupted upload"))
    moment = (NOW - datetime.timedelta(hours=age_hours)).timestamp()
    os.utime(storage.path(name), (moment, moment))
    return name


def test_upload_is_deleted_after_a_successful_import_and_kept_otherwise(customer, manager,
                                                                         django_capture_on_commit_callbacks):
    good = _job(manager)
    bad = _job(manager, [filing_row(2, 省份="火星")])
    assert _exists(good) and _exists(bad)
    assert jobs.check_job(good).status == ImportStatus.READY
    assert jobs.check_job(bad).status == ImportStatus.INVALID
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.import_job(good).status == ImportStatus.DONE
    assert Filing.objects.count() == 1
    assert not _exists(good)
    assert _exists(bad)  # the refused check can still be looked at; the purge deletes it later


def test_purge_deletes_old_finished_refused_and_unconfirmed_jobs_with_their_files(customer, manager):
    old = {status: _job(manager, status=status, age_hours=30) for status in (
        ImportStatus.READY, ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.DONE)}
    recent = _job(manager, status=ImportStatus.READY, age_hours=2)
    running = _job(manager, status=ImportStatus.IMPORTING, age_hours=30)  # a big background import
    stale = _job(manager, status=ImportStatus.CHECKING, age_hours=8 * 24)  # its worker died
    private_storage().delete(old[ImportStatus.DONE].file_name)  # deleted when it was imported
    old_orphan, new_orphan = _orphan(30), _orphan(1)

    dry = jobs.purge_jobs(datetime.timedelta(hours=24), dry_run=True)
    assert dry.as_dict() == {"jobs": 5, "files": 4, "orphan_files": 1}
    assert ImportJob.objects.count() == 7 and private_storage().exists(old_orphan)

    result = jobs.purge_jobs(datetime.timedelta(hours=24))
    assert result.as_dict() == dry.as_dict()
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    for job in [*old.values(), stale]:
        assert not _exists(job)
    assert _exists(recent) and _exists(running)
    assert not private_storage().exists(old_orphan) and private_storage().exists(new_orphan)
    assert jobs.purge_jobs(datetime.timedelta(hours=24)).as_dict() == {"jobs": 0, "files": 0, "orphan_files": 0}


def test_purge_command_and_task(customer, manager):
    from wagtail_beian.spreadsheets.jobs import purge_import_jobs

    first = _job(manager, status=ImportStatus.FAILED, age_hours=5)
    second = _job(manager, status=ImportStatus.READY, age_hours=50)
    out = io.StringIO()
    with translation.override("en"):
        call_command("beian_purge_imports", "--older-than", "6", "--dry-run", stdout=out)
    assert out.getvalue() == (
        "Dry run: 1 import jobs and 1 uploaded files (0 without a job) would be deleted.\n")
    assert ImportJob.objects.count() == 2 and _exists(second)
    call_command("beian_purge_imports", "--older-than", "4", stdout=out)
    assert not ImportJob.objects.exists() and not _exists(first) and not _exists(second)
    with pytest.raises(CommandError):
        call_command("beian_purge_imports", "--older-than", "0")
    third = _job(manager, status=ImportStatus.INVALID, age_hours=30)
    assert purge_import_jobs.enqueue().return_value == {"jobs": 1, "files": 1, "orphan_files": 0}
    assert not _exists(third)


def test_confirming_a_check_whose_file_was_purged_meanwhile_says_upload_again(client, customer, manager):
    """Found by tests/test_forms_sent_back.py: the confirm form, sent after the purge, answered 500."""
    job = _job(manager)
    assert jobs.check_job(job).status == ImportStatus.READY
    private_storage().delete(job.file_name)  # the purge ran while the preview was open
    with translation.override("zh-hans"):
        job = jobs.import_job(job)
    assert job.status == ImportStatus.FAILED and "请重新上传" in job.error
    assert Filing.objects.count() == 0
