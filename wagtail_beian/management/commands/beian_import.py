"""``manage.py beian_import FILE [--dry-run] [--as-user USERNAME] [--customer USERNAME] [--take-states]``.

Checks every row and writes nothing unless all rows are valid (then all in one transaction).
Exit status: 0 imported (or dry run without invalid rows), 1 invalid rows or refused file.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ...spreadsheets.importing import INVALID, ImportRefused, analyse, write
from ...spreadsheets.importing import STATUS_LABELS as STATUS_WORDS
from ...spreadsheets.reading import SpreadsheetRefused, read_table


class Command(BaseCommand):
    help = "Import filings from an xlsx or csv spreadsheet (one row per website)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--as-user", default=None, help="Import as this user (permissions and audit log).")
        parser.add_argument("--customer", default=None, help="Customer of rows without a customer column value.")
        parser.add_argument("--take-states", action="store_true",
                            help="Take the state of new filings from the sheet (needs the bureau-decision permission).")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, **options):
        translation.activate(options["language"])
        User = get_user_model()
        user = self._user(User, options["as_user"]) if options["as_user"] else None
        if user is None:
            user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if user is None:
                raise CommandError("No --as-user given and no active superuser to import as.")
        customer = self._user(User, options["customer"]) if options["customer"] else None
        try:
            with open(options["file"], "rb") as handle:
                table = read_table(handle)
            analysis = analyse(table, user, default_owner=customer, take_states=options["take_states"],
                               progress=self._progress_bar())
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['file']}") from None
        except (SpreadsheetRefused, ImportRefused) as error:
            self.stderr.write(error.message)
            sys.exit(1)
        self._end_progress()
        for notice in analysis.notices:
            self.stdout.write(str(notice))
        for row in analysis.rows:
            for issue in row.issues:
                where = _("Row %(row)s") % {"row": row.number} + (f" [{issue.header}]" if issue.header else "")
                value = f" “{issue.value}”" if issue.value else ""
                level = _("error") if issue.severity == "error" else _("warning")
                self.stdout.write(f"{where}{value} {level}: {issue.message} {issue.suggestion}".rstrip())
        counts = analysis.counts
        summary = ", ".join(f"{STATUS_WORDS[k]} {v}" for k, v in counts.items())
        self.stdout.write(_("%(rows)s rows: %(summary)s (empty rows skipped: %(empty)s)") % {
            "rows": len(analysis.rows), "summary": summary, "empty": analysis.skipped_empty_rows})
        if counts[INVALID]:
            self.stderr.write(_("Some rows are invalid; nothing was written."))
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        try:
            result = write(analysis, user)
        except ImportRefused as error:
            self.stderr.write(error.message)
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(
            _("Imported: %(created)s filings created, %(updated)s updated, %(unchanged)s rows unchanged.") % {
                "created": len(result.created), "updated": len(result.updated), "unchanged": result.unchanged}
        ))

    def _user(self, User, name):
        user = User.objects.filter(**{User.USERNAME_FIELD: name}).first()
        if user is None:
            raise CommandError(f"No user {name!r}.")
        return user

    def _progress_bar(self):
        stream = getattr(self.stdout, "_out", self.stdout)
        self._tty = hasattr(stream, "isatty") and stream.isatty()
        if not self._tty:
            return None

        def report(done, total):
            width = 40
            filled = int(width * done / total) if total else width
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            stream.flush()

        return report

    def _end_progress(self):
        if getattr(self, "_tty", False):
            self.stdout.write("")
