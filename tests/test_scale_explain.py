"""Scale (PostgreSQL only): the listing's filters and searches use indexes, by EXPLAIN.

A few thousand filings are made with ``bulk_create`` (as bench/scale_bench.py does with 100 000),
the tables ANALYZEd and sequential scans discouraged (``enable_seqscan = off``) so the planner's
choice does not depend on the table size: a plan that still scans a table sequentially has no
index it could use.
"""

import datetime

import pytest
from django.db import connection

from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
ROWS = 3_000
MIDDLE = ROWS // 2 - (ROWS // 2) % 6 + 5  # an approved filing (see grow_to)


@pytest.fixture
def many_filings():
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are checked on PostgreSQL (SQLite has its own planner and no pg_trgm)")
    from bench.scale_bench import grow_to

    factories.FilingFactory()
    grow_to(ROWS)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")


def sequential_scans(term=None, **filters):
    from bench.scale_bench import explain

    _uses_index, seq = explain(term, **filters)
    return seq


@pytest.mark.parametrize("filters", [
    {"state": "submitted"},
    {"state__in": ["submitted", "returned"], "deadline_at__lt": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)},
    {"deadline_at__lt": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)},
    {"assigned_to_id": 1},
    {"subject__province__code": "11"},
], ids=["state", "state-and-deadline", "deadline", "assigned-clerk", "province"])
def test_listing_filters_use_an_index(many_filings, filters):
    assert sequential_scans(**filters) == []


SEARCHES = [
    ("organizer", f"规模测试科技有限公司{MIDDLE:06d}"),
    ("domain", f"scale{MIDDLE:06d}.cn"),
    ("filing-number", f"京ICP备{20000000 + MIDDLE:08d}号"),
    ("certificate", f"9111{MIDDLE:014d}"),
]


@pytest.mark.parametrize("term", [t for _label, t in SEARCHES], ids=[label for label, _t in SEARCHES])
def test_listing_searches_use_an_index(many_filings, term):
    assert sequential_scans(term) == []


def test_the_searches_find_their_filing(many_filings):
    """The terms above are real: each finds exactly the filing it names (so the plans are not of empty searches)."""
    from wagtail_beian.models import Filing
    from wagtail_beian.services.search import search_filings

    for label, term in SEARCHES:
        found = search_filings(Filing.objects.all(), term)
        assert found.count() == 1, label
