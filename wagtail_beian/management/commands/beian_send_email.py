from django.core.management.base import BaseCommand

from wagtail_beian.notifications.outbox import deliver_pending


class Command(BaseCommand):
    help = "Send queued ICP-filing e-mails that are due (run from cron; safe to run often)."

    def handle(self, *args, **options):
        sent, failed = deliver_pending()
        self.stdout.write(f"sent {sent}, failed {failed}")
