"""Scale bench: the admin filing listing, search and filters with 100 000 filings on PostgreSQL.

    BEIAN_DB_ENGINE=postgresql BEIAN_DB_HOST=127.0.0.1 BEIAN_DB_PORT=54329 BEIAN_DB_USER=beian \
    BEIAN_DB_PASSWORD=beian BEIAN_DB_NAME=beian .venv/bin/python bench/scale_bench.py [--rows 100000]

Creates (and afterwards drops) the throw-away database ``test_<BEIAN_DB_NAME>``, fills it with
``bulk_create`` (copies of one complete factory-made filing with its subject and website), and for
each request prints the query count and the median render time at 1 000 filings (the baseline,
measured in the same run) and at ``--rows`` filings, with their ratio, plus PostgreSQL's EXPLAIN
verdict (index or sequential scan) for the search and filter querysets. Not a test: nothing here
asserts a time.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("BEIAN_DB_ENGINE", "postgresql")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

BASELINE_ROWS = 1_000
REPEAT = 5


def grow_to(total):
    """bulk_create copies of the template filing until there are ``total`` filings."""
    from wagtail_beian.models import Filing, Subject, Website

    template = Filing.objects.select_related("subject").order_by("pk").first()
    subject = template.subject
    website = template.websites.order_by("pk").first()
    states = ["draft", "submitted", "returned", "verified", "bureau_review", "approved"]
    start = Filing.objects.count()
    batch = 5_000
    for offset in range(start, total, batch):
        n = min(batch, total - offset)
        filings = []
        for i in range(offset, offset + n):
            fields = {k: v for k, v in vars(template).items() if not k.startswith("_") and k != "id"}
            fields["state"] = states[i % len(states)]  # protected FSM field: set once, at construction
            fields["subject_number"] = f"京ICP备{20000000 + i:08d}号" if fields["state"] == "approved" else ""
            f = Filing(**fields)
            filings.append(f)
        Filing.objects.bulk_create(filings)
        subjects, websites = [], []
        for i, f in zip(range(offset, offset + n), filings):
            s = Subject(**{k: v for k, v in vars(subject).items() if not k.startswith("_") and k not in ("id", "filing_id")})
            s.filing_id = f.pk
            s.name = f"规模测试科技有限公司{i:06d}"
            s.certificate_number = f"9111{i:014d}"
            subjects.append(s)
            w = Website(**{k: v for k, v in vars(website).items() if not k.startswith("_") and k not in ("id", "filing_id")})
            w.filing_id = f.pk
            w.domain = f"scale{i:06d}.cn"
            w.name = f"规模测试网站{i:06d}"
            websites.append(w)
        Subject.objects.bulk_create(subjects)
        Website.objects.bulk_create(websites)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def requests(n):
    """(label, url, GET params) of the listing, each search and each filter at ``n`` rows."""
    from wagtail_beian.models import Province

    province = Province.objects.get(code="11").pk
    i = n // 2 - (n // 2) % 6 + 5  # an approved one in the middle
    listing = reverse("wagtail_beian_filings:index")
    return [
        ("listing", listing, {}),
        ("search organizer", listing, {"q": f"规模测试科技有限公司{i:06d}"}),
        ("search domain", listing, {"q": f"scale{i:06d}.cn"}),
        ("search filing number", listing, {"q": f"京ICP备{20000000 + i:08d}号"}),
        ("search certificate", listing, {"q": f"9111{i:014d}"}),
        ("filter state", listing, {"state": "submitted"}),
        ("filter province", listing, {"province": province}),
        ("filter deadline", listing, {"deadline": "overdue"}),
    ]


def measure(client, url, params):
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, params)
            response.content  # noqa: B018  (rendered)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, params, response.status_code)
    return len(queries), statistics.median(times)


def explain(term=None, **filters):
    """EXPLAIN of the listing's main query for a search term or filter."""
    from wagtail_beian.models import Filing
    from wagtail_beian.services.search import search_filings

    queryset = Filing.objects.filter(**filters)
    if term:
        queryset = search_filings(queryset, term)
    plan = queryset.order_by("-created_at")[:20].explain()
    uses_index = "Index" in plan
    seq = [line.strip() for line in plan.splitlines() if "Seq Scan" in line]
    return uses_index, seq


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database (test_<name>) afterwards")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("scale_bench needs PostgreSQL: set BEIAN_DB_ENGINE=postgresql and the BEIAN_DB_* variables")

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        from django.contrib.auth import get_user_model

        from tests import factories

        factories.FilingFactory()
        root = get_user_model().objects.create_superuser("bench-root", "root@example.com", "x")
        client = Client()
        client.force_login(root)

        results = {}
        for size in (BASELINE_ROWS, args.rows):
            t0 = time.perf_counter()
            grow_to(size)
            print(f"# {size} filings ready in {time.perf_counter() - t0:.1f} s", flush=True)
            for label, url, params in requests(size):
                measure(client, url, params)  # warm up
                results[(label, size)] = measure(client, url, params)

        print(f"\n{'request':24} {'queries@1k':>10} {'queries@' + str(args.rows // 1000) + 'k':>12} "
              f"{'ms@1k':>8} {'ms@' + str(args.rows // 1000) + 'k':>9} {'ratio':>6}")
        for label, _url, _params in requests(args.rows):
            q1, t1 = results[(label, BASELINE_ROWS)]
            q2, t2 = results[(label, args.rows)]
            print(f"{label:24} {q1:>10} {q2:>12} {t1 * 1000:>8.1f} {t2 * 1000:>9.1f} {t2 / t1:>6.2f}")

        i = args.rows // 2 - (args.rows // 2) % 6 + 5
        print("\nEXPLAIN (main listing query, 20 rows):")
        for label, kwargs in [
            ("listing", {}),
            ("search organizer", {"term": f"规模测试科技有限公司{i:06d}"}),
            ("search domain", {"term": f"scale{i:06d}.cn"}),
            ("search filing number", {"term": f"京ICP备{20000000 + i:08d}号"}),
            ("search certificate", {"term": f"9111{i:014d}"}),
            ("filter state", {"state": "submitted"}),
            ("filter deadline", {"deadline_at__lt": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)}),
        ]:
            uses_index, seq = explain(**kwargs)
            verdict = "index" if uses_index and not seq else ("index + " if uses_index else "") + (
                "seq scan on " + ", ".join(sorted({s.split(" on ")[1].split()[0] for s in seq})) if seq else "")
            print(f"  {label:22} {verdict}")
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
