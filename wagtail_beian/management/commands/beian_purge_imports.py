"""``manage.py beian_purge_imports [--older-than HOURS] [--dry-run]``: housekeeping for spreadsheet imports."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from wagtail_beian.spreadsheets.jobs import DEFAULT_PURGE_AFTER, STALE_RUNNING, purge_jobs


class Command(BaseCommand):
    help = (
        "Delete spreadsheet import jobs older than --older-than hours (default 24) with their uploaded files: "
        "imported, refused and failed jobs and checks never confirmed; jobs still running only after "
        f"{STALE_RUNNING.days} days. Also deletes uploaded files of that age that belong to no job. Run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=float, metavar="HOURS", default=DEFAULT_PURGE_AFTER.total_seconds() / 3600,
            help="age in hours (default %(default)s)",
        )
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted; delete nothing")

    def handle(self, *args, older_than, dry_run=False, verbosity=1, **options):
        if not older_than > 0:
            raise CommandError("--older-than must be a positive number of hours.")
        result = purge_jobs(timedelta(hours=older_than), dry_run=dry_run)
        if verbosity >= 1:
            self.stdout.write(str(result))
