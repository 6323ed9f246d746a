"""An access transfer's running deadlines (F04, W05) shown to staff and to the customer.

Admin listing and detail, portal list and detail: each running deadline of the transfer
(``deadlines.transfer_deadlines``: provider 5, bureau 20, W05 7 working days) in the words of
``services.status.describe_deadline``, overdue ones emphasised; none once the transfer has ended.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.transfer_factories import moving_transfer
from wagtail_beian.services.deadlines import transfer_deadlines
from wagtail_beian.models import AccessTransfer
from wagtail_beian.services.status import describe_deadline, transfer_deadline_text
from wagtail_beian.services.workflow import perform_transition

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::wagtail_beian.rules.workdays.WorkdayFallbackWarning"),
]

ADMIN_INDEX = reverse("wagtail_beian_transfers:index")
PORTAL_LIST = reverse("wagtail_beian_portal:transfer_list")


def admin_detail(transfer):
    return reverse("wagtail_beian_transfers:inspect", args=[transfer.pk])


def portal_detail(transfer):
    return reverse("wagtail_beian_portal:transfer_detail", args=[transfer.pk])


def new_website_transfer(owner, days_ago=0, state="requested", n=0):
    """W05: an existing subject adds a website here, requested ``days_ago`` calendar days ago."""
    transfer = AccessTransfer.objects.create(
        owner=owner, direction="incoming_new_website", filing_number="京ICP备17042306号",
        organizer_name=f"北京转入科技有限公司{n}", new_domain=f"new-site-{n}.cn",
    )
    AccessTransfer.objects.filter(pk=transfer.pk).update(
        state=state, created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    return AccessTransfer.objects.get(pk=transfer.pk)


def texts(transfer):
    """{kind: (text, overdue)} as the views must show them."""
    now = timezone.now()
    return {kind: (str(describe_deadline(kind, due, now)), due < now) for kind, due in transfer_deadlines(transfer)}


def shown(html, kind):
    """The text of the deadline item ``kind`` in a page, or None."""
    import re

    match = re.search(rf'data-deadline="{kind}">(.*?)</(?:li|span)>', html, re.DOTALL)
    return match.group(1) if match else None


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


# ----------------------------------------------------------------------------- admin


def test_w05_admin_detail_shows_provider_and_w05_deadlines_overdue_emphasised(clerk_client, customer):
    late = new_website_transfer(customer, days_ago=30)
    expected = texts(late)
    assert set(expected) == {"provider", "website"} and all(overdue for _t, overdue in expected.values())
    html = clerk_client.get(admin_detail(late)).content.decode()
    for kind, (text, _overdue) in expected.items():
        assert shown(html, kind) == f"<strong>{escape(text)}</strong>", kind

    fresh = new_website_transfer(customer, n=1)
    html = clerk_client.get(admin_detail(fresh)).content.decode()
    provider, _ = texts(fresh)["provider"]
    assert shown(html, "provider") == escape(provider)  # not overdue: not emphasised
    assert "5" in provider and shown(html, "bureau") is None


def test_f04_admin_detail_shows_the_bureau_deadline_after_submission_and_none_once_ended(
    clerk_client, customer, clerk, manager
):
    transfer = perform_transition(moving_transfer(customer), "verify", clerk)
    html = clerk_client.get(admin_detail(transfer)).content.decode()
    assert 'data-deadline="' not in html  # verified, not yet at the bureau: no deadline of its own runs
    transfer = perform_transition(transfer, "submit_to_bureau", manager)
    html = clerk_client.get(admin_detail(transfer)).content.decode()
    bureau, overdue = texts(transfer)["bureau"]
    assert shown(html, "bureau") == escape(bureau) and not overdue and "20" in bureau
    transfer = perform_transition(transfer, "complete", manager)
    assert 'data-deadline="' not in clerk_client.get(admin_detail(transfer)).content.decode()


def test_w05_admin_listing_has_a_deadline_column(clerk_client, customer):
    late = new_website_transfer(customer, days_ago=30)
    done = new_website_transfer(customer, days_ago=30, state="completed", n=1)
    response = clerk_client.get(ADMIN_INDEX)
    html = response.content.decode()
    assert transfer_deadline_text(late) and escape(transfer_deadline_text(late)) in html
    assert transfer_deadline_text(done) == ""
    assert "；" in transfer_deadline_text(late)  # provider and W05 side by side


def test_f04_admin_listing_query_count_does_not_grow_with_deadlines(
    clerk_client, customer, django_assert_max_num_queries
):
    for n in range(3):
        new_website_transfer(customer, days_ago=n * 4, n=n)
    clerk_client.get(ADMIN_INDEX)  # warm-up
    with django_assert_max_num_queries(40) as small:
        assert clerk_client.get(ADMIN_INDEX).status_code == 200
    for n in range(3, 33):
        new_website_transfer(customer, days_ago=n % 12, n=n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = clerk_client.get(ADMIN_INDEX)
    assert response.content.decode().count('data-deadline') == 0  # listing: one text per row
    assert sum(escape(transfer_deadline_text(t)) in response.content.decode()
               for t in AccessTransfer.objects.all()) == 33


# ----------------------------------------------------------------------------- portal


def test_w05_portal_list_and_detail_show_the_deadlines(client, customer, other_customer):
    late = new_website_transfer(customer, days_ago=30)
    refused = new_website_transfer(customer, days_ago=30, state="refused", n=1)
    theirs = new_website_transfer(other_customer, days_ago=2, n=2)
    client.force_login(customer)
    listing = client.get(PORTAL_LIST).content.decode()
    for kind, (text, _overdue) in texts(late).items():
        assert f"<strong>{escape(text)}</strong>" in listing, kind
    assert theirs.new_domain not in listing and listing.count('data-deadline="') == 2  # refused: none
    detail = client.get(portal_detail(late)).content.decode()
    assert shown(detail, "website") == f"<strong>{escape(texts(late)['website'][0])}</strong>"
    assert 'data-deadline="' not in client.get(portal_detail(refused)).content.decode()


def test_f04_portal_list_query_count_does_not_grow_with_deadlines(client, customer, django_assert_max_num_queries):
    client.force_login(customer)
    for n in range(2):
        new_website_transfer(customer, days_ago=n * 5, n=n)
    client.get(PORTAL_LIST)  # warm-up
    with django_assert_max_num_queries(30) as small:
        assert client.get(PORTAL_LIST).status_code == 200
    for n in range(2, 32):
        new_website_transfer(customer, days_ago=n % 12, n=n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(PORTAL_LIST).content.decode()
    assert html.count('data-deadline="provider"') == 32
