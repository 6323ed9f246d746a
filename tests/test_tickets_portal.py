"""Service support in the customer portal: new ticket per type, conversation, reopen, isolation.

Isolation is checked over every ticket URL of the portal, enumerated from ``portal/ticket_urls.py``:
customer B gets 404 with customer A's ids (and nothing changes), anonymous visitors go to login.
"""

import datetime
import io

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from tests import factories
from tests.ticket_factories import (
    FILING_PASSWORD,
    SAMPLE_VALUES,
    TicketAttachmentFactory,
    TicketFactory,
    TicketMessageFactory,
)
from wagtail_beian.models import Ticket, TicketAttachment, TicketMessage, TicketState
from wagtail_beian.portal import ticket_urls
from wagtail_beian.services import tickets as services
from wagtail_beian.tickets.types import FIELDS, REQUEST_TYPES, TYPES_BY_CODE

pytestmark = pytest.mark.django_db
NS = "wagtail_beian_portal"
#: Request types with a workflow of their own: the portal's ticket form leads to its form instead
#: (access transfers: the transfer request; claims: the claim form).
OWN_WORKFLOW_TYPES = {"access_new_website", "access_existing_website", "cancel_access", "claim_filing"}
FORM_TYPES = [t for t in REQUEST_TYPES if t.code not in OWN_WORKFLOW_TYPES]
MISSING_CASES = [(t.code, code) for t in FORM_TYPES for code in t.required]


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


def upload(name="licence.png"):
    data = factories.png_bytes(320, 240)
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def post_data(type_code, *, without=None):
    data = {"type": type_code}
    for code in TYPES_BY_CODE[type_code].field_codes:
        if code == without:
            continue
        data[code] = upload() if FIELDS[code].files else SAMPLE_VALUES[code]
    return data


@pytest.fixture
def a_client(client, customer):
    client.force_login(customer)
    return client


# ----------------------------------------------------------------------------- new ticket


def test_choose_a_type_then_see_exactly_its_fields(a_client):
    response = a_client.get(url("ticket_new"))
    assert response.status_code == 200
    for request_type in REQUEST_TYPES:
        assert str(request_type.label) in response.content.decode()
    for request_type in FORM_TYPES:
        response = a_client.get(url("ticket_new"), {"type": request_type.code})
        form = response.context["form"]
        shown = [name for name in form.fields if name not in ("filing", "message", "attachments", "submission_key")]
        assert shown == list(request_type.field_codes)
        html = response.content.decode()
        for code in request_type.required:
            assert f'name="{code}"' in html
            assert f'aria-describedby="id_{code}_help"' in html


@pytest.mark.parametrize("type_code,missing", MISSING_CASES, ids=[f"{t}-{c}" for t, c in MISSING_CASES])
def test_missing_required_field_is_named_and_nothing_saved(a_client, type_code, missing):
    response = a_client.post(url("ticket_new"), post_data(type_code, without=missing))
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [missing, "__all__"]
    label = str(FIELDS[missing].label)
    assert label in form.errors[missing][0]
    assert label in form.non_field_errors()[0]
    html = response.content.decode()
    assert f'id="id_{missing}_help"' in html and 'aria-invalid="true"' in html
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()


