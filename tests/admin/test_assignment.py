"""Assigning filings to clerks (经办人): one logged service behind the single and the bulk action."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from tests.admin.test_filing_admin import submitted, text
from wagtail_beian.models import Filing

pytestmark = pytest.mark.django_db


def assign_url(filing):
    return reverse("wagtail_beian_filings:edit", args=[filing.pk])  # Wagtail's "edit" is the assignment


def test_the_filing_has_no_generic_edit_form_and_sending_it_back_unchanged_is_harmless(client, customer, clerk):
    filing = submitted(customer)
    client.force_login(clerk)
    page = client.get(assign_url(filing))
    assert page.status_code == 200
    html = page.content.decode()
    for raw in ('name="state"', 'name="owner"', 'name="deadline_at"', 'name="submitted_at"'):
        assert raw not in html
    assert client.post(assign_url(filing), {"clerk": ""}).status_code == 302  # as served: unassigned
    assert Filing.objects.get(pk=filing.pk).assigned_to is None
    assert not ModelLogEntry.objects.filter(action="wagtail_beian.assign").exists()  # nothing changed


def test_only_clerks_can_be_chosen_and_the_clerk_is_told_with_a_link(
    client, customer, clerk, manager, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://beian.example.com"
    filing = submitted(customer)
    client.force_login(manager)
    page = client.get(assign_url(filing)).content.decode()
    assert f'value="{clerk.pk}"' in page and f'value="{customer.pk}"' not in page
    response = client.post(assign_url(filing), {"clerk": customer.pk})
    assert response.status_code == 400 and "clerk" in response.context["form"].errors
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(assign_url(filing), {"clerk": clerk.pk}).status_code == 302
    assert Filing.objects.get(pk=filing.pk).assigned_to == clerk
    entry = ModelLogEntry.objects.get(action="wagtail_beian.assign")
    assert entry.user == manager and entry.data["clerk"] == clerk.get_username()
    told = [m for m in mail.outbox if m.to == [clerk.email] and "分配给您" in m.subject]
    assert len(told) == 1
    assert f"https://beian.example.com/admin/beian/filings/inspect/{filing.pk}/" in told[0].body
    assert f"#{filing.pk}" not in told[0].subject  # named by organizer and domain, not an internal id


def test_bulk_assign_shows_the_clerk_picker(client, customer, clerk, manager):
    first, second = submitted(customer), factories.FilingFactory(owner=customer)
    client.force_login(manager)
    bulk = reverse("wagtail_bulk_action", args=["wagtail_beian", "filing", "assign"])
    query = f"?next=/admin/&id={first.pk}&id={second.pk}"
    page = client.get(bulk + query).content.decode()
    assert 'name="clerk"' in page and f'value="{clerk.pk}"' in page and f'value="{customer.pk}"' not in page
    client.post(bulk + query, {"clerk": clerk.pk})
    assert set(Filing.objects.values_list("assigned_to", flat=True)) == {clerk.pk}


def test_listing_shows_the_clerk_and_filters_mine_and_unassigned(client, customer, clerk, manager):
    mine, nobodys = submitted(customer), submitted(customer)
    client.force_login(manager)
    client.post(assign_url(mine), {"clerk": clerk.pk})
    client.force_login(clerk)
    index = reverse("wagtail_beian_filings:index")
    listing = client.get(index + "?assignment=mine")
    ids = {f.pk for f in listing.context["object_list"]}
    assert ids == {mine.pk} and clerk.get_username() in text(listing)
    ids = {f.pk for f in client.get(index + "?assignment=unassigned").context["object_list"]}
    assert nobodys.pk in ids and mine.pk not in ids
