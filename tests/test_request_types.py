"""Support request types are data (tickets/types.py): a new ordinary type needs no migration, and a
type that opens a workflow of its own says so (RequestType.workflow); the portal routes it."""

import dataclasses

import pytest
from django.core.management import call_command
from django.urls import reverse

from wagtail_beian.models import Ticket
from wagtail_beian.portal.tickets import WORKFLOW_ROUTES
from wagtail_beian.services.tickets import open_ticket
from wagtail_beian.tickets import types
from wagtail_beian.tickets.types import REQUEST_TYPES, WORKFLOWS, RequestType

pytestmark = pytest.mark.django_db

EXTRA = RequestType("invoice_question", "发票问题", ("organizer_name",), ("domain",))


@pytest.fixture
def extra_type(monkeypatch):
    """A request type added to the table, as a hosting company would add one."""
    monkeypatch.setattr(types, "REQUEST_TYPES", (*REQUEST_TYPES, EXTRA))
    monkeypatch.setitem(types.TYPES_BY_CODE, EXTRA.code, EXTRA)
    return EXTRA


def test_every_workflow_of_a_request_type_has_its_route():
    assert set(WORKFLOWS) == set(WORKFLOW_ROUTES)
    assert {t.workflow for t in REQUEST_TYPES} <= {"", *WORKFLOWS}
    assert {t.code for t in REQUEST_TYPES if t.workflow == "transfer"} == {
        "access_new_website", "access_existing_website", "cancel_access",
    }


def test_a_new_ordinary_request_type_needs_no_migration(extra_type):
    call_command("makemigrations", "wagtail_beian", "--check", "--dry-run", verbosity=0)  # exits 1 on changes


def test_the_check_above_would_see_a_change_of_the_field(monkeypatch):
    """The no-migration check can fail: a change of the field itself is a migration."""
    field = Ticket._meta.get_field("request_type")
    monkeypatch.setattr(field, "max_length", 60)
    with pytest.raises(SystemExit):
        call_command("makemigrations", "wagtail_beian", "--check", "--dry-run", verbosity=0)


def test_a_new_ordinary_request_type_is_offered_and_opens_a_ticket(client, customer, extra_type):
    client.force_login(customer)
    page = client.get(reverse("wagtail_beian_portal:ticket_new")).content.decode()
    assert "发票问题" in page
    form = client.get(reverse("wagtail_beian_portal:ticket_new") + f"?type={EXTRA.code}")
    assert form.status_code == 200 and 'name="organizer_name"' in form.content.decode()
    ticket = open_ticket(customer, EXTRA.code, {"organizer_name": "北京示例科技有限公司"})
    assert Ticket.objects.get(pk=ticket.pk).get_request_type_display() == "发票问题"


@pytest.mark.parametrize("code", [t.code for t in REQUEST_TYPES if t.workflow == "transfer"] + ["claim_filing"])
def test_a_workflow_type_leads_to_its_own_form(client, customer, code):
    client.force_login(customer)
    response = client.get(reverse("wagtail_beian_portal:ticket_new") + f"?type={code}")
    assert response.status_code == 302 and "/tickets/" not in response["Location"]


def test_an_ordinary_type_flagged_with_a_workflow_is_routed(client, customer, monkeypatch):
    """The route comes from the type's data, not from its code."""
    routed = dataclasses.replace(EXTRA, workflow="claim")
    monkeypatch.setitem(types.TYPES_BY_CODE, routed.code, routed)
    client.force_login(customer)
    response = client.get(reverse("wagtail_beian_portal:ticket_new") + f"?type={routed.code}")
    assert response.status_code == 302 and response["Location"] == reverse("wagtail_beian_portal:claim_new")
