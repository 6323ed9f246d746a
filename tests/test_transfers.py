"""Access transfers (新增接入 / 取消接入): F07 access moves, F08 nominal access, F10 password, W02."""

import json

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.exceptions import ConcurrentChange, TransitionForbidden
from wagtail_beian.models import Access, AccessTransfer, CertificateType, Filing, TransferState
from wagtail_beian.services.transfers import request_transfer
from wagtail_beian.services.workflow import Reason, perform_transition
from wagtail_beian.crypto import decrypt_secret

T = TransferState
pytestmark = pytest.mark.django_db

NUMBER = "京ICP备2024000001号"
PASSWORD = "s3cret-Pa55"
REASON = [Reason("domain", "域名不在该备案中", "请核对域名")]


def filed(owner, number=NUMBER, **kwargs):
    """An approved filing here (Beijing subject) with one website that has access here."""
    filing = factories.FilingFactory(owner=owner, **kwargs)
    Filing.objects.filter(pk=filing.pk).update(state="approved", subject_number=number)
    return Filing.objects.get(pk=filing.pk)


def new_website_data(**overrides):
    data = {
        "filing_number": "京ICP备2099000001号", "organizer_name": "外省示例有限公司",
        "original_domain": "elsewhere-old.cn", "new_domain": "elsewhere-new.cn", "new_site_name": "新网站",
        "ip": "203.0.114.10", "pre_approval_note": "无",
        "responsible_name": "王五", "responsible_certificate_type": CertificateType.objects.get(code="resident_id"),
        "responsible_certificate_number": factories.valid_resident_id(42), "responsible_landline": "010-62345678",
        "responsible_mobile": "13912345678", "responsible_email": "wang@example.com",
    }
    data.update(overrides)
    return data


def through(transfer, clerk, manager):
    transfer = perform_transition(transfer, "verify", clerk)
    transfer = perform_transition(transfer, "submit_to_bureau", manager)
    return perform_transition(transfer, "complete", manager)


# --------------------------------------------------------------------- each direction (F07, F08)


def test_f07_existing_website_moves_access_here(customer, clerk, manager):
    filing = filed(customer)
    site = factories.WebsiteFactory(filing=filing, domain="moving.cn", access=False)
    transfer = request_transfer(customer, "incoming_existing_website", {
        "filing_number": NUMBER + "-2", "organizer_name": filing.subject.name, "domain": " Moving.CN ",
        "ip": "203.0.114.7", "filing_password": PASSWORD,
    })
    assert transfer.state == T.REQUESTED and transfer.domain == "moving.cn"
    assert transfer.filing == filing and transfer.website == site
    transfer = through(transfer, clerk, manager)
    assert transfer.state == T.COMPLETED and transfer.completed_at
    access = Access.objects.get(website=site)
    assert access.ip_list == ["203.0.114.7"] and access.method.code == "cloud_server"


def test_f07_existing_website_filed_elsewhere_just_completes(customer, clerk, manager):
    transfer = request_transfer(customer, "incoming_existing_website", {
        "filing_number": " 沪icp备2099000002号－1 ", "organizer_name": "上海示例", "domain": "shanghai-site.cn",
        "ip": "203.0.114.8", "filing_password": PASSWORD,
    })
    assert transfer.filing is None and transfer.website is None
    assert transfer.filing_number == "沪ICP备2099000002号-1"  # stored as the bureau writes it, as typed or not
    count = Access.objects.count()
    transfer = through(transfer, clerk, manager)
    assert transfer.state == T.COMPLETED and Access.objects.count() == count


def test_f08_new_website_of_existing_subject_records_access(customer, clerk, manager):
    filing = filed(customer)
    original = filing.websites.get()
    new_site = factories.WebsiteFactory(filing=filing, domain="added.cn", access=False)
    transfer = request_transfer(customer, "incoming_new_website", new_website_data(
        filing_number=NUMBER, original_domain=original.domain, new_domain="added.cn",
    ))
    assert transfer.filing == filing and transfer.website == new_site
    through(transfer, clerk, manager)
    assert Access.objects.get(website=new_site).ip_list == ["203.0.114.10"]


def test_f08_new_website_not_filed_here_just_completes(customer, clerk, manager):
    transfer = request_transfer(customer, "incoming_new_website", new_website_data())
    assert transfer.responsible_mobile == "13912345678"
    count = Access.objects.count()
    transfer = through(transfer, clerk, manager)
    assert transfer.state == T.COMPLETED and Access.objects.count() == count


def test_f07_cancel_access_removes_the_access_records(customer, clerk, manager):
    filing = filed(customer)
    site = filing.websites.get()
    factories.AccessFactory(website=site)
    transfer = request_transfer(customer, "outgoing_cancel", {
        "filing_number": NUMBER, "organizer_name": filing.subject.name, "domain": site.domain,
    })
    assert transfer.website == site
    through(transfer, clerk, manager)
    assert not Access.objects.filter(website=site).exists()
    assert Access.objects.count() == 0
    # the transfer's history reads in Chinese, from → to
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.for_instance(transfer).get(action="wagtail_beian.accesstransfer.complete")
    assert "→" in entry.message and "已" in entry.message


# --------------------------------------------------------------------------- refusals


def refused(customer, direction, data, field, code):
    with pytest.raises(ValidationError) as info:
        request_transfer(customer, direction, data)
    assert field in info.value.error_dict, info.value.message_dict
    assert code in [e.code for e in info.value.error_dict[field]]
    assert not AccessTransfer.objects.exists()
    return " ".join(info.value.message_dict[field])


