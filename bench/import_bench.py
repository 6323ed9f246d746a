"""Import benchmark (issue 6): 10 000 generated filing rows, three ways, in the same run.

    .venv/bin/python bench/import_bench.py [--rows 10000]

* ours      wagtail_beian.spreadsheets: read the xlsx, parse, normalise, R08/W02 in file and
            database, pre-flight, then bulk write with audit-log entries;
* (a)       django-import-export's default row-by-row ModelResource import of the same rows
            (model validation on, one Filing + Subject + Website + Access per row);
* (b)       a raw bulk_create floor: read the same xlsx, bulk_create the same objects, no checks.

All three start from the same xlsx bytes.

Each run happens in a transaction that is rolled back, on a throw-away SQLite database.
Prints seconds, rows/second, ratios, query counts and peak memory (tracemalloc, per run).
"""

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
DB = Path(tempfile.mkdtemp(prefix="beian-bench-")) / "bench.sqlite3"
os.environ["BEIAN_DB_ENGINE"] = "sqlite"


def setup_django():
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = str(DB)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_rows(count):
    from tests.spreadsheets.sheets import filing_row

    return [filing_row(n, 网站域名=f"bench-{n}.cn", IP地址=f"101.{200 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}")
            for n in range(count)]


def xlsx(rows):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        sheet.append([row[h] for h in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Rollback(Exception):
    pass


def measure(label, func):
    from django.db import connection, transaction

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def run():
        try:
            with connection.execute_wrapper(count), transaction.atomic():
                func()
                raise Rollback
        except Rollback:
            pass

    started = time.perf_counter()
    run()  # timed without tracemalloc, which slows Python code several times
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"label": label, "seconds": seconds, "queries": queries[0] // 2, "peak_mb": peak / 1048576}


def ours(data, user):
    from wagtail_beian.spreadsheets.importing import analyse, write
    from wagtail_beian.spreadsheets.reading import read_table

    analysis = analyse(read_table(io.BytesIO(data)), user)
    assert analysis.is_valid, [i.message for r in analysis.rows[:3] for i in r.errors]
    write(analysis, user)


def import_export_default(data, customer):
    import tablib
    from import_export import fields, resources, widgets

    from wagtail_beian.models import (
        Access,
        AccessMethod,
        CertificateType,
        Filing,
        OrganizerNature,
        Province,
        Subject,
        Website,
    )

    class SubjectRowResource(resources.ModelResource):
        """The straightforward ModelResource a developer would write: one subject row, then its site."""

        nature = fields.Field("nature", "主办单位性质", widgets.ForeignKeyWidget(OrganizerNature, "name"))
        certificate_type = fields.Field("certificate_type", "证件类型", widgets.ForeignKeyWidget(CertificateType, "name"))
        province = fields.Field("province", "省份", widgets.ForeignKeyWidget(Province, "name"))
        name = fields.Field("name", "主办单位名称")
        certificate_number = fields.Field("certificate_number", "证件号码")
        residence_address = fields.Field("residence_address", "证件住所")
        mailing_address = fields.Field("mailing_address", "通讯地址")

        class Meta:
            model = Subject
            fields = ("nature", "certificate_type", "province", "name", "certificate_number",
                      "residence_address", "mailing_address")
            import_id_fields = ("certificate_type", "certificate_number")
            clean_model_instances = True
            skip_unchanged = True

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            if not instance.filing_id:
                instance.filing = Filing.objects.create(owner=customer)

        def after_save_instance(self, instance, row, **kwargs):
            website = Website(filing=instance.filing, name=row["网站名称"], domain=row["网站域名"])
            website.full_clean(exclude=["filing"])
            website.save()
            Access.objects.create(website=website, method=AccessMethod.objects.get(name=row["接入方式"]),
                                  server_location=row["服务器放置地"], ip_addresses=row["IP地址"])

    dataset = tablib.Dataset().load(io.BytesIO(data).read(), format="xlsx")
    result = SubjectRowResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()


def bulk_floor(data, customer):
    """Read the same xlsx (openpyxl, read-only) and bulk_create the objects: no checks at all."""
    import openpyxl

    from wagtail_beian.models import (
        Access,
        AccessMethod,
        CertificateType,
        Filing,
        OrganizerNature,
        Province,
        Subject,
        Website,
    )

    nature = OrganizerNature.objects.get(name="企业")
    ctype = CertificateType.objects.get(code="uscc")
    province = Province.objects.get(code="11")
    method = AccessMethod.objects.get(code="cloud_server")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    values = workbook.worksheets[0].iter_rows(values_only=True)
    header = next(values)
    rows = [dict(zip(header, v, strict=False)) for v in values]
    filings = Filing.objects.bulk_create([Filing(owner=customer) for _ in rows], batch_size=2000)
    Subject.objects.bulk_create([
        Subject(filing=f, nature=nature, certificate_type=ctype, province=province, name=r["主办单位名称"],
                certificate_number=r["证件号码"], residence_address=r["证件住所"], mailing_address=r["通讯地址"])
        for f, r in zip(filings, rows, strict=True)], batch_size=2000)
    websites = Website.objects.bulk_create([
        Website(filing=f, name=r["网站名称"], domain=r["网站域名"], homepage="www." + r["网站域名"])
        for f, r in zip(filings, rows, strict=True)], batch_size=2000)
    Access.objects.bulk_create([
        Access(website=w, method=method, server_location=r["服务器放置地"], ip_addresses=r["IP地址"])
        for w, r in zip(websites, rows, strict=True)], batch_size=2000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    setup_django()
    from django.utils import translation

    from tests.factories import StaffFactory, UserFactory

    translation.activate("zh-hans")
    customer = UserFactory(username="customer-a")
    user = StaffFactory(username="bench", is_superuser=True)
    rows = make_rows(args.rows)
    data = xlsx(rows)
    print(f"{args.rows} rows, xlsx {len(data) / 1048576:.1f} MB, SQLite {DB}")
    results = [
        measure("ours (validation + conflicts + bulk write + log)", lambda: ours(data, user)),
        measure("(a) import-export ModelResource, row by row", lambda: import_export_default(data, customer)),
        measure("(b) raw bulk_create floor", lambda: bulk_floor(data, customer)),
    ]
    ours_s, a_s, b_s = (r["seconds"] for r in results)
    for r in results:
        print(f"{r['label']:<52} {r['seconds']:8.2f} s {args.rows / r['seconds']:9.0f} rows/s "
              f"{r['queries']:7d} queries  peak {r['peak_mb']:7.1f} MB")
    print(f"ours vs (a): {a_s / ours_s:.1f}× faster (target ≥ 5×)")
    print(f"ours vs (b): {ours_s / b_s:.1f}× the floor's time (target ≤ 4×)")
    print(f"peak memory of ours: {results[0]['peak_mb']:.0f} MB (target < 400 MB)")


if __name__ == "__main__":
    main()