@pytest.mark.parametrize("type_code", [t.code for t in FORM_TYPES])
def test_all_fields_present_opens_the_ticket(a_client, customer, type_code):
    response = a_client.post(url("ticket_new"), {**post_data(type_code), "message": "请处理，谢谢"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == url("ticket_detail", ticket.pk)
    assert ticket.owner == customer and ticket.request_type == type_code
    assert ticket.messages.get().body == "请处理，谢谢"


def test_a_bad_upload_is_refused_and_nothing_saved(a_client):
    data = post_data("new_filing_documents")
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "licence.jpg"
    data["attachments"] = fake
    response = a_client.post(url("ticket_new"), data)
    assert response.status_code == 400
    assert "licence.jpg" in response.context["form"].errors["attachments"][0]
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()


def test_only_own_filings_are_offered_and_accepted(a_client, customer, other_customer):
    own = factories.FilingFactory(owner=customer)
    foreign = factories.FilingFactory(owner=other_customer)
    response = a_client.get(url("ticket_new"), {"type": "new_filing_documents"})
    assert list(response.context["form"].fields["filing"].queryset) == [own]
    response = a_client.post(url("ticket_new"), {**post_data("new_filing_documents"), "filing": foreign.pk})
    assert response.status_code == 400 and "filing" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_filing_password_is_never_shown_back(a_client, customer):
    data = {k: v for k, v in post_data("access_existing_website").items() if k != "type"}
    ticket = services.open_ticket(customer, "access_existing_website", data)
    html = a_client.get(url("ticket_detail", ticket.pk)).content.decode()
    assert FILING_PASSWORD not in html and "已填写" in html


@pytest.mark.parametrize("type_code", sorted(OWN_WORKFLOW_TYPES))
def test_types_with_their_own_workflow_lead_to_its_form_and_open_no_ticket(a_client, type_code):
    response = a_client.get(url("ticket_new"), {"type": type_code})
    assert response.status_code == 302 and "tickets" not in response["Location"]
    response = a_client.post(url("ticket_new"), post_data(type_code))
    assert response.status_code == 302 and not Ticket.objects.exists()


# ----------------------------------------------------------------------------- conversation


def test_list_shows_only_my_tickets(a_client, customer, other_customer):
    mine = TicketFactory(owner=customer)
    TicketFactory(owner=other_customer)
    response = a_client.get(url("ticket_list"))
    assert list(response.context["tickets"]) == [mine]


def test_reply_with_attachment_waits_for_staff(a_client, customer, clerk):
    ticket = TicketFactory(owner=customer)
    services.add_reply(ticket, clerk, "请上传营业执照")
    response = a_client.post(url("ticket_reply", ticket.pk), {
        "body": "已上传", "attachments": upload("执照.png"), "expected_state": "waiting_customer",
    })
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING_STAFF
    attachment = TicketAttachment.objects.get()
    assert attachment.message.body == "已上传" and attachment.original_name == "执照.png"
    html = a_client.get(url("ticket_detail", ticket.pk)).content.decode()
    assert "请上传营业执照" in html and "执照.png" in html
    download = a_client.get(url("ticket_attachment", ticket.pk, attachment.pk))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")


def test_empty_reply_is_refused_at_the_field(a_client, customer):
    ticket = TicketFactory(owner=customer)
    response = a_client.post(url("ticket_reply", ticket.pk), {"body": " "})
    assert response.status_code == 400 and "body" in response.context["reply_form"].errors
    assert not TicketMessage.objects.exists()


def test_reopen_within_the_period_from_the_portal(a_client, customer, clerk):
    ticket = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    html = a_client.get(url("ticket_detail", ticket.pk)).content.decode()
    assert url("ticket_reopen", ticket.pk) in html
    a_client.post(url("ticket_reopen", ticket.pk), {"expected_state": "resolved"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING_STAFF


def test_reopen_after_the_period_is_refused(a_client, customer, clerk, settings):
    settings.WAGTAIL_BEIAN_TICKET_REOPEN_DAYS = 2
    ticket = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - datetime.timedelta(days=2, minutes=1))
    html = a_client.get(url("ticket_detail", ticket.pk)).content.decode()
    assert url("ticket_reopen", ticket.pk) not in html
    response = a_client.post(url("ticket_reopen", ticket.pk), follow=True)
    assert "2天" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED


def test_customer_closes_a_resolved_ticket(a_client, customer, clerk):
    ticket = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    a_client.post(url("ticket_close", ticket.pk), {"expected_state": "resolved"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED


# ----------------------------------------------------------------------------- isolation

TICKET_PATTERNS = [p for p in ticket_urls.urlpatterns if isinstance(p, URLPattern)]
OBJECT_PATTERNS = [p for p in TICKET_PATTERNS if p.pattern.converters]


@pytest.fixture
def a_ticket(customer, clerk):
    ticket = services.open_ticket(customer, "access_existing_website", {
        code: SAMPLE_VALUES[code] for code in TYPES_BY_CODE["access_existing_website"].field_codes
    }, message="A 的秘密问题")
    message = TicketMessageFactory(ticket=ticket, author=customer)
    attachment = TicketAttachmentFactory(ticket=ticket, message=message, original_name="a-secret.png")
    services.resolve_ticket(ticket, clerk)  # so reopen and close would be possible for A
    return ticket, attachment


def ids_for(pattern, ticket, attachment):
    known = {"pk": ticket.pk, "attachment_pk": attachment.pk}
    return {c: known[c] for c in pattern.pattern.converters}


def test_isolation_enumeration_covers_the_ticket_urls():
    names = {p.name for p in OBJECT_PATTERNS}
    assert {"ticket_detail", "ticket_reply", "ticket_attachment", "ticket_reopen", "ticket_close"} <= names


@pytest.mark.parametrize("pattern", OBJECT_PATTERNS, ids=[p.name for p in OBJECT_PATTERNS])
def test_other_customer_gets_404_and_changes_nothing(client, other_customer, a_ticket, pattern):
    ticket, attachment = a_ticket
    path = reverse(f"{NS}:{pattern.name}", kwargs=ids_for(pattern, ticket, attachment))
    client.force_login(other_customer)
    before = (Ticket.objects.get(pk=ticket.pk).state, TicketMessage.objects.count())
    response = client.get(path)
    assert response.status_code == 404
    response = client.post(path, {"body": "B 的回复", "expected_state": "resolved"})
    assert response.status_code in (404, 405)
    assert (Ticket.objects.get(pk=ticket.pk).state, TicketMessage.objects.count()) == before
    assert b"a-secret" not in response.content


@pytest.mark.parametrize("pattern", TICKET_PATTERNS, ids=[p.name for p in TICKET_PATTERNS])
def test_anonymous_is_sent_to_login(client, a_ticket, pattern):
    ticket, attachment = a_ticket
    path = reverse(f"{NS}:{pattern.name}", kwargs=ids_for(pattern, ticket, attachment) if pattern.pattern.converters else {})
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"]


def test_other_customers_list_is_empty(client, other_customer, a_ticket):
    client.force_login(other_customer)
    response = client.get(url("ticket_list"))
    assert list(response.context["tickets"]) == []


def test_double_submitted_ticket_opens_one(a_client):
    from wagtail_beian.models import Ticket
    from wagtail_beian.tickets.types import REQUEST_TYPES

    request_type = next(t for t in REQUEST_TYPES if t.code == "new_filing_documents")
    page = a_client.get(url("ticket_new"), {"type": request_type.code})
    key = page.context["form"]["submission_key"].value()
    data = {"type": request_type.code, "organizer_name": "北京示例科技有限公司", "domain": "example.com", "submission_key": key}
    first = a_client.post(url("ticket_new"), data)
    second = a_client.post(url("ticket_new"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1


def test_choosing_the_filing_fills_what_the_customer_left_empty(a_client, customer):
    """Issue 13: no retyping the organizer, the filing number and the domain of a chosen filing."""
    from tests.claim_factories import approved_filing

    filing = approved_filing(customer, 77)
    website = filing.websites.get()
    form = a_client.get(url("ticket_new"), {"type": "change_filing_documents", "filing": filing.pk}).context["form"]
    assert form["organizer_name"].value() == filing.subject.name and form["domain"].value() == website.domain
    response = a_client.post(url("ticket_new"), {
        "type": "change_filing_documents", "filing": filing.pk, "organizer_name": "", "filing_number": "", "domain": "",
        "message": "营业执照已更新",
    })
    assert response.status_code == 302, response.content.decode()[:800]
    ticket = Ticket.objects.get(owner=customer)
    assert ticket.filing == filing and ticket.fields["organizer_name"] == filing.subject.name
    assert ticket.fields["filing_number"] == filing.subject_number and ticket.fields["domain"] == website.domain
    # what the customer typed wins over the filing's values
    a_client.post(url("ticket_new"), {
        "type": "change_filing_documents", "filing": filing.pk, "organizer_name": "另一个名称",
        "filing_number": "", "domain": "", "submission_key": "",
    })
    assert Ticket.objects.filter(owner=customer).latest("pk").fields["organizer_name"] == "另一个名称"


def test_a_change_filing_gives_the_number_of_the_filing_it_changes(a_client, customer):
    from tests.claim_factories import approved_filing
    from wagtail_beian.services.changes import start_change

    change = start_change(approved_filing(customer, 78), customer)
    form = a_client.get(url("ticket_new"), {"type": "change_filing_documents", "filing": change.pk}).context["form"]
    assert form["filing_number"].value() == change.amends.subject_number