def test_malformed_filing_number_is_refused(customer):
    message = refused(customer, "incoming_existing_website", {
        "filing_number": "京ICP2024号", "organizer_name": "x", "domain": "x.cn", "ip": "203.0.114.7",
        "filing_password": PASSWORD,
    }, "filing_number", "invalid")
    assert "ICP" in message


def test_province_inconsistent_with_subject_is_refused_naming_both(customer):
    filing = filed(customer)
    message = refused(customer, "outgoing_cancel", {
        "filing_number": "津ICP备2024000001号", "organizer_name": "x", "domain": filing.websites.get().domain,
    }, "filing_number", "province_mismatch")
    assert "天津" in message and "北京" in message


def test_website_already_having_access_here_is_refused(customer):
    filing = filed(customer)
    site = filing.websites.get()
    message = refused(customer, "incoming_existing_website", {
        "filing_number": NUMBER, "organizer_name": "x", "domain": site.domain, "ip": "203.0.114.7",
        "filing_password": PASSWORD,
    }, "domain", "already_has_access")
    assert "already has access here" in message or site.domain in message


def test_domain_not_in_that_filing_is_refused(customer):
    filed(customer)
    message = refused(customer, "incoming_existing_website", {
        "filing_number": NUMBER, "organizer_name": "x", "domain": "not-here.cn", "ip": "203.0.114.7",
        "filing_password": PASSWORD,
    }, "domain", "domain_not_in_filing")
    assert "not-here.cn" in message


def test_domain_filed_here_under_another_number_is_refused(customer):
    filing = filed(customer)
    refused(customer, "incoming_new_website", new_website_data(
        filing_number="沪ICP备2099000003号", original_domain=filing.websites.get().domain,
    ), "original_domain", "domain_not_in_filing")


def test_w02_new_domain_filed_in_another_filing_is_refused(customer, other_customer):
    filing = filed(customer)
    other = filed(other_customer, number="京ICP备2024000002号")
    taken = factories.WebsiteFactory(filing=other, domain="taken.cn", access=False)
    message = refused(customer, "incoming_new_website", new_website_data(
        filing_number=NUMBER, original_domain=filing.websites.get().domain, new_domain=taken.domain,
    ), "new_domain", "domain_conflict")
    assert "taken.cn" in message


def test_cancel_without_access_here_is_refused(customer):
    filed(customer)
    refused(customer, "outgoing_cancel", {
        "filing_number": "沪ICP备2099000004号", "organizer_name": "x", "domain": "nowhere.cn",
    }, "domain", "no_access_here")


def test_missing_fields_and_private_ip_are_refused(customer):
    with pytest.raises(ValidationError) as info:
        request_transfer(customer, "incoming_existing_website", {
            "filing_number": "沪ICP备2099000005号", "organizer_name": "x", "domain": "a.cn", "ip": "10.0.0.1",
        })
    assert {"ip", "filing_password"} <= set(info.value.error_dict)
    assert not AccessTransfer.objects.exists()


# ------------------------------------------------------------------ workflow and permissions


def moving(customer):
    return request_transfer(customer, "incoming_existing_website", {
        "filing_number": "沪ICP备2099000006号-1", "organizer_name": "上海示例", "domain": "move-me.cn",
        "ip": "203.0.114.9", "filing_password": PASSWORD,
    })


def test_refuse_needs_reasons_and_purges_password(customer, clerk):
    transfer = moving(customer)
    with pytest.raises(ValidationError):
        perform_transition(transfer, "refuse", clerk)
    assert AccessTransfer.objects.get(pk=transfer.pk).state == T.REQUESTED
    transfer = perform_transition(transfer, "refuse", clerk, reasons=REASON)
    stored = AccessTransfer.objects.get(pk=transfer.pk)
    assert stored.state == T.REFUSED and stored.filing_password_encrypted == ""
    entry = ModelLogEntry.objects.for_instance(stored).get(action="wagtail_beian.accesstransfer.refuse")
    assert entry.data["reasons"][0]["field"] == "domain"


def test_customer_cannot_verify(customer):
    transfer = moving(customer)
    with pytest.raises(TransitionForbidden):
        perform_transition(transfer, "verify", customer)
    assert AccessTransfer.objects.get(pk=transfer.pk).state == T.REQUESTED


def test_clerk_cannot_complete(customer, clerk, manager):
    transfer = perform_transition(moving(customer), "verify", clerk)
    transfer = perform_transition(transfer, "submit_to_bureau", manager)
    with pytest.raises(TransitionForbidden):
        perform_transition(transfer, "complete", clerk)


def test_f10_password_encrypted_at_rest_never_logged_purged_on_completion(customer, clerk, manager):
    transfer = moving(customer)
    stored = AccessTransfer.objects.get(pk=transfer.pk)
    assert stored.has_filing_password and PASSWORD not in stored.filing_password_encrypted
    assert decrypt_secret(stored.filing_password_encrypted) == PASSWORD
    through(transfer, clerk, manager)
    assert AccessTransfer.objects.get(pk=transfer.pk).filing_password_encrypted == ""
    entries = ModelLogEntry.objects.for_instance(stored)
    assert [e.action.rsplit(".", 1)[-1] for e in entries.order_by("pk")] == [
        "request", "verify", "submit_to_bureau", "complete",
    ]
    for entry in entries:
        assert PASSWORD not in json.dumps(entry.data, ensure_ascii=False)
        assert "filing_password" not in json.dumps(entry.data)


def test_stale_expected_state_is_a_concurrent_change(customer, clerk):
    transfer = moving(customer)
    seen = transfer.state
    perform_transition(transfer, "verify", clerk)
    with pytest.raises(ConcurrentChange):
        perform_transition(transfer, "refuse", clerk, reasons=REASON, expected_state=seen)
    assert AccessTransfer.objects.get(pk=transfer.pk).state == T.PROVIDER_VERIFIED
