"""Access transfers in the customer portal: request each kind, refusals at the field, list, detail (F07, W05, F10)."""

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from tests.transfer_factories import PASSWORD, approved_filing, moving_transfer
from wagtail_beian.models import Access, AccessTransfer, TransferState
from wagtail_beian.services.workflow import Reason, perform_transition

T = TransferState
pytestmark = pytest.mark.django_db
NS = "wagtail_beian_portal"
NUMBER = "京ICP备2024000001号"


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


@pytest.fixture
def a_client(client, customer):
    client.force_login(customer)
    return client


def new_website_form(**overrides):
    data = {
        "direction": "incoming_new_website", "filing_number": "沪ICP备2099000011号", "organizer_name": "上海示例",
        "original_domain": "sh-old.cn", "new_domain": "sh-new.cn", "new_site_name": "新网站", "ip": "203.0.114.10",
        "pre_approval_note": "无", "responsible_name": "王五", "responsible_certificate_type": "resident_id",
        "responsible_certificate_number": factories.valid_resident_id(42), "responsible_landline": "021-62345678",
        "responsible_mobile": "13912345678", "responsible_email": "w@example.com",
        "submission_key": "6d3f0c6e-8a3b-4a39-9d55-0f8f7b3c1a11",
    }
    data.update(overrides)
    return data


def test_a_form_without_a_known_kind_leads_to_the_list_of_kinds(a_client):
    for query in ({}, {"direction": "sideways"}):
        response = a_client.get(url("transfer_new"), query)
        assert response.status_code == 302 and response["Location"] == url("transfer_list")
    assert a_client.post(url("transfer_new"), {"direction": "sideways"}).status_code == 404


def test_w05_existing_host_adds_a_website_from_the_portal(a_client, customer):
    page = a_client.get(url("transfer_new"), {"direction": "incoming_new_website"})
    html = page.content.decode()
    for name in ("filing_number", "organizer_name", "original_domain", "new_domain", "new_site_name", "ip",
                 "pre_approval_note", "responsible_name", "responsible_certificate_type",
                 "responsible_certificate_number", "responsible_landline", "responsible_mobile", "responsible_email"):
        assert f'name="{name}"' in html, name
    assert 'name="filing_password"' not in html
    response = a_client.post(url("transfer_new"), new_website_form())
    transfer = AccessTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == url("transfer_detail", transfer.pk)
    assert transfer.owner == customer and transfer.direction == "incoming_new_website"
    assert transfer.target_domain == "sh-new.cn" and transfer.responsible_certificate_type.code == "resident_id"


def test_double_submit_requests_one_transfer(a_client):
    first = a_client.post(url("transfer_new"), new_website_form())
    second = a_client.post(url("transfer_new"), new_website_form())
    assert AccessTransfer.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_f10_existing_website_moves_here_password_write_only(a_client, customer):
    data = {"direction": "incoming_existing_website", "filing_number": "沪ICP备2099000006号-1",
            "organizer_name": "上海示例", "domain": "moving.cn", "ip": "203.0.114.9"}
    response = a_client.post(url("transfer_new"), data)
    assert response.status_code == 400 and not AccessTransfer.objects.exists()
    assert "filing_password" in response.context["form"].errors
    response = a_client.post(url("transfer_new"), {**data, "filing_password": PASSWORD, "organizer_name": ""})
    assert response.status_code == 400 and PASSWORD not in response.content.decode()  # never echoed
    response = a_client.post(url("transfer_new"), {**data, "filing_password": PASSWORD})
    transfer = AccessTransfer.objects.get()
    html = a_client.get(response["Location"]).content.decode()
    assert PASSWORD not in html and "已填写" in html and transfer.has_filing_password


def test_f07_cancel_access_of_my_website_is_offered_and_completes(a_client, customer, clerk, manager):
    filing = approved_filing(customer)
    site = filing.websites.get()
    factories.AccessFactory(website=site)
    listing = a_client.get(url("transfer_list")).content.decode()
    assert site.domain in listing and "direction=outgoing_cancel" in listing
    page = a_client.get(url("transfer_new"), {"direction": "outgoing_cancel", "domain": site.domain,
                                              "filing_number": NUMBER, "organizer_name": filing.subject.name})
    assert f'value="{site.domain}"' in page.content.decode()
    response = a_client.post(url("transfer_new"), {
        "direction": "outgoing_cancel", "domain": site.domain, "filing_number": NUMBER,
        "organizer_name": filing.subject.name,
    })
    transfer = AccessTransfer.objects.get()
    assert response.status_code == 302 and transfer.website == site
    for name, user in (("verify", clerk), ("submit_to_bureau", manager), ("complete", manager)):
        transfer = perform_transition(transfer, name, user)
    assert not Access.objects.filter(website=site).exists()
    html = a_client.get(url("transfer_detail", transfer.pk)).content.decode()
    assert transfer.get_state_display() in html


