from django.core.management.base import BaseCommand

from wagtail_beian.deadlines import run_deadline_monitor


class Command(BaseCommand):
    help = (
        "E-mail staff and customers about ICP filings near or past their deadline (F04). "
        "Run from cron; idempotent: a notice is never sent twice. Quiet unless --verbosity 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent; write nothing")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        summary = run_deadline_monitor(dry_run=dry_run)
        if dry_run or verbosity >= 2:
            for address, subject, filings in summary.emails:
                self.stdout.write(f"{address}: {subject} (filings {', '.join(map(str, filings))})")
        if dry_run or verbosity >= 2 or (verbosity >= 1 and summary.emails):
            self.stdout.write(str(summary))
