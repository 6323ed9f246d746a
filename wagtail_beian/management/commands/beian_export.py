"""``manage.py beian_export [-o FILE] [--format xlsx|csv] [--state S ...] [--kind K] [--province P]
[--nature N] [--deadline D] [--search TERM] [--as-user USERNAME] [--mask-personal-data]``.

The same sheet as the admin listing's export (one row per website), filtered with the listing's
own filters and search. Without ``-o`` a csv goes to stdout. A progress bar is drawn on stderr when
stderr is a terminal; the summary goes to stderr, so stdout holds only the file.
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from ...admin.filters import DEADLINE_CHOICES, FilingFilterSet
from ...admin.policies import staff_filings
from ...models import FilingKind, FilingState, OrganizerNature, Province
from ...services.search import search_filings
from ...spreadsheets import exporting


class Command(BaseCommand):
    help = "Export filings as an xlsx or csv spreadsheet (one row per website), filtered like the admin listing."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", default=None, help="File to write (default: stdout, csv only).")
        parser.add_argument("--format", choices=exporting.FORMATS, default=None,
                            help="xlsx or csv (default: from the file name, else csv).")
        parser.add_argument("--state", action="append", choices=[s.value for s in FilingState], default=[],
                            help="Only filings in this state (repeat for several).")
        parser.add_argument("--kind", choices=[k.value for k in FilingKind], default=None)
        parser.add_argument("--province", default=None, help="Province by code, name or abbreviation (11, 北京市, 京).")
        parser.add_argument("--nature", default=None, help="Organizer nature by code or name.")
        parser.add_argument("--deadline", choices=[c for c, _label in DEADLINE_CHOICES], default=None)
        parser.add_argument("--search", default="", help="What the listing's search box takes: name, number, domain.")
        parser.add_argument("--as-user", default=None,
                            help="Export what this user may see (default: the first active superuser).")
        parser.add_argument("--mask-personal-data", action="store_true",
                            help="Mask certificate numbers even if the user may see them.")
        parser.add_argument("--chunk-size", type=int, default=exporting.CHUNK_SIZE, help="Filings per database round.")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, **options):
        translation.activate(options["language"])
        user = self._user(options["as_user"])
        fmt = options["format"] or self._format_from_name(options["output"])
        filings = self._filings(user, options)
        mask = options["mask_personal_data"] or exporting.mask_personal_for(user)
        total = filings.count()
        progress = _Progress(self.stderr, total)
        started = time.monotonic()
        rows = 0

        def report(filings_done, rows_done):
            nonlocal rows
            rows += rows_done
            progress.advance(filings_done)

        kwargs = {"mask_personal": mask, "chunk_size": options["chunk_size"], "progress": report}
        target = options["output"]
        if fmt == exporting.XLSX:
            if target is None:
                if self._stdout_is_tty():
                    raise CommandError(_("An xlsx file is binary: give a file with -o, or use --format csv."))
                exporting.write_xlsx(filings, self._stdout_binary(), **kwargs)
            else:
                with open(target, "wb") as handle:
                    exporting.write_xlsx(filings, handle, **kwargs)
        elif target is None:
            out = self._stdout_binary()
            for chunk in exporting.iter_csv(filings, **kwargs):
                out.write(chunk)
            out.flush()
        else:
            with open(target, "wb") as handle:
                for chunk in exporting.iter_csv(filings, **kwargs):
                    handle.write(chunk)
        progress.finish()
        self.stderr.write(
            _("Exported %(rows)s rows (%(filings)s filings) as %(format)s to %(target)s in %(seconds).1f s%(masked)s.") % {
                "rows": rows, "filings": total, "format": fmt, "target": target or _("standard output"),
                "seconds": time.monotonic() - started,
                "masked": _("; certificate numbers masked") if mask else "",
            }
        )

    # ------------------------------------------------------------------ helpers
    def _user(self, name):
        User = get_user_model()
        if name:
            user = User.objects.filter(**{User.USERNAME_FIELD: name}).first()
            if user is None:
                raise CommandError(f"No user {name!r}.")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("No --as-user given and no active superuser to export as.")
        return user

    @staticmethod
    def _format_from_name(name):
        if name and Path(name).suffix.lower() == ".xlsx":
            return exporting.XLSX
        return exporting.CSV

    def _filings(self, user, options):
        """The listing's queryset for ``user`` with the listing's filters and search."""
        data = QueryDict(mutable=True)
        data.setlist("state", options["state"])
        for key in ("kind", "deadline"):
            if options[key]:
                data[key] = options[key]
        if options["province"]:
            data["province"] = self._code_pk(Province, options["province"], abbreviation=True)
        if options["nature"]:
            data["nature"] = self._code_pk(OrganizerNature, options["nature"])
        queryset = staff_filings(user).order_by("-created_at", "-pk")
        filters = FilingFilterSet(data=data, queryset=queryset)
        if not filters.is_valid():
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in filters.errors.items()))
        return search_filings(filters.qs, options["search"])

    @staticmethod
    def _code_pk(model, text, abbreviation=False):
        text = text.strip()
        query = Q(code=text) | Q(name=text)
        if abbreviation:
            query |= Q(abbreviation=text)
        found = model.objects.filter(query).values_list("pk", flat=True).first()
        if found is None:
            raise CommandError(_("Unknown %(what)s “%(value)s”.") % {"what": model._meta.verbose_name, "value": text})
        return str(found)

    def _stdout_binary(self):
        stream = getattr(self.stdout, "_out", self.stdout)
        return getattr(stream, "buffer", None) or _TextAsBinary(stream)

    def _stdout_is_tty(self):
        stream = getattr(self.stdout, "_out", self.stdout)
        return hasattr(stream, "isatty") and stream.isatty()


class _TextAsBinary:
    """A text stream (e.g. a StringIO in tests) behind the binary interface the writers use."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data):
        self.stream.write(data.decode("utf-8"))

    def flush(self):
        if hasattr(self.stream, "flush"):
            self.stream.flush()


class _Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 40

    def __init__(self, stderr, total):
        self.stream = getattr(stderr, "_out", stderr)
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty() and total > 0
        self.total = total
        self.done = 0

    def advance(self, count):
        self.done += count
        if self.enabled:
            filled = int(self.WIDTH * self.done / self.total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total}")
            self.stream.flush()

    def finish(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

