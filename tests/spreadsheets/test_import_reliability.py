"""Import reliability on PostgreSQL (issue 7): concurrent imports and imports killed mid-way.

Two imports of files with overlapping domains, each in its own thread and database connection,
both checked (valid) before they write at the same moment: never a duplicate live domain (W02),
exactly one wins, the loser is refused with the conflict at its row and nothing of its file is
written. An import killed in the middle of its write (the ``beian_import`` process SIGKILLed,
or its connection terminated by the server) leaves every table as it was.
"""

import contextlib
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from wagtail.models import ModelLogEntry

from tests import factories
from tests.spreadsheets.sheets import filing_row, xlsx_bytes
from wagtail_beian.groups import setup_staff_groups
from wagtail_beian.models import Access, Filing, ImportJob, ImportStatus, Subject, Website
from wagtail_beian.spreadsheets import jobs
from wagtail_beian.spreadsheets.importing import ImportRefused, analyse, write
from wagtail_beian.spreadsheets.reading import read_table
from wagtail_beian.storage import private_storage

TRIALS = 20
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers and killed connections are tested on PostgreSQL (SQLite serialises all writes)")


@pytest.fixture
def importer():
    factories.UserFactory(username="customer-a")
    factories.UserFactory(username="customer-b")
    user = factories.StaffFactory(username="manager")
    user.groups.add(setup_staff_groups()[1])
    return user


def counts():
    return {
        "filings": Filing.objects.count(), "subjects": Subject.objects.count(),
        "websites": Website.objects.count(), "access": Access.objects.count(),
        "log": ModelLogEntry.objects.count(),
    }


def _sheet(n, domains, customer):
    """One organizer (number n) of ``customer`` with one row per domain."""
    rows = []
    for i, domain in enumerate(domains):
        rows.append(filing_row(n, 客户=customer, 网站名称=f"并发导入站点{n}-{i}", 网站域名=domain,
                               IP地址=f"101.{n % 200 + 1}.{i}.1"))
    return xlsx_bytes(rows)


