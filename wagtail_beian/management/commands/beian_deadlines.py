import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wagtail_beian.notifications.deadlines import run_deadline_monitor


def _moment(value):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at: expected an ISO date or date-time such as 2025-03-14T10:00, got {value!r}") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "E-mail staff and customers about ICP filings and access transfers near or past their deadline "
        "(F04, W05). Run from cron; idempotent: a notice is never sent twice. Quiet unless --verbosity 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent; write nothing")
        parser.add_argument(
            "--at", metavar="DATETIME",
            help="with --dry-run: what would be due at this moment (ISO date or date-time, local time)",
        )

    def handle(self, *args, dry_run=False, at=None, verbosity=1, **options):
        if at and not dry_run:
            raise CommandError("--at only goes with --dry-run: notices are sent at the moment they are due.")
        summary = run_deadline_monitor(now=_moment(at) if at else None, dry_run=dry_run)
        if dry_run or verbosity >= 2:
            for address, subject, items in summary.emails:
                self.stdout.write(f"{address}: {subject} (filings/transfers {', '.join(map(str, items))})")
        if dry_run or verbosity >= 2 or (verbosity >= 1 and summary.emails):
            self.stdout.write(str(summary))
