"""Export benchmark (issue 6): 100 000 website rows, four ways, measured in the same run.

    .venv/bin/python bench/export_bench.py [--rows 100000] [--websites-per-filing 2]

The rows (filings with subject, websites, access records and a service content each) are
generated once with bulk_create into a throw-away SQLite database. Then each way runs in its own
child process, so each peak memory is its own:

* ours csv   wagtail_beian.spreadsheets.exporting.iter_csv: every column of the sheet (code labels,
             many-to-many lists, escaping), chunked iterator, streamed to a file;
* ours xlsx  exporting.write_xlsx: the same rows, openpyxl write-only workbook, to a file;
* (a)        django-import-export's default ``ModelResource.export`` of the same rows (the scalar
             columns, by ``__`` paths, over a select_related queryset so it does not run 8 queries
             per row), then ``dataset.csv`` written to a file. Its ``access_records__...`` paths
             cross a reverse relation, which import-export leaves empty: it writes less than we do;
* (b)        the floor: ``csv.writer`` over one ``values_list`` join of the scalar columns (no
             many-to-many lists, no labels of choices, no escaping).

Prints seconds, rows/second, ratios to (a) and (b), query counts and peak RSS of each process.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["BEIAN_DB_ENGINE"] = "sqlite"

WAYS = ["ours_csv", "ours_xlsx", "import_export", "floor"]
LABELS = {
    "ours_csv": "ours, csv (streamed)",
    "ours_xlsx": "ours, xlsx (write-only)",
    "import_export": "(a) django-import-export Resource.export",
    "floor": "(b) csv.writer over values_list",
}


def setup_django(db_path, migrate=False):
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = str(db_path)
    settings.DEBUG = False
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


# --------------------------------------------------------------------------- generation


def generate(rows, per_filing):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from tests.factories import valid_resident_id, valid_uscc
    from wagtail_beian import models as m

    User = get_user_model()
    nature = m.OrganizerNature.objects.get(code="enterprise")
    uscc = m.CertificateType.objects.get(code="uscc")
    resident = m.CertificateType.objects.get(code="resident_id")
    province = m.Province.objects.get(code="11")
    method = m.AccessMethod.objects.order_by("pk").first()
    content = m.ServiceContent.objects.order_by("pk").first()
    filings_count = rows // per_filing
    now = timezone.now()
    batch = 5000
    with transaction.atomic():
        owners = User.objects.bulk_create([User(username=f"bench-customer-{i}", email=f"c{i}@example.com") for i in range(100)])
        for start in range(0, filings_count, batch):
            numbers = range(start, min(start + batch, filings_count))
            approved = [n % 2 == 0 for n in numbers]
            filings = m.Filing.objects.bulk_create([
                m.Filing(owner=owners[n % 100], state="approved" if ok else "draft", kind="new", created_at=now,
                         subject_number=f"京ICP备{2024000000 + n}号" if ok else "",
                         last_site_number=per_filing if ok else 0)
                for n, ok in zip(numbers, approved)
            ])
            m.Subject.objects.bulk_create([
                m.Subject(filing=f, nature=nature, name=f"北京基准测试科技有限公司{n}", certificate_type=uscc,
                          certificate_number=valid_uscc(n + 1), investor=f"北京基准测试科技有限公司{n}", province=province,
                          residence_address="北京市海淀区中关村大街27号", mailing_address="北京市海淀区中关村大街27号1101室",
                          responsible_name=f"李{n}", responsible_certificate_type=resident,
                          responsible_certificate_number=valid_resident_id(n), responsible_mobile=f"138{n:08d}",
                          responsible_email=f"owner{n}@example.com")
                for n, f in zip(numbers, filings)
            ])
            websites = m.Website.objects.bulk_create([
                m.Website(filing=f, name=f"示例技术文档{n}-{k}", domain=f"bench-{n}-{k}.cn", homepage=f"www.bench-{n}-{k}.cn",
                          site_number=(k + 1) if ok else None, sort_order=k, responsible_name=f"李{n}",
                          responsible_certificate_type=resident, responsible_certificate_number=valid_resident_id(n),
                          responsible_mobile=f"138{n:08d}", responsible_email=f"owner{n}@example.com")
                for n, f, ok in zip(numbers, filings, approved) for k in range(per_filing)
            ])
            m.Access.objects.bulk_create([
                m.Access(website=w, method=method, server_location="北京", ip_addresses=f"101.200.{i // 250 % 250}.{i % 250 + 1}")
                for i, w in enumerate(websites)
            ])
            m.Website.service_contents.through.objects.bulk_create([
                m.Website.service_contents.through(website_id=w.pk, servicecontent_id=content.pk) for w in websites
            ])
    return m.Website.objects.count()


# --------------------------------------------------------------------------- the four ways

SCALAR_PATHS = [
    "filing_id", "filing__owner__username", "filing__state", "filing__subject_number", "filing__created_at",
    "filing__subject__nature__name", "filing__subject__name", "filing__subject__certificate_type__name",
    "filing__subject__certificate_number", "filing__subject__investor", "filing__subject__province__name",
    "filing__subject__residence_address", "filing__subject__mailing_address", "filing__subject__mailing_address_note",
    "filing__subject__responsible_is_legal_representative", "filing__subject__responsible_name",
    "filing__subject__responsible_certificate_type__name", "filing__subject__responsible_certificate_number",
    "filing__subject__responsible_mobile", "filing__subject__responsible_landline", "filing__subject__responsible_email",
    "name", "domain", "homepage", "service_kind", "pre_approval_document_number", "domain_owner_is_organizer",
    "site_number", "responsible_name", "responsible_certificate_type__name", "responsible_certificate_number",
    "responsible_mobile", "responsible_landline", "responsible_email",
    "access_records__method__name", "access_records__server_location", "access_records__ip_addresses",
]


def run_ours_csv(out):
    from wagtail_beian.models import Filing
    from wagtail_beian.spreadsheets.exporting import iter_csv

    rows = [0]
    with open(out, "wb") as handle:
        handle.writelines(iter_csv(Filing.objects.order_by("pk"), mask_personal=False,
                              progress=lambda _f, r: rows.__setitem__(0, rows[0] + r)))
    return rows[0]


def run_ours_xlsx(out):
    from wagtail_beian.models import Filing
    from wagtail_beian.spreadsheets.exporting import write_xlsx

    with open(out, "wb") as handle:
        return write_xlsx(Filing.objects.order_by("pk"), handle, mask_personal=False)


def run_import_export(out):
    from import_export import resources

    from wagtail_beian.models import Website

    class WebsiteRowResource(resources.ModelResource):
        class Meta:
            model = Website
            fields = SCALAR_PATHS
            export_order = SCALAR_PATHS

    # select_related spares it one query per foreign key and row (8 per row by default)
    queryset = Website.objects.select_related(
        "filing__owner", "filing__subject__nature", "filing__subject__certificate_type", "filing__subject__province",
        "filing__subject__responsible_certificate_type", "responsible_certificate_type",
    ).order_by("filing_id", "sort_order", "pk")
    dataset = WebsiteRowResource().export(queryset=queryset)
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(dataset.csv)
    return len(dataset)


def run_floor(out):
    from wagtail_beian.models import Website

    rows = 0
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SCALAR_PATHS)
        for values in Website.objects.order_by("filing_id", "sort_order", "pk").values_list(*SCALAR_PATHS).iterator(2000):
            writer.writerow(values)
            rows += 1
    return rows


def child(way, db_path):
    """Run one way in this (fresh) process and print its figures as JSON."""
    setup_django(db_path)
    from django.db import connection

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    base = rss_mb()
    out = Path(tempfile.mkdtemp(prefix="beian-bench-out-")) / f"{way}.{'xlsx' if way == 'ours_xlsx' else 'csv'}"
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        rows = globals()[f"run_{way}"](out)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"way": way, "rows": rows, "seconds": seconds, "queries": queries[0], "peak_mb": peak,
                      "base_mb": base, "bytes": out.stat().st_size}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--websites-per-filing", type=int, default=2)
    parser.add_argument("--child", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db)
        return

    db_path = Path(tempfile.mkdtemp(prefix="beian-bench-")) / "export-bench.sqlite3"
    setup_django(db_path, migrate=True)
    started = time.perf_counter()
    rows = generate(args.rows, args.websites_per_filing)
    print(f"generated {rows} website rows ({rows // args.websites_per_filing} filings) with bulk_create "
          f"in {time.perf_counter() - started:.1f} s; SQLite, {db_path}")
    results = {}
    for way in WAYS:
        done = subprocess.run([sys.executable, __file__, "--child", way, "--db", str(db_path)],
                              check=True, capture_output=True, text=True)
        results[way] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[way]
        print(f"  {LABELS[way]:44} done: {r['rows']} rows in {r['seconds']:.1f} s", flush=True)

    floor, ie = results["floor"]["seconds"], results["import_export"]["seconds"]
    print()
    print(f"{'way':44} {'rows':>7} {'seconds':>8} {'rows/s':>8} {'÷ (b)':>6} {'÷ (a)':>6} {'queries':>8} {'peak RSS':>9} {'file':>8}")
    for way in WAYS:
        r = results[way]
        print(f"{LABELS[way]:44} {r['rows']:>7} {r['seconds']:>8.1f} {r['rows'] / r['seconds']:>8.0f} "
              f"{r['seconds'] / floor:>6.2f} {r['seconds'] / ie:>6.2f} {r['queries']:>8} "
              f"{r['peak_mb']:>6.0f} MB {r['bytes'] / 1048576:>5.1f} MB")
    print()
    print("÷ (b): time as a multiple of the floor; ÷ (a): of django-import-export's default export "
          "(below 1 = faster). Peak RSS is the whole process (Python, Django, SQLite cache), "
          f"about {results['floor']['base_mb']:.0f} MB of it before the export starts.")


if __name__ == "__main__":
    main()