def _race(user, files):
    """Check each file, then write them all at the same moment, each in its own thread/connection."""
    barrier = threading.Barrier(len(files))
    results = [None] * len(files)

    def worker(i, data):
        try:
            analysis = analyse(read_table(io.BytesIO(data)), user)
            assert analysis.is_valid, [(i.row, i.message) for r in analysis.rows for i in r.errors]
            barrier.wait(timeout=30)
            result = write(analysis, user)
            results[i] = ("ok", result)
        except ImportRefused as error:
            results[i] = ("refused", error)
        except Exception as error:  # noqa: BLE001 -- a crash is a result the test reports
            results[i] = ("crash", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, data)) for i, data in enumerate(files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_w02_concurrent_imports_with_overlapping_domains_never_duplicate_a_domain(importer):
    outcomes = {"won": 0, "refused_at_row": 0}
    for trial in range(TRIALS):
        shared = [f"shared-{trial}-a.cn", f"shared-{trial}-b.cn"]
        # The shared domains in opposite orders: the two writers meet them the other way round.
        first = _sheet(1000 + 2 * trial, [f"only-{trial}-x.cn", shared[0], shared[1]], "customer-a")
        second = _sheet(1001 + 2 * trial, [shared[1], f"only-{trial}-y.cn", shared[0]], "customer-b")
        before = counts()
        results = _race(importer, [first, second])
        assert sorted(r[0] for r in results) == ["ok", "refused"], (trial, results)
        winner = next(i for i, r in enumerate(results) if r[0] == "ok")
        error = next(r[1] for r in results if r[0] == "refused")
        # The conflict is reported at the loser's rows and cells of the shared domains.
        loser_rows = {0: {3, 4}, 1: {2, 4}}[1 - winner]
        at_rows = {(i.row, i.column) for i in error.issues}
        assert at_rows == {(row, "domain") for row in loser_rows}, (trial, error.message, at_rows)
        assert all(i.rule == "W02" and i.message for i in error.issues)
        assert "shared-" in error.message
        for domain in shared:
            assert Website.objects.filter(domain=domain, is_live=True).count() == 1
        # Nothing of the loser's file: only the winner's filing, three websites, one log entry.
        after = counts()
        assert {k: after[k] - before[k] for k in after} == {
            "filings": 1, "subjects": 1, "websites": 3, "access": 3, "log": 1,
        }, trial
        loser_only = f"only-{trial}-{'y' if winner == 0 else 'x'}.cn"
        assert not Website.objects.filter(domain=loser_only).exists()
        outcomes["won"] += 1
        outcomes["refused_at_row"] += 1
    assert outcomes == {"won": TRIALS, "refused_at_row": TRIALS}


def test_w02_domain_filed_by_another_writer_during_the_write_is_reported_at_its_row(importer):
    """Not an import (those wait for each other): a colleague files row 3's domain while the import
    writes. The database's W02 index stops the import; the job shows the conflict at the cell."""
    rows = [filing_row(1), filing_row(2), filing_row(3)]
    job = jobs.create_job(SimpleUploadedFile("filings.xlsx", xlsx_bytes(rows)), importer)
    assert jobs.check_job(job).status == ImportStatus.READY
    before = counts()
    colleague = {}
    inserted = threading.Event()

    def file_the_same_domain_meanwhile():
        try:
            with transaction.atomic():
                factories.WebsiteFactory(domain="import-2.cn")
                inserted.set()
                with connection.cursor() as cursor:
                    colleague["blocked"] = _wait_for_blocked_insert(cursor, Website)
        finally:  # commits: the import's INSERT, waiting on the W02 index, now fails
            connections.close_all()

    thread = threading.Thread(target=file_the_same_domain_meanwhile)
    thread.start()
    assert inserted.wait(60)
    # Not committed yet: the import's check and its re-check inside the transaction cannot see it.
    job = jobs.import_job(ImportJob.objects.get(pk=job.pk))
    thread.join(60)
    assert colleague.get("blocked"), "the import never waited on the colleague's domain"
    assert job.status == ImportStatus.FAILED
    assert "import-2.cn" in job.error  # the message names the cell; the report marks its row
    invalid = [r for r in job.report["rows"] if r["status"] == "invalid"]
    assert [(r["number"], [(i["column"], i["rule"]) for i in r["issues"]]) for r in invalid] == [(3, [("domain", "W02")])]
    # The report does not link rows to the filings the rolled-back write had inserted.
    assert [r["filing"] for r in job.report["rows"]] == [None, None, None]
    after = counts()
    assert {k: after[k] - before[k] for k in after} == {"filings": 1, "subjects": 1, "websites": 1, "access": 1, "log": 0}
    assert not Website.objects.filter(domain__in=["import-1.cn", "import-3.cn"]).exists()


# ------------------------------------------------------------------------- killed mid-way

#: The tables the write inserts into, in the order it does so.
WRITE_ORDER = [Filing, Subject, Website, Access, ModelLogEntry]


@contextlib.contextmanager
def _blocking_inserts_into(model):
    """Hold a SHARE lock on ``model``'s table: readers pass, the importer's INSERT waits right there."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN SHARE MODE")
        yield cursor


def _wait_for_blocked_insert(cursor, model, timeout=180):
    """The backend pid of the importer once it waits to INSERT into ``model`` (inside its transaction)."""
    table = model._meta.db_table
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND wait_event_type = 'Lock' AND xact_start IS NOT NULL AND query LIKE %s",
            [f'INSERT INTO "{table}"%'],
        )
        row = cursor.fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    raise AssertionError(f"the import never reached its INSERT into {table}")


def _wait_until_gone(pid, timeout=60):
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} still there")


def _child_env():
    db = connection.settings_dict
    return {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT),
        "BEIAN_DB_ENGINE": "postgresql", "BEIAN_DB_NAME": db["NAME"], "BEIAN_DB_USER": db["USER"],
        "BEIAN_DB_PASSWORD": db["PASSWORD"], "BEIAN_DB_HOST": db["HOST"], "BEIAN_DB_PORT": str(db["PORT"]),
    }


def _many_rows(count, n0=5000):
    rows = [filing_row(n0 + n) for n in range(count)]
    rows[1] = filing_row(n0, 网站名称="同一主办单位的第二个网站", 网站域名=f"second-{n0}.cn", IP地址="101.250.0.9")
    return xlsx_bytes(rows)


@pytest.mark.parametrize("model", WRITE_ORDER, ids=lambda m: m.__name__)
def test_beian_import_process_killed_mid_write_leaves_the_database_unchanged(model, importer, tmp_path):
    factories.FilingFactory(owner=factories.UserFactory(username="customer-a"))  # data that must survive
    sheet = tmp_path / "filings.xlsx"
    sheet.write_bytes(_many_rows(40))
    before = counts()
    with _blocking_inserts_into(model) as cursor:
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "sandbox" / "manage.py"), "beian_import", str(sheet), "--as-user", "manager"],
            cwd=ROOT, env=_child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        try:
            pid = _wait_for_blocked_insert(cursor, model)
        finally:
            child.send_signal(signal.SIGKILL)
            out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, (out, err)
    _wait_until_gone(pid)  # the server noticed the dead client and rolled its transaction back
    assert counts() == before
    assert not Website.objects.filter(domain__startswith="import-").exists()
    if model is WRITE_ORDER[-1]:
        # Killed at the last step: the same file then imports completely, nothing half-done in the way.
        done = subprocess.run(
            [sys.executable, str(ROOT / "sandbox" / "manage.py"), "beian_import", str(sheet), "--as-user", "manager"],
            check=False, cwd=ROOT, env=_child_env(), capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert Website.objects.filter(domain__startswith="import-").count() == 39


def test_import_job_whose_connection_is_terminated_mid_write_fails_cleanly(importer):
    """pg_terminate_backend during the write of an admin import job: nothing written, job FAILED."""
    job = jobs.create_job(SimpleUploadedFile("filings.xlsx", _many_rows(30)), importer)
    job = jobs.check_job(job)
    assert job.status == ImportStatus.READY, job.error
    before = counts()
    outcome = {}

    def run():
        try:
            outcome["job"] = jobs.import_job(ImportJob.objects.get(pk=job.pk))
        except Exception as error:  # noqa: BLE001 -- a crash is what the test looks for
            outcome["crash"] = repr(error)
        finally:
            connections.close_all()

    with _blocking_inserts_into(Website) as cursor:
        thread = threading.Thread(target=run)
        thread.start()
        pid = _wait_for_blocked_insert(cursor, Website)
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    thread.join(120)
    assert "crash" not in outcome, outcome
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error  # "… rolled back, nothing was imported …"
    assert counts() == before
    # The upload is kept (only a successful import deletes it), so the job's file can be imported again.
    assert private_storage().exists(job.file_name)