@pytest.mark.parametrize("case", ["not_in_filing", "province", "already_here", "open_transfer", "not_yours", "malformed"])
def test_f07_each_refusal_is_shown_at_its_field_and_nothing_saved(a_client, customer, other_customer, case):
    filing = approved_filing(customer)
    site = filing.websites.get()
    data = {"direction": "incoming_existing_website", "filing_number": NUMBER + "-1",
            "organizer_name": filing.subject.name, "domain": site.domain, "ip": "203.0.114.9",
            "filing_password": PASSWORD}
    field = "domain"
    if case == "not_in_filing":
        data["domain"] = "not-in-it.cn"
    elif case == "province":
        data["filing_number"], field = "津ICP备2024000001号-1", "filing_number"
    elif case == "already_here":
        factories.AccessFactory(website=site)
    elif case == "open_transfer":
        moving_transfer(customer, domain="busy.cn")
        data.update(filing_number="沪ICP备2099000006号-1", domain="busy.cn")
    elif case == "not_yours":
        theirs = approved_filing(other_customer, number="京ICP备2024000009号")
        data.update(filing_number="京ICP备2024000009号-1", domain=theirs.websites.get().domain)
        field = "filing_number"
    elif case == "malformed":
        data["filing_number"], field = "京ICP2024号", "filing_number"
    before = AccessTransfer.objects.count()
    response = a_client.post(url("transfer_new"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    html = response.content.decode()
    help_block = html.split(f'id="id_{field}_help"', 1)[1].split("</div>\n</div>", 1)[0]
    assert 'role="alert"' in help_block
    assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
    assert AccessTransfer.objects.count() == before


def test_list_and_detail_show_state_and_every_refusal_reason(a_client, customer, clerk, other_customer):
    mine = moving_transfer(customer)
    theirs = moving_transfer(other_customer, domain="theirs.cn")
    perform_transition(mine, "refuse", clerk, reasons=[Reason("ip", "IP 不属于本公司", "填写本公司的 IP"),
                                                         Reason("domain", "域名未备案在该号下", "核对域名")])
    listing = a_client.get(url("transfer_list")).content.decode()
    assert "move-me.cn" in listing and "theirs.cn" not in listing
    html = a_client.get(url("transfer_detail", mine.pk)).content.decode()
    assert "IP 不属于本公司" in html and "填写本公司的 IP" in html and "域名未备案在该号下" in html
    assert AccessTransfer.objects.get(pk=mine.pk).get_state_display() in html
    assert a_client.get(url("transfer_detail", theirs.pk)).status_code == 404


def test_listing_query_count_does_not_grow(a_client, customer, django_assert_max_num_queries):
    for n in range(2):
        moving_transfer(customer, domain=f"s{n}.cn")
    with django_assert_max_num_queries(30) as small:
        assert a_client.get(url("transfer_list")).status_code == 200
    for n in range(30):
        moving_transfer(customer, domain=f"l{n}.cn")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = a_client.get(url("transfer_list"))
    assert response.content.decode().count(url("transfer_detail", 1)[:-2]) >= 32


def test_detail_query_count_does_not_grow_with_history(a_client, customer, clerk, manager, django_assert_max_num_queries):
    transfer = moving_transfer(customer)
    with django_assert_max_num_queries(30) as small:
        a_client.get(url("transfer_detail", transfer.pk))
    transfer = perform_transition(transfer, "verify", clerk)
    transfer = perform_transition(transfer, "submit_to_bureau", manager)
    with django_assert_max_num_queries(len(small.captured_queries)):
        a_client.get(url("transfer_detail", transfer.pk))


# ----------------------------------------------------------------------------- support tickets


@pytest.mark.parametrize("type_code,direction,field", [
    ("access_new_website", "incoming_new_website", "new_domain"),
    ("access_existing_website", "incoming_existing_website", "domain"),
    ("cancel_access", "outgoing_cancel", "domain"),
])
def test_f07_transfer_ticket_types_lead_to_the_transfer_form_pre_filled(a_client, type_code, direction, field):
    source = {"access_new_website": "new_domain", "access_existing_website": "original_domain",
              "cancel_access": "access_domain"}[type_code]
    response = a_client.get(reverse(f"{NS}:ticket_new"), {"type": type_code, source: "pre-filled.cn",
                                                          "filing_number": NUMBER})
    assert response.status_code == 302 and response["Location"].startswith(url("transfer_new"))
    page = a_client.get(response["Location"])
    assert page.context["form"].direction == direction
    assert page.context["form"].initial[field] == "pre-filled.cn"


def test_customer_sees_the_transfer_of_a_ticket_and_hears_of_its_steps(
    a_client, customer, clerk, django_capture_on_commit_callbacks
):
    from wagtail_beian.services.transfers import transfer_from_ticket
    from wagtail_beian.services.tickets import open_ticket

    customer.email = "kehu@example.com"
    customer.save()
    filing = approved_filing(customer)
    site = filing.websites.get()
    factories.AccessFactory(website=site)
    ticket = open_ticket(customer, "cancel_access", {
        "organizer_name": filing.subject.name, "filing_number": NUMBER, "access_domain": site.domain,
    })
    with django_capture_on_commit_callbacks(execute=True):
        transfer = transfer_from_ticket(ticket, clerk, {
            "filing_number": NUMBER, "organizer_name": filing.subject.name, "domain": site.domain,
        })
        transfer = perform_transition(transfer, "verify", clerk)
    html = a_client.get(reverse(f"{NS}:ticket_detail", args=[ticket.pk])).content.decode()
    assert url("transfer_detail", transfer.pk) in html and transfer.get_state_display() in html
    to_customer = [m for m in mail.outbox if m.to == ["kehu@example.com"]]
    assert len(to_customer) == 2  # the request (started for them) and the verification
