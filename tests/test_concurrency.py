"""Concurrency on PostgreSQL: two colleagues act on one filing at once → exactly one wins."""

import threading

import pytest
from django.db import connection, connections
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.exceptions import ConcurrentChange, TransitionNotAllowed
from wagtail_beian.models import Filing, FilingReason, FilingState
from wagtail_beian.services.workflow import Reason, perform_transition

TRIALS = 100  # issue 7: 0 lost updates over 100 trials
REASON = [Reason("subject.name", "主办单位名称与证件不一致", "按营业执照填写")]


def _race(filing_pk, actions):
    """Run each (transition, user, kwargs) in its own thread and connection, started together."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def worker(i, name, user, kwargs):
        try:
            seen = Filing.objects.get(pk=filing_pk)
            barrier.wait(timeout=10)
            perform_transition(seen, name, user, expected_state=seen.state, **kwargs)
            results[i] = ("ok", name)
        except (ConcurrentChange, TransitionNotAllowed) as error:
            results[i] = ("refused", str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, *a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_conflicting_transitions_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (SQLite serialises all writes)")
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    lost = 0
    for trial in range(TRIALS):
        filing = factories.FilingFactory()
        filing = perform_transition(filing, "submit", filing.owner)
        results = _race(filing.pk, [
            ("verify", root, {}),
            ("return_to_customer", root, {"reasons": REASON}),
            ("verify", root, {}),  # the same click twice (two tabs): still exactly one transition
        ])
        winners = [r[1] for r in results if r and r[0] == "ok"]
        refused = [r[1] for r in results if r and r[0] == "refused"]
        assert len(winners) == 1 and len(refused) == 2, (trial, results)
        assert all(refused)  # every loser gets a message to show
        state = Filing.objects.get(pk=filing.pk).state
        expected = {"verify": FilingState.VERIFIED, "return_to_customer": FilingState.RETURNED}[winners[0]]
        lost += state != expected
        logged = ModelLogEntry.objects.for_instance(filing).exclude(action="wagtail_beian.submit").count()
        assert logged == 1
        assert FilingReason.objects.filter(filing=filing).exists() == (winners[0] == "return_to_customer")
    assert lost == 0
