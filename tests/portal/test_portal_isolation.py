"""Every portal URL, enumerated from the resolver, as anonymous and as another customer: no data.

Customer B uses customer A's ids in every URL: each answer is 404 (or a redirect to login for
anonymous), never A's data, and nothing of A's changes — whatever the method.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from wagtail_beian.models import Document, Filing

pytestmark = pytest.mark.django_db
NAMESPACE = "wagtail_beian_portal"


def portal_patterns():
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == NAMESPACE and p.name:
                found.append((p.name, tuple(p.pattern.converters)))

    walk(get_resolver().url_patterns, None)
    return sorted(set(found))


PATTERNS = portal_patterns()
OBJECT_PATTERNS = [p for p in PATTERNS if p[1]]


def test_enumeration_finds_the_portal():
    names = {name for name, _ in PATTERNS}
    assert {"filing_list", "filing_detail", "filing_subject", "filing_documents", "filing_summary"} <= names


@pytest.fixture
def a_world(customer):
    filing = factories.FilingFactory(owner=customer)
    ids = {
        "pk": filing.pk, "website_pk": filing.websites.get().pk,
        "document_pk": Document.objects.filter(filing=filing).first().pk,
    }
    try:
        from tests.ticket_factories import TicketFactory

        ticket = TicketFactory(owner=customer)
        ids["ticket_pk"] = ticket.pk
        ids["message_pk"] = getattr(ticket.messages.first(), "pk", 1)
        ids["attachment_pk"] = 1
    except ImportError:
        pass
    from tests.claim_factories import approved_filing, make_claim

    claim = make_claim(customer, approved_filing(factories.UserFactory(username="kept-owner"), 901))
    ids["claim_pk"], ids["scan_pk"] = claim.pk, claim.scans.get().pk
    from tests.transfer_factories import moving_transfer

    ids["transfer_pk"] = moving_transfer(customer).pk
    return filing, ids


def url_of(name, converters, ids):
    kwargs = {}
    for conv in converters:
        kwargs[conv] = ids.get(conv, ids["pk"])
    return reverse(f"{NAMESPACE}:{name}", kwargs=kwargs)


@pytest.mark.parametrize("name,converters", PATTERNS, ids=[p[0] for p in PATTERNS])
def test_anonymous_is_sent_to_login(client, a_world, name, converters):
    path = url_of(name, converters, a_world[1])
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"], (path, response.status_code)
    response = client.post(path)
    # a GET-only view may refuse the method first; either way nothing is shown or done
    assert response.status_code == 405 or "login" in response.get("Location", ""), (path, response.status_code)


@pytest.mark.parametrize("name,converters", OBJECT_PATTERNS, ids=[p[0] for p in OBJECT_PATTERNS])
def test_other_customer_gets_404_and_changes_nothing(client, a_world, other_customer, name, converters):
    filing, ids = a_world
    before = (Filing.objects.get(pk=filing.pk).state, filing.subject.name, filing.websites.get().domain)
    client.force_login(other_customer)
    path = url_of(name, converters, ids)
    assert client.get(path).status_code == 404, path
    assert client.post(path).status_code in (404, 405), path
    filing = Filing.objects.get(pk=filing.pk)
    assert (filing.state, filing.subject.name, filing.websites.get().domain) == before
    assert Filing.objects.filter(amends=filing).count() == 0


def test_my_filings_lists_only_mine(client, a_world, other_customer):
    filing, _ids = a_world
    client.force_login(other_customer)
    page = client.get(reverse(f"{NAMESPACE}:filing_list")).content.decode()
    assert filing.subject.name not in page
